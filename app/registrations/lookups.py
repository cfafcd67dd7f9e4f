"""Finding registrations, and the events a viewer may see."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.accounts.search import person_matches
from app.errors import NotFound, PermissionDenied
from app.events.models import Event, EventStatus
from app.events.services import can_manage, get_event, require_manage
from app.extensions import db
from app.lookups import get_or_not_found
from app.registrations.models import Registration, SessionBooking
from app.timeutil import utcnow


def get_public_event(event_id: int, viewer: User | None = None) -> Event:
    """An event as `viewer` may see it: a draft only by its managers, an invitation-only
    occasion only by its managers and the people it seated."""
    return require_visible(get_event(event_id), viewer)


def require_visible(event: Event, viewer) -> Event:
    """`get_public_event`'s rule for an event already loaded: NotFound if `viewer` (a User, an API token's
    `accounts.TokenHolder`, or None) may not see it."""
    if event.status == EventStatus.DRAFT.value and not can_manage(viewer, event):
        raise NotFound(_l("No such event."))
    if event.invitation_only and not (can_manage(viewer, event) or _invited(viewer, event)):
        raise NotFound(_l("No such event."))
    return event


def _invited(viewer: User | None, event: Event) -> bool:
    return viewer is not None and getattr(viewer, "id", None) is not None and db.session.scalar(
        sa.select(sa.exists().where(Registration.event_id == event.id, Registration.user_id == viewer.id)))


def get_registration(registration_id: int) -> Registration:
    return get_or_not_found(Registration, registration_id, _l("No such registration."))


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
    if q and q.strip():
        query = query.where(person_matches(q.strip()))  # a name prefix under 3 characters
    return query.options(selectinload(Registration.user), selectinload(Registration.answers)) \
        .order_by(Registration.queued_at, Registration.id)


def require_owner_or_manager(actor: User, registration: Registration) -> None:
    if registration.user_id != actor.id and not _manages(actor, registration.event):
        raise PermissionDenied()


def _manages(actor, event) -> bool:
    return can_manage(actor, event)
