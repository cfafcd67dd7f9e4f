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
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.accounts.services import TokenHolder
from app.errors import NotFound
from app.events.models import Event, Places
from app.extensions import db
from app.notifications.services import insert_notice, notice_inserted, notice_rows
from app.notifications.sms.services import daily_cap, local_day_start, sent_today_count
from app.registrations import plain_write
from app.registrations.lookups import get_public_event, require_visible
from app.registrations.models import Registration, RegistrationHistory
from app.registrations.notices import status_notice
from app.registrations.registering import AlreadyRegistered, register
from app.registrations.seats import (CONFIRMED, WAITLISTED, add_confirmed, confirmed_written, event_lock_statement,
                                    lock_event, locked_event_row)
from app.timeutil import utcnow

# Who registers: the account, or its API token's row (`accounts.TokenHolder`, what the common case reads).
Registrant = User | TokenHolder

# session.info key: registrations this transaction inserted as rows; whoever keeps rows in line
# with registrations at the commit (app.reminders) reads it, as it reads the session's new entities.
INSERTED = "registrations_inserted"

_registrations, _history = Registration.__table__, RegistrationHistory.__table__

_HELD = sa.select(_registrations.c.id).where(_registrations.c.event_id == sa.bindparam("event"),
                                             _registrations.c.user_id == sa.bindparam("user"))


@dataclass(frozen=True)
class Placed:
    """A registration inserted as a row: what the API's answer and the notices read of it."""
    id: int | None  # None until inserted
    event: Event
    user_id: int
    status: str
    created_at: datetime
    queued_at: datetime
    ticket_secret: str
    position: int | None = None  # on the waiting list, when the write read it (else None: ask seats)

    @property
    def event_id(self) -> int:
        return self.event.id


def register_for_event(person: Registrant, event_id: int, answers: dict | None = None,
                       session_ids=None) -> Placed | Registration:
    """The API's registration of `person` (the account, or its token's `TokenHolder` row) for the event
    `event_id`, as far as they may see it (`get_public_event`): the common case decided here, anything
    else by `register()`, given the account's entity. On PostgreSQL the common case reads the event in
    its lock statement, one round trip instead of two."""
    if answers or session_ids or not _postgresql():
        event, locked = get_public_event(event_id, person), None
    else:
        event, locked = _visible_locked_event(person, event_id)
    return (register_plain(person, event, answers, session_ids, locked=locked)
            or register(person.user() if isinstance(person, TokenHolder) else person, event, answers or {},
                        session_ids))


def register_plain(user: Registrant, event: Event, answers: dict | None = None, session_ids=None, *,
                   locked: sa.Row | None = None) -> Placed | None:
    """`user` registered for `event` as `register()` would, or None: `register()` is to decide it.
    `locked`: the row of the lock statement (PostgreSQL: `_locked_event_statement`) when the caller has
    taken the lock already."""
    if answers or session_ids or not (_plain(event) and event.registration_open()):
        return None
    if _postgresql():
        return _placed_in_one_write(user, event, locked)
    lock_event(event)  # re-reads the deciding columns: an edit may have committed meanwhile
    if not (_plain(event) and event.registration_open()):
        return None
    connection = db.session.connection()  # the session's, in its transaction
    if connection.execute(_HELD, {"event": event.id, "user": user.id}).first() is not None:
        return None  # a comeback, or already registered
    placed = _placing(user, event)
    try:
        registration_id = connection.execute(sa.insert(_registrations).returning(_registrations.c.id),
                                             _registration_row(placed)).scalar_one()
    except IntegrityError:  # cannot happen under the event lock, unless a writer skipped it
        db.session.rollback()
        raise AlreadyRegistered() from None
    placed = replace(placed, id=registration_id)
    connection.execute(sa.insert(_history), _history_row(placed))
    kind, subject = status_notice(event, placed.status)
    insert_notice(user, kind, subject, kind, registration=placed)
    if placed.status == CONFIRMED:
        add_confirmed(event, 1)
    return _inserted(placed)


def _visible_locked_event(user: Registrant, event_id: int) -> tuple[Event, sa.Row]:
    """PostgreSQL: the event, loaded by its lock statement (`_locked_event_statement`: the whole entity
    read from the locked row), if `user` may see it."""
    counts_sms = _counts_sms(user)
    row = db.session.execute(_locked_event_statement(counts_sms), _lock_params(user, event_id, counts_sms)).first()
    if row is None:
        raise NotFound(_l("No such event."))
    return require_visible(row.Event, user), row


def _placed_in_one_write(user: Registrant, event: Event, row: sa.Row | None) -> Placed | None:
    """PostgreSQL: the lock statement also asks whether the person holds a place and how many SMS their
    number had today (neither waits on another seat decision of this event), and one statement writes
    every row and reads the waiting-list position (`plain_write`): three round trips under the event
    lock, COMMIT included, as the bare endpoint takes."""
    counts_sms = _counts_sms(user)
    if row is None:
        row = locked_event_row(event, _lock_statement(counts_sms), _lock_params(user, event.id, counts_sms))
    if row.held or not (_plain(event) and event.registration_open()):
        return None
    placed = _placing(user, event)
    kind, subject = status_notice(event, placed.status)
    notice = notice_rows(user, kind, subject, kind, registration=placed,
                         sent_today=row.sms_today if counts_sms else 0)
    try:
        written = plain_write.write(db.session.connection(), {
            "placed": _registration_row(placed), "history": _history_row(placed), "inbox": notice.inbox,
            "mail": notice.mail, "sms": notice.sms}, seat=placed.status == CONFIRMED)
    except IntegrityError:  # the same person's other request committed while this one waited
        db.session.rollback()
        raise AlreadyRegistered() from None
    if placed.status == CONFIRMED:
        confirmed_written(event, 1)  # the write's seat CTE ran `confirmed_update`
    notice_inserted(notice, written.mail_id, written.sms_id)
    return _inserted(replace(placed, id=written.id, position=written.position))


def _counts_sms(user: Registrant) -> bool:
    return bool(user.mobile and daily_cap())


def _lock_params(user: Registrant, event_id: int, counts_sms: bool) -> dict:
    params = {"event": event_id, "event_id": event_id, "user": user.id}
    if counts_sms:
        params.update(mobile=user.mobile, day_start=local_day_start(utcnow()))
    return params


def _lock_extras(counts_sms: bool) -> list[sa.ColumnElement]:
    """What the lock statement reads beside the event: whether the person holds a place, and their
    number's SMS of the day."""
    extra = [sa.exists(_HELD).label("held")]
    if counts_sms:
        extra.append(sent_today_count(sa.bindparam("mobile"), sa.bindparam("day_start", type_=sa.DateTime))
                     .scalar_subquery().label("sms_today"))
    return extra


@lru_cache(maxsize=2)
def _lock_statement(counts_sms: bool) -> sa.Select:
    return event_lock_statement(*_lock_extras(counts_sms))


@lru_cache(maxsize=2)
def _locked_event_statement(counts_sms: bool) -> sa.Select:
    """`_lock_statement` that loads the whole event: each column from the locked row's newest version."""
    return (sa.select(Event, *_lock_extras(counts_sms)).where(Event.id == sa.bindparam("event_id"))
            .with_for_update(key_share=True, of=Event).execution_options(populate_existing=True))


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _placing(user: Registrant, event: Event) -> Placed:
    """The place the person gets, decided under the event lock; its id is the insert's."""
    status = CONFIRMED if event.capacity is None or event.confirmed_count < event.capacity else WAITLISTED
    now = utcnow()
    return Placed(None, event, user.id, status, now, now, secrets.token_urlsafe(24))


def _registration_row(placed: Placed) -> dict:
    return dict(event_id=placed.event_id, user_id=placed.user_id, status=placed.status, created_at=placed.created_at,
                queued_at=placed.queued_at, status_changed_at=placed.created_at, ticket_secret=placed.ticket_secret,
                ticket_generation=1)


def _history_row(placed: Placed) -> dict:
    return dict(registration_id=placed.id, at=placed.created_at, from_status=None, to_status=placed.status,
                actor_id=placed.user_id, note="registered")


def _inserted(placed: Placed) -> Placed:
    """Tell the commit's hooks (app.reminders) about the registration inserted as a row."""
    db.session.info.setdefault(INSERTED, []).append(placed)
    return placed


def _plain(event: Event) -> bool:
    return (event.places == Places.OPEN.value and not event.invited_only and not event.requires_approval
            and not event.has_questions and not event.has_sessions and not event.has_online)
