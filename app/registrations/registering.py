"""Taking a place: registering for an open event, entering an entry event through its programme,
and being admitted to an invitation-only one by the organiser."""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.errors import Conflict, ServiceError
from app.events.models import Event, Places
from app.extensions import db
from app.registrations.answers import check_choice_limits, clean_answers, clean_sessions
from app.registrations.models import BOOKING_REQUESTED, Registration, RegistrationAnswer, SessionBooking
from app.registrations.notices import notify_status
from app.registrations.seats import CONFIRMED, PENDING, WAITLISTED, add_confirmed, lock_event, move_registration
from app.registrations.waiting_list import allocate_sessions
from app.timeutil import utcnow


class RegistrationClosed(ServiceError):
    code = "registration_closed"
    http_status = 403
    default_message = _l("Registration for this event is not open.")


class NotInvited(ServiceError):
    code = "not_invited"
    http_status = 403
    default_message = _l("This event is open to invited people only: register through the invitation link "
                         "your university or the organiser sent you.")


class AlreadyRegistered(Conflict):
    code = "already_registered"
    default_message = _l("You are already registered for this event.")


def register(user: User, event: Event, answers: dict | None = None, session_ids=None, *,
             referral_code: str | None = None, invited: bool = False) -> Registration:
    """Register `user` for an open event; confirmed while seats remain, else waitlisted (or
    pending approval). The event says how its places are taken (`Event.places`): invitation and
    entry events are refused here, whoever asks; their programmes seat people through `admit`
    and `enter`. `referral_code`: the link the person came through (app.referred), kept as data;
    a registration keeps the first one it was credited to. `invited`: the caller (app.online) checked
    the person's invitation; an invited-only event refuses everyone else."""
    if event.invited_only and not invited:
        raise NotInvited()
    if event.places == Places.INVITATION.value:
        raise Conflict(_l("Participants of this occasion are chosen by the organiser."), code="invitation_only")
    if event.places == Places.ENTRY.value:
        raise Conflict(_l("Enter this competition on its own page, with your employer and category."),
                       code="competition_entry")
    registration = _take_place(user, event, answers, session_ids)
    if referral_code and not registration.referral_code:
        registration.referral_code = referral_code[:12]
    return registration


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
    sessions = clean_sessions(event, session_ids)
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
    notice = notify_status(registration)
    try:
        db.session.flush()
    except IntegrityError:  # the same person, registering at the same moment in another request
        db.session.rollback()
        raise AlreadyRegistered() from None

    lock_event(event)
    if not event.registration_open():
        raise RegistrationClosed()
    check_choice_limits(event, cleaned, registration.id)
    _settle(registration, notice, booked=bool(sessions))
    return registration


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
    move_registration(registration, CONFIRMED, actor=actor, note=note)
    return registration


def _expected_status(event: Event) -> str:
    if event.requires_approval:
        return PENDING
    if event.capacity is None:
        return CONFIRMED
    return CONFIRMED if event.confirmed_count < event.capacity else WAITLISTED  # may be stale: a guess


def _settle(registration: Registration, notice, *, booked: bool) -> None:
    """Under the event lock: make the registration's guessed status true (see _take_place()).
    `booked`: sessions were booked just now; otherwise the registration holds no booking (a
    comeback's were cleared), so none is looked for under the lock."""
    event = registration.event
    final = registration.status
    if final != PENDING and event.capacity is not None:
        has_seat = event.confirmed_count < event.capacity  # fresh: read under the lock
        final = CONFIRMED if has_seat else WAITLISTED
    elif final != PENDING:
        final = CONFIRMED  # capacity removed meanwhile
    if final != registration.status:  # the guess was wrong: its move and its notice are corrected
        registration.transition(final, revise=True)
        notify_status(registration, rewrite=notice)
    elif final == CONFIRMED and event.has_online:
        notify_status(registration, rewrite=notice)  # with the join link, signed with the id the flush gave
    if final == CONFIRMED:
        add_confirmed(event, 1)
        if booked:
            allocate_sessions(registration)
