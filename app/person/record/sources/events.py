"""Events the person registered for (forums, briefings, job fairs), on-site or online: whether
they came, and the sessions attended of those held; online, the minutes watched."""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.events.models import Event, EventFormat
from app.extensions import db
from app.online.models import OnlinePart, OnlinePresence
from app.person.record.attendance import counts
from app.person.record.items import ItemKind, RecordItem, rate_figure, value_figure
from app.person.record.scope import Scope
from app.person.record.sources.programme_events import programme_event_ids
from app.registrations.models import Registration, RegStatus
from app.timeutil import to_local, utcnow

STATUS_LABELS = {"attended": _l("Took part"), "absent": _l("Did not attend"), "registered": _l("Registered"),
                 "pending": _l("Pending approval"), "waitlisted": _l("Waiting list")}
KEPT = (RegStatus.CONFIRMED.value, RegStatus.PENDING.value, RegStatus.WAITLISTED.value)


def event_items(user, scope: Scope) -> list[RecordItem]:
    registrations = list(db.session.scalars(
        sa.select(Registration).join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id, Registration.status.in_(KEPT),
               Registration.event_id.not_in(programme_event_ids()), scope.clause(Event.department_id))
        .options(joinedload(Registration.event).joinedload(Event.series))))
    ids = [r.id for r in registrations]
    attendance = counts(ids)
    watched = {reg_id: (int(seconds or 0), int(needed or 0) * 60) for reg_id, seconds, needed in db.session.execute(
        sa.select(OnlinePresence.registration_id, sa.func.sum(OnlinePresence.seconds), sa.func.max(OnlinePart.attended_minutes))
        .outerjoin(OnlinePart, OnlinePart.event_id == OnlinePresence.event_id)
        .where(OnlinePresence.registration_id.in_(ids)).group_by(OnlinePresence.registration_id))} if ids else {}
    now = utcnow()
    items = []
    for r in registrations:
        event, count = r.event, attendance[r.id]
        online = event.format == EventFormat.ONLINE.value or (r.id in watched and event.format != EventFormat.ONSITE.value)
        seconds, needed = watched.get(r.id, (0, 0))
        # online, joining is not attending: the organiser's minutes are (app.online.figures)
        came = seconds >= needed if online and r.id in watched else (count.came and not online)
        done = count.done if came or not online else 0
        if r.status != RegStatus.CONFIRMED.value:
            status = r.status
        elif came:
            status = "attended"
        else:
            status = "absent" if event.ends_at <= now else "registered"
        figures = [rate_figure("attendance", _l("Sessions attended"), done, count.total)] if count.total > 1 else []
        if r.id in watched:
            minutes = seconds // 60
            figures.append(value_figure("minutes_online", _l("Minutes online"), minutes, str(minutes)))
        items.append(RecordItem(
            key=f"event:{r.id}", when=to_local(event.starts_at).date(),
            kind=(ItemKind.ONLINE_EVENT if online else ItemKind.EVENT).value,
            programme=event.series.name if event.series else "", title=event.title,
            status=status, status_label=str(STATUS_LABELS[status]), department_id=event.department_id,
            figures=tuple(figures), link=url_for("registrations.show", registration_id=r.id),
            staff_link=url_for("console.event", event_id=event.id), attended=came,
            sessions_done=done, sessions_total=count.total))
    return items
