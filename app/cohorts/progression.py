"""Progression between tiers: a founder who completed one tier (孵化 → 成长 → 加速) can be invited
into the next tier's cohort of a later cycle. The invitation enrols them (their new QR
credential comes with it) and mails them."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.cohorts.camps import services as cohorts
from app.cohorts.camps.models import Cohort, Cycle, Enrolment
from app.cohorts.grading import results
from app.cohorts.models import Outcome
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.notifications.services import notify

PASSED = (Outcome.COMPLETED.value, Outcome.DISTINCTION.value)


def graduates(cohort: Cohort) -> list[tuple[Enrolment, str]]:
    """Founders whose published outcome is completed or distinction."""
    return [(e, outcome) for e, outcome in results.outcomes(cohort) if outcome in PASSED]


def next_cohorts(cohort: Cohort) -> list[Cohort]:
    """Cohorts of the next tier in later cycles of the same programme: where graduates may go."""
    tier = cohorts.next_tier(cohort.tier)
    if tier is None:
        return []
    return [c for cycle in _later_cycles(cohort) for c in cycle.cohorts if c.tier_id == tier.id]


def _later_cycles(cohort: Cohort):
    return db.session.scalars(sa.select(Cycle).where(Cycle.programme_id == cohort.cycle.programme_id,
                                                     Cycle.starts_on > cohort.cycle.starts_on)
                              .order_by(Cycle.starts_on))


def invite(actor, enrolment: Enrolment, target: Cohort) -> Enrolment:
    source = enrolment.cohort
    if target not in next_cohorts(source):
        raise Conflict(_l("Graduates move on to the next tier of a later cycle."), code="not_next_tier")
    if enrolment.id not in {e.id for e, _outcome in graduates(source)}:
        raise Conflict(_l("Only founders who completed %(cohort)s can be invited.", cohort=source.name),
                       code="not_a_graduate")
    moved = cohorts.enrol(actor, target, enrolment.user, company=enrolment.company)
    notify(enrolment.user, "tier_invitation", _l("Invitation: %(cohort)s", cohort=target.name), "application_admitted",
           registration=moved.registration, programme=target.cycle.programme.name, cycle=target.cycle.name,
           tier=target.tier.name, cohort=target.name, cohort_dates=f"{target.starts_on} – {target.ends_on}",
           venue=target.venue, note=str(_l("Invited as a graduate of %(cohort)s.", cohort=source.name)))
    return moved


def invite_all(actor, enrolments: list[Enrolment], target: Cohort | None) -> list[Enrolment]:
    """Invite the chosen graduates into `target`, all or none."""
    if target is None or not enrolments:
        raise InvalidInput(_l("Choose the graduates and the cohort to invite them to."))
    return [invite(actor, enrolment, target) for enrolment in enrolments]
