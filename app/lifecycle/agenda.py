"""Agenda sessions: saved with their checkpoint (once the event is published), deleted only while
nobody has booked them."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.checkin.services import session_checkpoint
from app.errors import Conflict, InvalidInput, NotFound
from app.events.models import Event, EventSession
from app.events.services import require_manage
from app.extensions import db
from app.registrations.models import SessionBooking
from app.timeutil import fmt


def save_session(actor: User, event: Event, *, title: str, starts_at: datetime, ends_at: datetime,
                 room: str = "", speaker: str = "", capacity: int | None = None,
                 session: EventSession | None = None) -> EventSession:
    require_manage(actor, event)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _l("Please enter a title.")
    if not starts_at:
        errors["starts_at"] = _l("Please enter the start time.")
    if not ends_at or (starts_at and ends_at <= starts_at):
        errors["ends_at"] = _l("The session must end after it starts.")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _l("Capacity is a whole number from 1 to 100000, or empty for no limit.")
    if not errors and not event.invitation_only:
        # An invitation-only occasion (a cohort's lessons, a studio's activities) is stretched over
        # its agenda by span_agenda; any other event's sessions happen inside the event's own time.
        span = {"start": fmt(event.starts_at), "end": fmt(event.ends_at)}
        if starts_at < event.starts_at or starts_at >= event.ends_at:
            errors["starts_at"] = _l("The session must start within the event's time (%(start)s – %(end)s).", **span)
        if ends_at > event.ends_at:
            errors["ends_at"] = _l("The session must end by the time the event ends (%(end)s).", **span)
    if errors:
        raise InvalidInput(fields=errors)
    if session is None:
        session = EventSession(event=event)
        db.session.add(session)
    elif session.event_id != event.id:
        raise NotFound()
    session.title, session.starts_at, session.ends_at = title.strip(), starts_at, ends_at
    session.room, session.speaker, session.capacity = room or "", speaker or "", capacity
    db.session.flush()
    if event.is_published:
        session_checkpoint(session)
    return session


def delete_session(actor: User, session: EventSession) -> None:
    require_manage(actor, session.event)
    booked = db.session.scalar(sa.select(sa.func.count()).select_from(SessionBooking)
                               .where(SessionBooking.session_id == session.id))
    if booked:
        raise Conflict(_l("People have booked this session; it cannot be deleted."), code="session_booked")
    db.session.delete(session)
