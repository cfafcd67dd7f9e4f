"""Certificates from a cohort's published results: 结业证书 for every founder who completed
(distinction included) and 优秀学员证书 for the distinguished, through the generic issuing
service of `app.certificates` (serials, snapshots, never twice for the same cohort)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.certificates import services as certificates
from app.certificates.models import CertificateKind
from app.cohorts.camps import services as cohorts
from app.cohorts.camps.models import Cohort
from app.cohorts.grading import results
from app.cohorts.models import Outcome
from app.errors import Conflict


def cohort_subject(cohort: Cohort) -> certificates.Subject:
    start, end = cohort.starts_on, cohort.ends_on
    held = f"{start.year}年{start.month}月至{end.year}年{end.month}月"
    return certificates.Subject("cohort", cohort.id, f"{cohort.cycle.programme.name}·{cohort.name}", held,
                                cohort.cycle.programme.department)


def issue_from_results(actor, cohort: Cohort, *, issued_on=None) -> dict[str, certificates.IssueResult]:
    cohorts.require_run(actor, cohort.cycle.programme)
    if results.latest_run(cohort, published=True) is None:
        raise Conflict(_l("Publish the cohort's results first: certificates follow them."),
                       code="results_not_published")
    published = results.outcomes(cohort)
    passed = [e for e, outcome in published if outcome in (Outcome.COMPLETED.value, Outcome.DISTINCTION.value)]
    best = [e for e, outcome in published if outcome == Outcome.DISTINCTION.value]
    subject = cohort_subject(cohort)
    tier = cohort.tier.name
    return {
        "completion": certificates.issue(actor, subject, CertificateKind.COMPLETION,
                                         [certificates.Recipient(e.user, tier=tier) for e in passed],
                                         issued_on=issued_on),
        "distinction": certificates.issue(actor, subject, CertificateKind.DISTINCTION,
                                          [certificates.Recipient(e.user, tier=tier, award="优秀学员")
                                           for e in best], issued_on=issued_on),
    }
