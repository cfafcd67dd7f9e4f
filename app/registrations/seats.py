"""Seats: the event lock every seat decision takes first, and the counts it reads.

Every action that can change who holds a seat takes the event's row lock first (`lock_event`),
so capacity, waiting-list order and per-choice limits are decided one registration at a time
on PostgreSQL and on SQLite alike; `move_registration` changes a registration's status under that lock and
keeps the event's confirmed counter exact.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.events.models import Event, EventSession
from app.extensions import db
from app.locking import lock_objects
from app.registrations.models import Registration, RegStatus, SessionBooking

CONFIRMED, WAITLISTED, PENDING = RegStatus.CONFIRMED.value, RegStatus.WAITLISTED.value, RegStatus.PENDING.value


CANCELLED, REJECTED = RegStatus.CANCELLED.value, RegStatus.REJECTED.value


# What a seat decision reads from the event; refreshed under the lock because a cancellation
# or an edit may have committed while we waited for it.
_DECIDING_COLUMNS = ["status", "capacity", "confirmed_count", "requires_approval",
                     "registration_opens_at", "registration_closes_at", "ends_at"]


def lock_event(event: Event) -> Event:
    """Serialise seat decisions of one event until the transaction ends (`app.locking`), and
    re-read what they depend on."""
    lock_objects(event, refresh=_DECIDING_COLUMNS)
    return event


def event_lock_statement(*extra: sa.ColumnElement) -> sa.Select:
    """`lock_event` on PostgreSQL as one Core statement (bound to `event_id`) that also reads `extra`
    in the same round trip. The deciding columns come from the locked row's newest version, but
    `extra` is read as of the statement's start (READ COMMITTED): only what another seat decision
    cannot change while this one waits for the lock may be read so. Build it once; run it with
    `locked_event_row`."""
    table = Event.__table__
    return sa.select(*(table.c[name] for name in _DECIDING_COLUMNS), *extra) \
        .where(table.c.id == sa.bindparam("event_id")).with_for_update(key_share=True, of=table)


def locked_event_row(event: Event, statement: sa.Select, params: dict) -> sa.Row:
    """Run an `event_lock_statement` for `event`: its deciding attributes are the locked row's."""
    db.session.flush()  # as lock_objects: the re-read must not discard pending changes
    row = db.session.connection().execute(statement, dict(params, event_id=event.id)).one()
    for name in _DECIDING_COLUMNS:
        set_committed_value(event, name, row._mapping[name])
    return row


def count_rows(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def confirmed_count(event_id: int) -> int:
    return count_rows(Registration, Registration.event_id == event_id, Registration.status == CONFIRMED)


def seats_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(0, event.capacity - event.confirmed_count)


def move_registration(registration: Registration, new: str, **history) -> None:
    """Every status change made under the event lock goes through here, which keeps the
    event's confirmed counter exact."""
    was_confirmed = registration.status == CONFIRMED
    registration.transition(new, **history)
    add_confirmed(registration.event, (new == CONFIRMED) - was_confirmed)


def add_confirmed(event: Event, delta: int) -> None:
    """Adjust the counter in place (`confirmed_update`)."""
    if not delta:
        return
    db.session.execute(confirmed_update(event.id, delta))
    confirmed_written(event, delta)


def confirmed_update(event_id, delta: int) -> sa.Update:
    """The UPDATE of an event's confirmed counter by `delta` (`event_id`: a value or an expression):
    a seat changing hands is not an edit of the event, so updated_at (the calendar's LAST-MODIFIED)
    stays as it is."""
    table = Event.__table__
    return sa.update(table).where(table.c.id == event_id).values(
        confirmed_count=table.c.confirmed_count + delta, updated_at=table.c.updated_at)


def confirmed_written(event: Event, delta: int) -> None:
    """The loaded event's counter follows a `confirmed_update` already run, without reading it again."""
    set_committed_value(event, "confirmed_count", event.confirmed_count + delta)


def status_counts(event_id: int) -> dict[str, int]:
    rows = db.session.execute(sa.select(Registration.status, sa.func.count())
                              .where(Registration.event_id == event_id).group_by(Registration.status))
    counts = {s.value: 0 for s in RegStatus}
    counts.update({status: n for status, n in rows})
    return counts


def session_confirmed_counts(event: Event) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(SessionBooking.session_id, sa.func.count())
        .join(EventSession, EventSession.id == SessionBooking.session_id)
        .where(EventSession.event_id == event.id, SessionBooking.status == CONFIRMED)
        .group_by(SessionBooking.session_id))
    return dict(rows.all())


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != WAITLISTED:
        return None
    return queue_position(registration.event_id, registration.id, registration.queued_at)


def queue_position(event_id: int, registration_id: int, queued_at) -> int:
    """1 + the number of people waiting ahead (first come, first served)."""
    return db.session.scalar(sa.select(count_waiting_ahead(event_id, queued_at, registration_id))) + 1


def count_waiting_ahead(event_id: int, queued_at, registration_id) -> sa.ScalarSelect:
    """How many wait ahead of a place queued at `queued_at` (`registration_id`: a value or an expression)."""
    # A row-value comparison, so the (event, status, queued_at) index bounds the scan.
    return sa.select(sa.func.count()).select_from(Registration).where(
        Registration.event_id == event_id, Registration.status == WAITLISTED,
        sa.tuple_(Registration.queued_at, Registration.id) < sa.tuple_(queued_at, registration_id)).scalar_subquery()
