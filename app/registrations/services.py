"""Registration: the seat-allocating actions.

Every action that can change who holds a seat takes the event's row lock first
(`lock_event`), so capacity, waiting-list order and per-choice limits are decided
one registration at a time on PostgreSQL and on SQLite alike.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import User
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied, ServiceError
from app.events.models import NUMBER_BOUND, Event, EventSession, EventStatus, Places, Question, QuestionKind
from app.events.services import can_manage, get_event, require_manage
from app.extensions import db
from app.locking import lock_objects
from app.notifications.services import notify
from app.registrations.models import (
    ACTIVE_STATUSES,
    BOOKING_REQUESTED,
    REJECTED_WITHOUT_REASON,
    Registration,
    RegistrationAnswer,
    RegStatus,
    SessionBooking,
)
from app.timeutil import utcnow

CONFIRMED, WAITLISTED, PENDING = RegStatus.CONFIRMED.value, RegStatus.WAITLISTED.value, RegStatus.PENDING.value
CANCELLED, REJECTED = RegStatus.CANCELLED.value, RegStatus.REJECTED.value


class RegistrationClosed(ServiceError):
    code = "registration_closed"
    http_status = 403
    default_message = _l("Registration for this event is not open.")


class AlreadyRegistered(Conflict):
    code = "already_registered"
    default_message = _l("You are already registered for this event.")


class RegistrationNotEditable(Conflict):
    """The person's registration cannot be changed: registration has closed (`editing_closed`), or
    the registration is cancelled or was not approved (`not_editable`)."""

    code = "not_editable"
    default_message = _l("This registration is cancelled or was not approved; it can no longer be changed.")


EDITING_CLOSED = _l("Registration has closed; your registration can no longer be changed.")


# -- locking ------------------------------------------------------------------
# What a seat decision reads from the event; refreshed under the lock because a cancellation
# or an edit may have committed while we waited for it.
_DECIDING_COLUMNS = ["status", "capacity", "confirmed_count", "requires_approval",
                     "registration_opens_at", "registration_closes_at", "ends_at"]


def lock_event(event: Event) -> Event:
    """Serialise seat decisions of one event until the transaction ends (`app.locking`), and
    re-read what they depend on."""
    lock_objects(event, refresh=_DECIDING_COLUMNS)
    return event


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def confirmed_count(event_id: int) -> int:
    return _count(Registration, Registration.event_id == event_id, Registration.status == CONFIRMED)


def seats_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(0, event.capacity - event.confirmed_count)


def _move(registration: Registration, new: str, **history) -> None:
    """Every status change made under the event lock goes through here, which keeps the
    event's confirmed counter exact."""
    was_confirmed = registration.status == CONFIRMED
    registration.transition(new, **history)
    _add_confirmed(registration.event, (new == CONFIRMED) - was_confirmed)


def _add_confirmed(event: Event, delta: int) -> None:
    """Adjust the counter in place: a seat changing hands is not an edit of the event, so
    updated_at (the calendar's LAST-MODIFIED) stays as it is."""
    if not delta:
        return
    table = Event.__table__
    db.session.execute(sa.update(table).where(table.c.id == event.id).values(
        confirmed_count=table.c.confirmed_count + delta, updated_at=table.c.updated_at))
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
    # A row-value comparison, so the (event, status, queued_at) index bounds the scan.
    ahead = _count(Registration, Registration.event_id == event_id, Registration.status == WAITLISTED,
                   sa.tuple_(Registration.queued_at, Registration.id) < sa.tuple_(queued_at, registration_id))
    return ahead + 1


# -- answers ------------------------------------------------------------------
def _empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def clean_answer(question: Question, raw):
    """The stored form of one answer, or InvalidInput's message for it."""
    kind = question.kind_enum
    if _empty(raw):
        if question.required:
            raise ValueError(_l("This question must be answered."))
        return None
    if kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
        if not isinstance(raw, str):
            raise ValueError(_l("Please answer with text."))
        limit = question.text_limit
        if len(raw.strip()) > limit:
            raise ValueError(_l("At most %(n)s characters.", n=limit))
        return raw.strip()
    if kind == QuestionKind.SINGLE:
        if not isinstance(raw, str) or raw not in question.choice_labels:
            raise ValueError(_l("Choose one of the listed options."))
        return raw
    if kind == QuestionKind.MULTIPLE:
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, list) or any(v not in question.choice_labels for v in values):
            raise ValueError(_l("Choose among the listed options."))
        return [label for label in question.choice_labels if label in values]
    if kind == QuestionKind.NUMBER:
        if isinstance(raw, bool):
            raise ValueError(_l("Please enter a number."))
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError(_l("Please enter a number.")) from None
        if not number.is_finite() or abs(number) > NUMBER_BOUND:
            raise ValueError(_l("Please enter a number."))
        low, high = question.min_value, question.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(question.limits_hint)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == QuestionKind.DATE:
        try:
            return date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise ValueError(_l("Please enter a date like 2026-05-18.")) from None
    raise ValueError(_l("Unknown question."))


def clean_answers(event: Event, answers: dict | None) -> dict[int, object]:
    """Validate all answers at once, so a form shows every problem together."""
    answers = answers or {}
    if not isinstance(answers, dict):
        raise InvalidInput(fields={"answers": _l("Answers must be an object keyed by question id.")})
    if not event.has_questions and not answers:
        return {}
    by_id = {str(q.id): q for q in event.questions}
    errors, cleaned = {}, {}
    for key in answers:
        if str(key) not in by_id:
            errors[f"answers.{key}"] = _l("No such question in this event.")
    for key, question in by_id.items():
        try:
            value = clean_answer(question, answers.get(key, answers.get(question.id)))
        except ValueError as exc:
            errors[f"answers.{key}"] = exc.args[0]
        else:
            if value is not None:
                cleaned[question.id] = value
    if errors:
        raise InvalidInput(fields=errors)
    return cleaned


def _clean_picked_sessions(event: Event, session_ids) -> list[EventSession]:
    """The sessions of a change: at least one when the event has an agenda (unlike registering,
    where no pick means the whole agenda, an empty pick here would be a slip of the thumb)."""
    sessions = _clean_sessions(event, session_ids)
    if event.has_sessions and not sessions:
        raise InvalidInput(fields={"sessions": _l("Choose at least one session.")})
    return sessions


def _check_choice_limits(event: Event, cleaned: dict[int, object], exclude_registration: int | None) -> None:
    """Per-choice limits (e.g. 'lunch: 80'); called under the event lock."""
    if not event.has_questions:
        return
    limited = {q.id: q.limited_choices for q in event.questions if q.limited_choices}
    wanted = {qid: (v if isinstance(v, list) else [v]) for qid, v in cleaned.items() if qid in limited}
    if not any(set(v) & set(limited[qid]) for qid, v in wanted.items()):
        return
    rows = db.session.execute(
        sa.select(RegistrationAnswer.question_id, RegistrationAnswer.value)
        .join(Registration, Registration.id == RegistrationAnswer.registration_id)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES),
               RegistrationAnswer.question_id.in_(list(wanted)),
               Registration.id != (exclude_registration or -1)))
    taken: dict[tuple[int, str], int] = {}
    for qid, value in rows:
        for label in value if isinstance(value, list) else [value]:
            taken[(qid, label)] = taken.get((qid, label), 0) + 1
    errors = {}
    for qid, labels in wanted.items():
        for label in labels:
            limit = limited[qid].get(label)
            if limit is not None and taken.get((qid, label), 0) >= limit:
                errors[f"answers.{qid}"] = _l("“%(choice)s” is fully taken; please choose another option.",
                                              choice=label)
    if errors:
        raise InvalidInput(fields=errors)


def _clean_sessions(event: Event, session_ids) -> list[EventSession]:
    if not session_ids:
        return []
    by_id = {s.id: s for s in event.sessions}
    try:
        wanted = {int(s) for s in session_ids}
    except (TypeError, ValueError):
        raise InvalidInput(fields={"sessions": _l("Unknown session.")}) from None
    if not wanted <= set(by_id):
        raise InvalidInput(fields={"sessions": _l("Unknown session.")})
    return [by_id[i] for i in sorted(wanted)]


# -- registering --------------------------------------------------------------
def register(user: User, event: Event, answers: dict | None = None, session_ids=None) -> Registration:
    """Register `user` for an open event; confirmed while seats remain, else waitlisted (or
    pending approval). The event says how its places are taken (`Event.places`): invitation and
    entry events are refused here, whoever asks; their programmes seat people through `admit`
    and `enter`."""
    if event.places == Places.INVITATION.value:
        raise Conflict(_l("Participants of this occasion are chosen by the organiser."), code="invitation_only")
    if event.places == Places.ENTRY.value:
        raise Conflict(_l("Enter this competition on its own page, with your employer and category."),
                       code="competition_entry")
    return _take_place(user, event, answers, session_ids)


def enter(user: User, event: Event, answers: dict | None = None, session_ids=None) -> Registration:
    """A place in an entry event, taken through its programme's entry form (a competition
    category's, which checks eligibility, employer and team first); otherwise as `register`."""
    if event.places != Places.ENTRY.value:
        raise ValueError(f"{event!r} takes no entries: its places are {event.places!r}")
    return _take_place(user, event, answers, session_ids)


def _take_place(user: User, event: Event, answers: dict | None, session_ids) -> Registration:
    """Register; confirmed while seats remain, else waitlisted (or pending approval).

    The event lock serialises every registration of an event, so it is held as briefly as
    possible: the rows, answers and notice are written first for the status the seat counts
    suggest, then, under the lock, the counts are read again and the guess is corrected if a
    concurrent registration took the last seat (or freed one) in between. The waiting list is
    first come, first served by the time the registration arrived.
    """
    if not event.registration_open():
        raise RegistrationClosed()
    cleaned = clean_answers(event, answers)
    sessions = _clean_sessions(event, session_ids)
    if event.has_sessions and not sessions:
        sessions = list(event.sessions)  # no pick means the whole agenda
    registration = db.session.scalar(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id))
    if registration is not None and registration.is_active:
        raise AlreadyRegistered(registration_id=registration.id)

    guess = _expected_status(event)
    if registration is None:
        registration = Registration(event=event, user=user, status=None,
                                    ticket_secret=secrets.token_urlsafe(24))
        db.session.add(registration)
    else:  # a comeback after cancelling or being rejected: new answers, new ticket
        registration.answers.clear()
        registration.bookings.clear()
        registration.ticket_generation += 1
        registration.ticket_secret = secrets.token_urlsafe(24)
    registration.transition(guess, actor=user, note="registered")  # counted once settled
    registration.queued_at = utcnow()
    # Collections are only touched when there is something in them: an untouched empty one
    # costs the flush nothing.
    if cleaned:
        registration.answers = [RegistrationAnswer(question_id=qid, value=v) for qid, v in cleaned.items()]
    if sessions:
        registration.bookings = [SessionBooking(session_id=s.id, status=BOOKING_REQUESTED) for s in sessions]
    notice = _notify_status(registration)
    try:
        db.session.flush()
    except IntegrityError:  # the same person, registering at the same moment in another request
        db.session.rollback()
        raise AlreadyRegistered() from None

    lock_event(event)
    if not event.registration_open():
        raise RegistrationClosed()
    _check_choice_limits(event, cleaned, registration.id)
    _settle(registration, notice)
    return registration


# -- the person's own registration: sessions, seats and changes ------------------
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
    ahead = _count(SessionBooking, SessionBooking.session_id == booking.session_id,
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
        wanted = {s.id for s in _clean_picked_sessions(event, session_ids)}
    except InvalidInput as exc:
        errors.update(exc.fields)
    if errors:
        raise InvalidInput(fields=errors)

    lock_event(event)
    # A cancellation, an approval or a rejection may have committed meanwhile; the row lock
    # (PostgreSQL; SQLite's write lock is already ours) keeps a rejection from crossing this change.
    db.session.refresh(registration, with_for_update={"key_share": True})
    db.session.expire(registration, ["answers", "bookings"])
    _check_editable(registration)
    _check_choice_limits(event, cleaned, registration.id)

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
        _promote_session(session)
    if added and registration.status == CONFIRMED:
        for session_id in added:  # those already waiting for a seat that came free go first
            _promote_session(db.session.get(EventSession, session_id))
        _allocate_sessions(registration)
    return registration


def _check_editable(registration: Registration) -> None:
    if not registration.is_active:
        raise RegistrationNotEditable()
    if not registration.event.registration_open():
        raise RegistrationNotEditable(EDITING_CLOSED, code="editing_closed")


def admit(actor: User, event: Event, user: User, *, note: str = "admitted") -> Registration:
    """Seat `user` by the organiser's choice (a founder selected for a camp cohort, an apprentice
    of a studio): confirmed at once, with a ticket, whatever the registration window. Whoever
    chooses keeps to the capacity; the caller sends its own notice."""
    lock_event(event)
    registration = db.session.scalar(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id))
    if registration is None:
        registration = Registration(event=event, user=user, status=None, ticket_secret=secrets.token_urlsafe(24))
        db.session.add(registration)
    elif registration.status == CONFIRMED:
        return registration
    elif not registration.is_active:  # back after leaving: a new ticket
        registration.ticket_generation += 1
        registration.ticket_secret = secrets.token_urlsafe(24)
    registration.queued_at = utcnow()
    _move(registration, CONFIRMED, actor=actor, note=note)
    return registration


def _expected_status(event: Event) -> str:
    if event.requires_approval:
        return PENDING
    if event.capacity is None:
        return CONFIRMED
    return CONFIRMED if event.confirmed_count < event.capacity else WAITLISTED  # may be stale: a guess


def _settle(registration: Registration, notice) -> None:
    """Under the event lock: make the registration's guessed status true (see register())."""
    event = registration.event
    final = registration.status
    if final != PENDING and event.capacity is not None:
        has_seat = event.confirmed_count < event.capacity  # fresh: read under the lock
        final = CONFIRMED if has_seat else WAITLISTED
    elif final != PENDING:
        final = CONFIRMED  # capacity removed meanwhile
    if final != registration.status:  # the guess was wrong: its move and its notice are corrected
        registration.transition(final, revise=True)
        _notify_status(registration, rewrite=notice)
    if final == CONFIRMED:
        _add_confirmed(event, 1)
        _allocate_sessions(registration)


def _allocate_sessions(registration: Registration) -> None:
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


def _release_sessions(registration: Registration, actor: User | None = None) -> None:
    freed = {b.session_id for b in registration.bookings if b.status == CONFIRMED}
    for booking in registration.bookings:
        if booking.status != CANCELLED:
            booking.transition(CANCELLED, actor=actor, note="registration cancelled")
    db.session.flush()
    for session_id in freed:
        _promote_session(db.session.get(EventSession, session_id))


def _promote_session(session: EventSession) -> None:
    if session.capacity is None:
        return
    free = session.capacity - _count(SessionBooking, SessionBooking.session_id == session.id,
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
        _move(registration, CONFIRMED, note="promoted from waiting list")
        _allocate_sessions(registration)
        notify(registration.user, "promoted", _l("A seat is now yours: %(event)s", event=event.title),
               "promoted", registration=registration)
    return promoted


def cancel(actor: User, registration: Registration, *, reason: str = "") -> Registration:
    event = registration.event
    if registration.user_id != actor.id:
        require_manage(actor, event)
    if not registration.is_active:
        raise Conflict(_l("This registration is already cancelled."), code="not_active")
    lock_event(event)
    db.session.refresh(registration)
    if not registration.is_active:
        raise Conflict(_l("This registration is already cancelled."), code="not_active")
    was_confirmed = registration.status == CONFIRMED
    _move(registration, CANCELLED, actor=actor, note=reason or "cancelled")
    _release_sessions(registration, actor)
    if was_confirmed and not event.is_cancelled:
        promote_waitlist(event)
    return registration


# -- approval -----------------------------------------------------------------
def approve(actor: User, registrations: list[Registration]) -> dict[str, int]:
    """Approve pending registrations oldest first; past capacity they join the waiting list."""
    result = {"confirmed": 0, "waitlisted": 0, "skipped": 0}
    for event_id, group in _by_event(registrations).items():
        event = db.session.get(Event, event_id)
        require_manage(actor, event)
        lock_event(event)
        left = None if event.capacity is None else event.capacity - event.confirmed_count
        for registration in sorted(group, key=lambda r: (r.queued_at, r.id)):
            db.session.refresh(registration)
            if registration.status != PENDING:
                result["skipped"] += 1
                continue
            if left is None or left > 0:
                _move(registration, CONFIRMED, actor=actor, note="approved")
                _allocate_sessions(registration)
                result["confirmed"] += 1
                left = None if left is None else left - 1
            else:
                _move(registration, WAITLISTED, actor=actor, note="approved; event full")
                result["waitlisted"] += 1
            _notify_status(registration, approved=True)
    return result


def reject(actor: User, registrations: list[Registration], reason: str = "") -> int:
    count = 0
    for registration in registrations:
        require_manage(actor, registration.event)
        if registration.status not in (PENDING, WAITLISTED):
            continue
        _move(registration, REJECTED, actor=actor, note=reason or REJECTED_WITHOUT_REASON)
        for booking in registration.bookings:
            if booking.status != CANCELLED:
                booking.transition(CANCELLED, actor=actor, note="registration rejected")
        notify(registration.user, "rejected", _l("Registration not approved: %(event)s",
                                                 event=registration.event.title),
               "rejected", registration=registration, reason=reason)
        count += 1
    return count


def _by_event(registrations):
    groups: dict[int, list[Registration]] = {}
    for r in registrations:
        groups.setdefault(r.event_id, []).append(r)
    return groups


# -- notifications ------------------------------------------------------------
def _notify_status(registration: Registration, approved: bool = False, rewrite=None):
    """The notice for the registration's current status; `rewrite` replaces an earlier notice
    of this same transaction instead of adding a second one."""
    event = registration.event
    status = registration.status
    if status == CONFIRMED:
        kind, subject = ("approved", _l("Registration approved: %(event)s", event=event.title)) if approved \
            else ("confirmed", _l("Registration confirmed: %(event)s", event=event.title))
    elif status == WAITLISTED:
        kind, subject = "waitlisted", _l("You are on the waiting list: %(event)s", event=event.title)
    elif status == PENDING:
        kind, subject = "pending", _l("Registration received, awaiting approval: %(event)s", event=event.title)
    else:
        return None
    return notify(registration.user, kind, subject, kind, registration=registration, rewrite=rewrite)


def notify_event_cancelled(event: Event) -> int:
    registrations = db.session.scalars(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES)))
    count = 0
    for registration in registrations:
        notify(registration.user, "event_cancelled", _l("Event cancelled: %(event)s", event=event.title),
               "event_cancelled", registration=registration)
        count += 1
    return count


# -- lookups ------------------------------------------------------------------
def get_public_event(event_id: int, viewer: User | None = None) -> Event:
    """An event as `viewer` may see it: a draft only by its managers, an invitation-only
    occasion only by its managers and the people it seated."""
    event = get_event(event_id)
    if event.status == EventStatus.DRAFT.value and not can_manage(viewer, event):
        raise NotFound(_l("No such event."))
    if event.invitation_only and not (can_manage(viewer, event) or _invited(viewer, event)):
        raise NotFound(_l("No such event."))
    return event


def _invited(viewer: User | None, event: Event) -> bool:
    return viewer is not None and getattr(viewer, "id", None) is not None and db.session.scalar(
        sa.select(sa.exists().where(Registration.event_id == event.id, Registration.user_id == viewer.id)))


def get_registration(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise NotFound(_l("No such registration."))
    return registration


def own_registration(user: User, registration_id: int) -> Registration:
    """One of the person's own registrations: somebody else's does not exist for them."""
    registration = get_registration(registration_id)
    if registration.user_id != user.id:
        raise NotFound(_l("No such registration."))
    return registration


def registration_by_secret(secret: str) -> Registration:
    registration = None
    if secret and len(secret) <= 64:
        registration = db.session.scalar(sa.select(Registration).where(Registration.ticket_secret == secret))
    if registration is None:
        raise NotFound(_l("This ticket link is not valid. It may have been reset."))
    return registration


def user_registrations(user: User) -> list[Registration]:
    """What a person looks for first: what is coming (soonest first), then what is over (latest
    first), and last what was cancelled or turned down (theirs or the event's)."""
    rows = db.session.scalars(sa.select(Registration).join(Event).where(Registration.user_id == user.id)
                              .options(selectinload(Registration.event),
                                       selectinload(Registration.bookings).selectinload(SessionBooking.session))
                              .order_by(Event.starts_at, Registration.id))
    now = utcnow()
    upcoming, past, dropped = [], [], []
    for r in rows:
        if not r.is_active or r.event.is_cancelled:
            dropped.append(r)
        elif r.event.ends_at >= now:
            upcoming.append(r)
        else:
            past.append(r)
    return upcoming + past[::-1] + dropped[::-1]


def event_registrations(actor: User, event: Event, *, status: str | None = None, q: str | None = None):
    require_manage(actor, event)
    query = (sa.select(Registration).join(User, User.id == Registration.user_id)
             .where(Registration.event_id == event.id))
    if status:
        query = query.where(Registration.status == status)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(sa.or_(User.name.ilike(like), User.mobile.like(like), User.employer.ilike(like)))
    return query.options(selectinload(Registration.user), selectinload(Registration.answers)) \
        .order_by(Registration.queued_at, Registration.id)


def require_owner_or_manager(actor: User, registration: Registration) -> None:
    if registration.user_id != actor.id and not _manages(actor, registration.event):
        raise PermissionDenied()


def _manages(actor, event) -> bool:
    return can_manage(actor, event)
