"""留在闵行: the person's answered follow-up surveys — months after a camp, a traineeship or a pitch
competition, whether they work or run a company in Minhang, and where."""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.events.models import Event
from app.extensions import db
from app.followups.models import FollowupSurvey, SurveyStatus
from app.person.record.items import Figure, ItemKind, RecordItem, value_figure
from app.person.record.scope import Scope
from app.timeutil import to_local


def followup_items(user, scope: Scope) -> list[RecordItem]:
    rows = db.session.execute(
        sa.select(FollowupSurvey, Event.department_id).join(Event, Event.id == FollowupSurvey.event_id)
        .where(FollowupSurvey.user_id == user.id, FollowupSurvey.status == SurveyStatus.ANSWERED.value,
               scope.clause(Event.department_id))
        .options(joinedload(FollowupSurvey.organisation))).all()
    items = []
    for survey, department_id in rows:
        figures = [Figure("working", str(_l("Now")), survey.working_label)]
        if survey.employer_text:
            figures.append(Figure("employer", str(_l("Employer or company")), survey.employer_text))
        if survey.funding_wan is not None:
            figures.append(value_figure("funding_wan", _l("Funding raised (10,000 yuan)"), survey.funding_wan))
        if survey.team_size is not None:
            figures.append(value_figure("team_size", _l("Team size"), survey.team_size))
        items.append(RecordItem(
            key=f"followup:{survey.id}", when=to_local(survey.answered_at).date(), kind=ItemKind.FOLLOWUP.value,
            programme=survey.label,
            title=str(_l("%(months)s months after %(programme)s", months=survey.months_after,
                         programme=survey.label)),
            status="in_minhang" if survey.in_minhang else "elsewhere",
            status_label=str(_l("In Minhang") if survey.in_minhang else _l("Not in Minhang")),
            department_id=department_id, figures=tuple(figures), link=url_for("followups.mine"),
            staff_link=url_for("followups.people", kind=survey.programme_kind,
                               programme_id=survey.programme_id)))
    return items
