"""Waiting lists: the event's (first come, first served) and each capacity-limited session's;
a seat that comes free goes to the first in line. Callers hold the event lock."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.events.models import Event, EventSession
from app.extensions import db
from app.notifications.services import notify
from app.registrations.models import BOOKING_REQUESTED, Registration, SessionBooking
from app.registrations.seats import (
    CANCELLED,
    CONFIRMED,
    WAITLISTED,
    count_rows,
    move_registration,
    session_confirmed_counts,
)
from app.timeutil import utcnow


def allocate_sessions(registration: Registration) -> None:
    """Give a newly confirmed registrant their session seats, queueing where a session is full."""
    if not registration.bookings:
        return
    counts = session_confirmed_counts(registration.event)
    now = utcnow()
    for booking in registration.bookings:
        if booking.status != BOOKING_REQUESTED:
            continue
        capacity = booking.session.capacity
        if capacity is None or counts.get(booking.session_id, 0) < capacity:
            booking.transition(CONFIRMED, note="seat booked")
            counts[booking.session_id] = counts.get(booking.session_id, 0) + 1
        else:
            booking.transition(WAITLISTED, note="session full")
        booking.queued_at = now
    db.session.flush()


def release_sessions(registration: Registration, actor: User | None = None) -> None:
    freed = {b.session_id for b in registration.bookings if b.status == CONFIRMED}
    for booking in registration.bookings:
        if booking.status != CANCELLED:
            booking.transition(CANCELLED, actor=actor, note="registration cancelled")
    db.session.flush()
    for session_id in freed:
        promote_session(db.session.get(EventSession, session_id))


def promote_session(session: EventSession) -> None:
    if session.capacity is None:
        return
    free = session.capacity - count_rows(SessionBooking, SessionBooking.session_id == session.id,
                                     SessionBooking.status == CONFIRMED)
    if free <= 0:
        return
    queue = db.session.scalars(
        sa.select(SessionBooking).where(SessionBooking.session_id == session.id,
                                        SessionBooking.status == WAITLISTED)
        .order_by(SessionBooking.queued_at, SessionBooking.id).limit(free))
    for booking in queue:
        booking.transition(CONFIRMED, note="promoted from the session's waiting list")
        notify(booking.registration.user, "session_promoted",
               _l("A seat in “%(session)s” is now yours", session=session.title), "session_promoted",
               registration=booking.registration, session_id=session.id)


def promote_waitlist(event: Event) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served (caller holds the lock)."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - event.confirmed_count
        if free <= 0:
            return []
    query = (sa.select(Registration)
             .where(Registration.event_id == event.id, Registration.status == WAITLISTED)
             .order_by(Registration.queued_at, Registration.id))
    if free is not None:
        query = query.limit(free)
    promoted = list(db.session.scalars(query))
    for registration in promoted:
        move_registration(registration, CONFIRMED, note="promoted from waiting list")
        allocate_sessions(registration)
        notify(registration.user, "promoted", _l("A seat is now yours: %(event)s", event=event.title),
               "promoted", registration=registration)
    return promoted
