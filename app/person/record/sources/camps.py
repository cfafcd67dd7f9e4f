"""Entrepreneurship camps: the applications (selection) and the cohorts the person was in, with
the lessons attended of those held and the published result (结业, 优秀学员, score, rank)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.cohorts.camps.models import Cohort, Cycle, Enrolment, EnrolmentStatus, Programme
from app.cohorts.grading.models import CohortResult, Outcome, ResultRun
from app.cohorts.models import Application, ApplicationStatus
from app.events.models import Event
from app.extensions import db
from app.person.record.items import Figure, ItemKind, RecordItem, rate_figure, value_figure
from app.person.record.scope import Scope
from app.person.record.sources.camp_attendance import lesson_counts
from app.timeutil import to_local

ENROLMENT_LABELS = {EnrolmentStatus.ENROLLED.value: _l("In the cohort"),
                    EnrolmentStatus.WITHDRAWN.value: _l("Left the cohort")}


def application_items(user, scope: Scope) -> list[RecordItem]:
    rows = db.session.execute(
        sa.select(Application, Cycle, Programme).join(Cycle, Cycle.id == Application.cycle_id)
        .join(Programme, Programme.id == Cycle.programme_id)
        .where(Application.user_id == user.id, scope.clause(Programme.department_id))
        .options(joinedload(Application.tier))).all()
    return [RecordItem(
        key=f"camp_application:{a.id}", when=to_local(a.submitted_at).date(), kind=ItemKind.CAMP_APPLICATION.value,
        programme=programme.name, title=f"{programme.name} {cycle.name} · {a.tier.name}",
        status=a.status, status_label=ApplicationStatus.label_of(a.status), department_id=programme.department_id,
        link=url_for("cohorts.my_applications"),
        staff_link=url_for("cohorts.console_application", application_id=a.id)) for a, cycle, programme in rows]


def _published_results(enrolment_ids: list[int]) -> dict[int, CohortResult]:
    """Each enrolment's latest published result, in one query."""
    if not enrolment_ids:
        return {}
    latest = {}
    for result in db.session.scalars(
            sa.select(CohortResult).join(ResultRun, ResultRun.id == CohortResult.run_id)
            .where(CohortResult.enrolment_id.in_(enrolment_ids), ResultRun.published_at.is_not(None))
            .order_by(ResultRun.id)):
        latest[result.enrolment_id] = result
    return latest


def _result_figures(result: CohortResult | None) -> list[Figure]:
    if result is None:
        return []
    figures = [Figure("outcome", str(_l("Camp result")), Outcome.label_of(result.outcome))]
    if result.score is not None:
        figures.append(value_figure("score", _l("Score"), round(result.score, 1)))
    if result.rank is not None:
        figures.append(value_figure("rank", _l("Rank"), result.rank, str(result.rank)))
    return figures


def camp_items(user, scope: Scope) -> list[RecordItem]:
    enrolments = list(db.session.scalars(
        sa.select(Enrolment).join(Cohort, Cohort.id == Enrolment.cohort_id).join(Event, Event.id == Cohort.event_id)
        .where(Enrolment.user_id == user.id, scope.clause(Event.department_id))
        .options(joinedload(Enrolment.cohort).joinedload(Cohort.event),
                 joinedload(Enrolment.cohort).joinedload(Cohort.cycle).joinedload(Cycle.programme),
                 joinedload(Enrolment.cohort).joinedload(Cohort.tier))))
    attendance = lesson_counts(enrolments)
    results = _published_results([e.id for e in enrolments])
    items = []
    for e in enrolments:
        cohort, count, result = e.cohort, attendance.get(e.id), results.get(e.id)
        done, total = (count.done, count.total) if count else (0, 0)
        figures = [rate_figure("attendance", _l("Lessons attended"), done, total)]
        if result is not None and result.attendance_rate is not None:  # the rate the result was decided on
            figures.append(Figure("graded_attendance", str(_l("Attendance (as graded)")),
                                  f"{round(100 * result.attendance_rate)} %", value=round(100 * result.attendance_rate)))
        figures += _result_figures(result)
        status = result.outcome if result is not None else e.status
        label = Outcome.label_of(result.outcome) if result is not None else str(ENROLMENT_LABELS.get(e.status, e.status))
        items.append(RecordItem(
            key=f"camp:{e.id}", when=cohort.starts_on, kind=ItemKind.CAMP.value,
            programme=cohort.cycle.programme.name, title=f"{cohort.name} · {cohort.tier.name}",
            status=status, status_label=label, department_id=cohort.event.department_id, figures=tuple(figures),
            link=url_for("cohorts.my_camps"), staff_link=url_for("cohorts.cohort", cohort_id=cohort.id),
            attended=bool(count and count.came), sessions_done=done, sessions_total=total))
    return items
