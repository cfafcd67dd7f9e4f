"""Registration: the seat-allocating actions, one module per story; this index keeps
`from app.registrations import services as reg; reg.register(...)` working for every caller.

- seats: the event lock every seat decision takes first (`lock_event`), and the counts it reads
- answers: answers to the event's questions and the sessions picked, checked
- registering: register (open events), enter (entry events), admit (invitation events)
- bookings: the person's own registration — sessions, seats left, changing answers and sessions
- waiting_list: seats that come free go to the first in line (event and sessions)
- decisions: approve, reject, cancel
- notices: what a status or a cancelled event tells the registrants
- lookups: finding registrations, and the events a viewer may see
"""
from __future__ import annotations

from app.errors import NotFound
from app.registrations.answers import clean_answer, clean_answers
from app.registrations.bookings import (
    EDITING_CLOSED,
    RegistrationNotEditable,
    SessionSeat,
    active_bookings,
    can_edit,
    registration_of,
    session_positions,
    session_queue_position,
    session_seats,
    update_registration,
    waitlisted_sessions,
)
from app.registrations.decisions import approve, cancel, reject
from app.registrations.lookups import (
    event_registrations,
    get_public_event,
    get_registration,
    own_registration,
    registration_by_secret,
    require_owner_or_manager,
    user_registrations,
)
from app.registrations.models import Registration, RegStatus, SessionBooking
from app.registrations.notices import notify_event_cancelled
from app.registrations.registering import AlreadyRegistered, NotInvited, RegistrationClosed, admit, enter, register
from app.registrations.seats import (
    CANCELLED,
    CONFIRMED,
    PENDING,
    REJECTED,
    WAITLISTED,
    confirmed_count,
    lock_event,
    queue_position,
    seats_left,
    session_confirmed_counts,
    status_counts,
    waitlist_position,
)
from app.registrations.waiting_list import promote_waitlist

__all__ = [
    "CANCELLED", "CONFIRMED", "EDITING_CLOSED", "PENDING", "REJECTED", "WAITLISTED",
    "AlreadyRegistered", "NotFound", "NotInvited", "Registration", "RegistrationClosed", "RegistrationNotEditable", "RegStatus",
    "SessionBooking", "SessionSeat",
    "active_bookings", "admit", "approve", "can_edit", "cancel", "clean_answer", "clean_answers", "confirmed_count",
    "enter", "event_registrations", "get_public_event", "get_registration", "lock_event", "notify_event_cancelled",
    "own_registration", "promote_waitlist", "queue_position", "register", "registration_by_secret",
    "registration_of", "reject", "require_owner_or_manager", "seats_left", "session_confirmed_counts",
    "session_positions", "session_queue_position", "session_seats", "status_counts", "update_registration",
    "user_registrations", "waitlist_position", "waitlisted_sessions",
]
