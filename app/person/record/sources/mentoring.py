"""Mentoring (导师辅导): each session a mentor logged with the founder, and the founder's rating."""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.cohorts.camps.models import Cohort
from app.events.models import Event
from app.extensions import db
from app.mentoring.models import MentoringSession, Pairing
from app.person.record.items import ItemKind, RecordItem, value_figure
from app.person.record.scope import Scope
from app.rosters.models import RosterMember


def mentoring_items(user, scope: Scope) -> list[RecordItem]:
    rows = db.session.execute(
        sa.select(MentoringSession, Pairing, Cohort, Event.department_id)
        .join(Pairing, Pairing.id == MentoringSession.pairing_id).join(Cohort, Cohort.id == Pairing.cohort_id)
        .join(Event, Event.id == Cohort.event_id)
        .where(Pairing.founder_id == user.id, scope.clause(Event.department_id))
        .options(joinedload(Pairing.mentor).joinedload(RosterMember.user))).all()
    items = []
    for session, pairing, cohort, department_id in rows:
        figures = (value_figure("rating", _l("Your rating"), session.rating, f"{session.rating}/5"),) \
            if session.rating is not None else ()
        items.append(RecordItem(
            key=f"mentoring:{session.id}", when=session.held_on, kind=ItemKind.MENTORING.value, programme=cohort.name,
            title=f"{session.topic} · {pairing.mentor.user.name}", status="held", status_label=str(_l("Held")),
            department_id=department_id, figures=figures, link=url_for("mentoring.mine"),
            staff_link=url_for("mentoring.cohort", cohort_id=cohort.id)))
    return items
