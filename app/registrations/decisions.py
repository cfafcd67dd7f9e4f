"""The organiser's decisions (approve, reject) and cancelling a registration."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.errors import Conflict
from app.events.models import Event
from app.events.services import require_manage
from app.extensions import db
from app.notifications.services import notify
from app.registrations.models import REJECTED_WITHOUT_REASON, Registration
from app.registrations.notices import notify_status
from app.registrations.seats import CANCELLED, CONFIRMED, PENDING, REJECTED, WAITLISTED, lock_event, move_registration
from app.registrations.waiting_list import allocate_sessions, promote_waitlist, release_sessions


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
    move_registration(registration, CANCELLED, actor=actor, note=reason or "cancelled")
    release_sessions(registration, actor)
    if was_confirmed and not event.is_cancelled:
        promote_waitlist(event)
    return registration


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
                move_registration(registration, CONFIRMED, actor=actor, note="approved")
                allocate_sessions(registration)
                result["confirmed"] += 1
                left = None if left is None else left - 1
            else:
                move_registration(registration, WAITLISTED, actor=actor, note="approved; event full")
                result["waitlisted"] += 1
            notify_status(registration, approved=True)
    return result


def reject(actor: User, registrations: list[Registration], reason: str = "") -> int:
    count = 0
    for registration in registrations:
        require_manage(actor, registration.event)
        if registration.status not in (PENDING, WAITLISTED):
            continue
        move_registration(registration, REJECTED, actor=actor, note=reason or REJECTED_WITHOUT_REASON)
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
