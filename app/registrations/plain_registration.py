"""The API's common registration, decided in a few Core statements: a first registration for a
published, open event that asks no questions, has no sessions, needs no approval and is held in
the hall (no join link), confirmed while seats remain, else waitlisted.

`register_plain()` writes exactly the rows `registering.register()` writes — the registration,
its history, the notice in the mail outbox, the inbox and as an SMS (the daily cap counted), the
event's confirmed counter and, once the place is held, its reminders — but as rows, not entities:
the ORM's flush of those five entities was a third of a registration's CPU (issue 19). It decides
under the event lock from the first statement on, as the bare endpoint does, so nothing is ever
guessed and corrected. Whatever is not that common case (answers, sessions, an approval step, an
online or invitation event, a registration already there, a closed window) it leaves alone by
returning None, and the caller asks `register()`, which knows every rule.
tests/registrations/test_plain_registration.py holds the two to the same answers and rows.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.events.models import Event, Places
from app.extensions import db
from app.notifications.services import insert_notice
from app.registrations.models import Registration, RegistrationHistory
from app.registrations.notices import status_notice
from app.registrations.registering import AlreadyRegistered
from app.registrations.seats import CONFIRMED, WAITLISTED, add_confirmed, lock_event
from app.timeutil import utcnow

# session.info key: registrations this transaction inserted as rows; whoever keeps rows in line
# with registrations at the commit (app.reminders) reads it, as it reads the session's new entities.
INSERTED = "registrations_inserted"

_registrations, _history = Registration.__table__, RegistrationHistory.__table__

_HELD = sa.select(_registrations.c.id).where(_registrations.c.event_id == sa.bindparam("event"),
                                             _registrations.c.user_id == sa.bindparam("user"))


@dataclass(frozen=True)
class Placed:
    """A registration inserted as a row: what the API's answer and the notices read of it."""
    id: int
    event: Event
    user_id: int
    status: str
    created_at: datetime
    queued_at: datetime
    ticket_secret: str

    @property
    def event_id(self) -> int:
        return self.event.id


def register_plain(user: User, event: Event, answers: dict | None = None, session_ids=None) -> Placed | None:
    """`user` registered for `event` as `register()` would, or None: `register()` is to decide it."""
    if answers or session_ids or not (_plain(event) and event.registration_open()):
        return None
    lock_event(event)  # re-reads the deciding columns: an edit may have committed meanwhile
    if not (_plain(event) and event.registration_open()):
        return None
    connection = db.session.connection()  # the session's, in its transaction
    if connection.execute(_HELD, {"event": event.id, "user": user.id}).first() is not None:
        return None  # a comeback, or already registered
    status = CONFIRMED if event.capacity is None or event.confirmed_count < event.capacity else WAITLISTED
    now = utcnow()
    secret = secrets.token_urlsafe(24)
    try:
        registration_id = connection.execute(sa.insert(_registrations).returning(_registrations.c.id), dict(
            event_id=event.id, user_id=user.id, status=status, created_at=now, queued_at=now,
            status_changed_at=now, ticket_secret=secret, ticket_generation=1)).scalar_one()
    except IntegrityError:  # cannot happen under the event lock, unless a writer skipped it
        db.session.rollback()
        raise AlreadyRegistered() from None
    connection.execute(sa.insert(_history), dict(registration_id=registration_id, at=now, from_status=None,
                                                 to_status=status, actor_id=user.id, note="registered"))
    placed = Placed(registration_id, event, user.id, status, now, now, secret)
    kind, subject = status_notice(event, status)
    insert_notice(user, kind, subject, kind, registration=placed)
    if status == CONFIRMED:
        add_confirmed(event, 1)
    db.session.info.setdefault(INSERTED, []).append(placed)
    return placed


def _plain(event: Event) -> bool:
    return (event.places == Places.OPEN.value and not event.invited_only and not event.requires_approval
            and not event.has_questions and not event.has_sessions and not event.has_online)
