"""Completion and distinction: results computed from the locked grades and the attendance rate,
reviewed as a preview, then published to the founders (and to certificates, via `outcomes`).

Rules (the cohort's `rules`, see DEFAULT_RULES), fixed when its first results are published:
- 结业 completed: attendance rate ≥ min_attendance and weighted score ≥ min_score. A founder
  with no attendance rate yet (no lesson counted) or no score does not complete.
- 优秀学员 distinction: completed, score ≥ distinction_score, and within the top share. The
  top share is taken of the enrolled count, rounded up: ceil(distinction_top_share × enrolled)
  places. Ranks are by weighted score, ties sharing a rank (1, 2, 2, 4), and a founder is within
  the share when their rank ≤ the places — so ties at the boundary are all included.
- Scores are compared at two decimals, rounded half up on exact decimals (app.numbers.round_score):
  the band (e.g. 优秀学员 ≥ 85) uses the same rounded total that the grid, the export and the
  results show, so 84.995 shows as 85 and is 85. Attendance rates are compared at six decimals.

Each computation is a ResultRun, kept; the latest run is the preview; publishing marks it and
its results as published, and founders see the latest published run.
"""
from __future__ import annotations

import math

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.cohorts.camps import services as cohorts
from app.cohorts.camps.models import Cohort, Enrolment
from app.cohorts.grading import grades
from app.cohorts.lessons import attendance
from app.cohorts.models import CohortResult, Outcome, ResultRun
from app.errors import Conflict
from app.extensions import db
from app.notifications.services import notify
from app.numbers import exact, round_score
from app.privacy import mask_phone
from app.registrations.export import to_xlsx as xlsx
from app.timeutil import fmt, utcnow


def top_places(share: float, enrolled: int) -> int:
    """How many places the top share holds: the share of the enrolled count, rounded up."""
    return math.ceil(round(share * enrolled, 6))


def rank(scores: dict[int, float | None]) -> dict[int, int]:
    """Competition ranking by score, highest first (1, 2, 2, 4); no score, no rank."""
    ranked = sorted((s for s in scores.values() if s is not None), reverse=True)
    return {key: 1 + sum(1 for other in ranked if other > s) for key, s in scores.items() if s is not None}


def decide(rate: float | None, score, place: int | None, places: int, the_rules: dict) -> Outcome:
    score = None if score is None else round_score(score)
    completed = (rate is not None and round(rate, 6) >= the_rules["min_attendance"]
                 and score is not None and score >= exact(the_rules["min_score"]))
    if not completed:
        return Outcome.NOT_COMPLETED
    if score >= exact(the_rules["distinction_score"]) and place is not None and place <= places:
        return Outcome.DISTINCTION
    return Outcome.COMPLETED


def compute_results(actor, cohort: Cohort, *, now=None) -> ResultRun:
    """Compute every enrolled founder's result from the published (locked) grades: a preview,
    not yet visible to founders."""
    cohorts.require_run(actor, cohort.cycle.programme)
    row = grades.state(cohort, lock=True)
    if not row.locked:
        raise Conflict(_l("Publish the grades first: results are computed from locked grades."),
                       code="grades_not_published")
    the_rules = grades.rules(cohort)
    people = cohorts.active_enrolments(cohort)
    rates = attendance.rates(cohort, now)
    totals = grades.totals(cohort, rates=rates)
    scores = {e.id: totals[e.id].score if totals[e.id].graded else None for e in people}
    places = top_places(the_rules["distinction_top_share"], len(people))
    ranks = rank(scores)
    at = utcnow()
    run = ResultRun(cohort_id=cohort.id, rules=the_rules, enrolled=len(people), computed_at=at,
                    computed_by_id=actor.id, lock_event_id=getattr(grades.latest_publication(cohort), "id", None))
    for enrolment in people:
        rate = rates[enrolment.id].rate if enrolment.id in rates else None
        outcome = decide(rate, scores[enrolment.id], ranks.get(enrolment.id), places, the_rules)
        score = scores[enrolment.id]
        run.results.append(CohortResult(enrolment_id=enrolment.id, attendance_rate=rate,
                                        score=None if score is None else float(score),
                                        rank=ranks.get(enrolment.id), outcome=outcome.value, computed_at=at))
    db.session.add(run)
    db.session.flush()
    audit.record(actor, "results.compute", cohort, run=run.id, enrolled=len(people), places=places)
    return run


def latest_run(cohort: Cohort, *, published: bool = False) -> ResultRun | None:
    query = sa.select(ResultRun).where(ResultRun.cohort_id == cohort.id)
    if published:
        query = query.where(ResultRun.published_at.is_not(None))
    return db.session.scalar(query.order_by(ResultRun.id.desc()).limit(1))


def publish_results(actor, cohort: Cohort) -> ResultRun:
    """Publish the latest preview: founders see their results, and the cohort's completion
    rules are fixed from now on."""
    cohorts.require_run(actor, cohort.cycle.programme)
    row = grades.state(cohort, lock=True)
    run = latest_run(cohort)
    if run is None:
        raise Conflict(_l("Compute the results first."), code="no_results")
    if run.published_at is not None:
        return run
    publication = grades.latest_publication(cohort)
    if not row.locked or publication is None or run.lock_event_id != publication.id:
        raise Conflict(_l("The grades changed since these results were computed: compute them again."),
                       code="results_stale")
    at = utcnow()
    run.published_at, run.published_by_id = at, actor.id
    for result in run.results:
        result.published_at = at
    if cohort.rules_fixed_at is None:
        cohort.rules_fixed_at = at
    db.session.flush()
    audit.record(actor, "results.publish", cohort, run=run.id,
                 counts={o.value: sum(1 for r in run.results if r.outcome == o.value) for o in Outcome})
    for result in run.results:
        enrolment = result.enrolment
        notify(enrolment.user, "camp_results_published", _l("Results published: %(cohort)s", cohort=cohort.name),
               "camp_results_published", registration=enrolment.registration, occasion=cohort.name)
    return run


def outcomes(cohort: Cohort) -> list[tuple[Enrolment, str]]:
    """The published outcome of each founder of the cohort (for certificates): [(enrolment,
    "completed" | "distinction" | "not_completed")], in enrolment order; empty before publication."""
    run = latest_run(cohort, published=True)
    if run is None:
        return []
    return [(r.enrolment, r.outcome) for r in sorted(run.results, key=lambda r: r.enrolment_id)]


def published_result(enrolment: Enrolment) -> CohortResult | None:
    """The founder's own result, once published."""
    return db.session.scalar(sa.select(CohortResult).join(ResultRun)
                             .where(CohortResult.enrolment_id == enrolment.id,
                                    ResultRun.published_at.is_not(None))
                             .order_by(ResultRun.id.desc()).limit(1))


def published_results(enrolments: list[Enrolment]) -> dict[int, CohortResult]:
    """published_result of each enrolment that has one (by enrolment id), in one query."""
    found: dict[int, CohortResult] = {}
    for result in db.session.scalars(sa.select(CohortResult).join(ResultRun)
                                     .where(CohortResult.enrolment_id.in_([e.id for e in enrolments] or [-1]),
                                            ResultRun.published_at.is_not(None))
                                     .order_by(ResultRun.id)):
        found[result.enrolment_id] = result  # the latest published run's, as published_result picks
    return found


def my_results(user) -> list[tuple[Enrolment, CohortResult | None]]:
    """Each of the user's enrolments (earliest first) with its published result, if any."""
    mine = cohorts.history(user)
    published = published_results(mine)
    return [(e, published.get(e.id)) for e in mine]


def counts(run: ResultRun | None) -> dict[str, int]:
    result = {o.value: 0 for o in Outcome}
    for r in run.results if run else []:
        result[r.outcome] += 1
    return result


def distribution(totals: dict, *, width: int = 10) -> list[tuple[str, int]]:
    """Weighted totals in bins of `width` points (0–9, 10–19, … 90–100), for the chart."""
    bins = [0] * (100 // width)
    for total in totals.values():
        if total.graded:
            bins[min(int(total.score // width), len(bins) - 1)] += 1
    labels = [f"{i * width}–{i * width + width - 1}" for i in range(len(bins))]
    labels[-1] = f"{(len(bins) - 1) * width}–100"
    return list(zip(labels, bins))


# -- export ------------------------------------------------------------------------------------
def export_rows(actor, cohort: Cohort) -> tuple[list[str], list[list]]:
    """Grades, totals and the latest results of a cohort; phone numbers masked. Audited."""
    cohorts.require_teach(actor, cohort)
    columns = grades.assessments(cohort)
    rates = attendance.rates(cohort)
    table = grades.scores(cohort, rates=rates)
    run = latest_run(cohort)
    by_enrolment = {r.enrolment_id: r for r in run.results} if run else {}
    header = [_("No."), _("Name"), _("Company"), _("Mobile")]
    header += [f"{a.name} ({a.weight}%)" for a in columns]
    header += [_("Weighted total"), _("Attendance rate"), _("Rank"), _("Outcome"), _("Result status")]
    rows = []
    for n, enrolment in enumerate(cohorts.active_enrolments(cohort), 1):
        row = table.get(enrolment.id, {})
        total = grades.total_of(columns, row)
        rate = rates.get(enrolment.id)
        result = by_enrolment.get(enrolment.id)
        rows.append([
            n, enrolment.user.name, enrolment.company, mask_phone(enrolment.user.mobile),
            *[row.get(a.id) if row.get(a.id) is not None else "" for a in columns],
            total.score, f"{rate.rate:.0%}" if rate and rate.rate is not None else "",
            result.rank if result and result.rank else "",
            result.outcome_enum.label if result else "",
            (_("Published %(at)s", at=fmt(run.published_at)) if run.published_at else _("Preview"))
            if result else "",
        ])
    audit.record(actor, "grades.export", cohort, rows=len(rows))
    return header, rows


def to_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    return xlsx(title, header, rows, sheet_title=_("Grades"), max_width=40)
