"""The person's own registration: the sessions they booked, the seats left, and changing their
answers and sessions while registration is open."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.errors import Conflict, InvalidInput, NotFound
from app.events.models import Event, EventSession
from app.extensions import db
from app.locking import lock_objects
from app.registrations.answers import check_choice_limits, clean_answers, clean_picked_sessions
from app.registrations.models import BOOKING_REQUESTED, Registration, RegistrationAnswer, SessionBooking
from app.registrations.seats import CANCELLED, CONFIRMED, WAITLISTED, count_rows, lock_event, session_confirmed_counts
from app.registrations.waiting_list import allocate_sessions, promote_session
from app.timeutil import utcnow


class RegistrationNotEditable(Conflict):
    """The person's registration cannot be changed: registration has closed (`editing_closed`), or
    the registration is cancelled or was not approved (`not_editable`)."""

    code = "not_editable"
    default_message = _l("This registration is cancelled or was not approved; it can no longer be changed.")


EDITING_CLOSED = _l("Registration has closed; your registration can no longer be changed.")


@dataclass(frozen=True)
class SessionSeat:
    """One agenda session as a registrant sees it on the form: seats left, and their own booking."""

    session: EventSession
    left: int | None              # seats left; None when the session has no limit
    booking: str | None = None    # the person's booking status (never "cancelled")
    position: int | None = None   # their place on the session's waiting list

    @property
    def full(self) -> bool:
        return self.left == 0


def registration_of(user: User, event: Event) -> Registration | None:
    return db.session.scalar(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id))


def active_bookings(registration: Registration) -> list[SessionBooking]:
    """The person's sessions (not the ones they dropped), in agenda order."""
    return sorted((b for b in registration.bookings if b.status != CANCELLED),
                  key=lambda b: (b.session.starts_at, b.session_id))


def session_queue_position(booking: SessionBooking) -> int | None:
    """1 + the number waiting ahead in that session's queue (first come, first served)."""
    if booking.status != WAITLISTED:
        return None
    ahead = count_rows(SessionBooking, SessionBooking.session_id == booking.session_id,
                   SessionBooking.status == WAITLISTED,
                   sa.tuple_(SessionBooking.queued_at, SessionBooking.id) < sa.tuple_(booking.queued_at, booking.id))
    return ahead + 1


def session_positions(registrations) -> dict[int, int]:
    """booking id -> place on its session's waiting list, for the person's waiting bookings."""
    return {b.id: session_queue_position(b) for r in registrations for b in r.bookings if b.status == WAITLISTED}


def waitlisted_sessions(registration: Registration) -> list[tuple[EventSession, int]]:
    """The sessions the person waits for, with their place in each queue (said after registering
    or changing sessions, so that a full session is never taken silently)."""
    return [(b.session, session_queue_position(b)) for b in active_bookings(registration)
            if b.status == WAITLISTED]


def session_seats(event: Event, registration: Registration | None = None) -> list[SessionSeat]:
    if not event.sessions:
        return []
    counts = session_confirmed_counts(event)
    mine = {b.session_id: b for b in active_bookings(registration)} if registration is not None else {}
    seats = []
    for session in event.sessions:
        left = None if session.capacity is None else max(0, session.capacity - counts.get(session.id, 0))
        booking = mine.get(session.id)
        seats.append(SessionSeat(session, left, booking.status if booking else None,
                                 session_queue_position(booking) if booking else None))
    return seats


def can_edit(registration: Registration) -> bool:
    """Whether the person may still change their answers and sessions."""
    return registration.is_active and registration.event.registration_open()


def update_registration(user: User, registration: Registration, answers: dict | None = None,
                        session_ids=None) -> Registration:
    """The person changes their answers and sessions while registration is open.

    Answers are replaced as a whole and checked like a new registration's (per-choice limits count
    everybody else). Sessions kept keep their seat or their place in the queue; a dropped seat goes
    to the first person waiting for that session; a new session is booked as when registering: a
    seat while one is free, else the end of its waiting list (or, while the registration itself
    holds no seat, requested until it is confirmed). All under the event lock, like registering.
    """
    if registration.user_id != user.id:
        raise NotFound(_l("No such registration."))
    event = registration.event
    _check_editable(registration)
    errors, cleaned, wanted = {}, {}, set()
    try:  # every problem of the form at once
        cleaned = clean_answers(event, answers)
    except InvalidInput as exc:
        errors.update(exc.fields)
    try:
        wanted = {s.id for s in clean_picked_sessions(event, session_ids)}
    except InvalidInput as exc:
        errors.update(exc.fields)
    if errors:
        raise InvalidInput(fields=errors)

    lock_event(event)
    # A cancellation, an approval or a rejection may have committed meanwhile; the row lock
    # keeps a rejection from crossing this change.
    lock_objects(registration)
    db.session.refresh(registration)
    db.session.expire(registration, ["answers", "bookings"])
    _check_editable(registration)
    check_choice_limits(event, cleaned, registration.id)

    held = {a.question_id: a for a in registration.answers}
    for question_id, answer in held.items():
        if question_id not in cleaned:
            registration.answers.remove(answer)
    for question_id, value in cleaned.items():
        if question_id in held:
            held[question_id].value = value
        else:
            registration.answers.append(RegistrationAnswer(question_id=question_id, value=value))

    booked = {b.session_id: b for b in registration.bookings}
    freed = []
    for session_id, booking in booked.items():
        if session_id not in wanted and booking.status != CANCELLED:
            if booking.status == CONFIRMED:
                freed.append(booking.session)
            booking.transition(CANCELLED, actor=user, note="session dropped")
    added = []
    for session_id in sorted(wanted):
        booking = booked.get(session_id)
        if booking is not None and booking.status != CANCELLED:
            continue  # kept: its seat or its place in the queue stays
        if booking is None:
            booking = SessionBooking(session_id=session_id, status=BOOKING_REQUESTED)
            registration.bookings.append(booking)
        else:  # dropped earlier, picked again: the end of the queue
            booking.transition(BOOKING_REQUESTED, actor=user, note="session picked again")
        booking.queued_at = utcnow()
        added.append(session_id)
    db.session.flush()
    for session in freed:
        promote_session(session)
    if added and registration.status == CONFIRMED:
        for session_id in added:  # those already waiting for a seat that came free go first
            promote_session(db.session.get(EventSession, session_id))
        allocate_sessions(registration)
    return registration


def _check_editable(registration: Registration) -> None:
    if not registration.is_active:
        raise RegistrationNotEditable()
    if not registration.event.registration_open():
        raise RegistrationNotEditable(EDITING_CLOSED, code="editing_closed")
