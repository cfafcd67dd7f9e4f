"""Publishing, cancelling and resizing an event: the changes that move tickets, checkpoints and seats."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.checkin.services import ensure_checkpoints
from app.errors import Conflict, InvalidInput
from app.events import services as events
from app.events.models import Event, EventStatus
from app.registrations.models import Registration
from app.registrations.services import lock_event, notify_event_cancelled, promote_waitlist
from app.tickets.services import ensure_event_key
from app.timeutil import utcnow


def create_event(actor: User, **data) -> Event:
    """A new event (see app.events.services.create_event), published at once when `status` asks."""
    published = data.get("status") == EventStatus.PUBLISHED.value
    event = events.create_event(actor, **data)
    if published:
        publish_event(actor, event)
    return event


def publish_event(actor: User, event: Event) -> Event:
    """Publish (again: a published event only gets what it may lack); the ticket key signs its
    tickets and QR credentials, the checkpoints take its scans."""
    events.require_manage(actor, event)
    if event.is_cancelled:
        raise Conflict(_l("A cancelled event cannot be published again."), code="event_cancelled")
    if not event.is_published:
        event.transition(EventStatus.PUBLISHED, actor=actor)
        event.published_at = utcnow()
    ensure_event_key(event)
    ensure_checkpoints(event)
    return event


def cancel_event(actor: User, event: Event, reason: str = "") -> Event:
    """Cancel and tell everybody still registered; registrations stay as they were for the record."""
    events.require_manage(actor, event)
    if event.is_cancelled:
        return event
    lock_event(event)  # no registration slips in between the cancellation and its notices
    was_published = event.is_published
    event.cancel_reason = (reason or "").strip()[:300] or None
    event.transition(EventStatus.CANCELLED, actor=actor, note=event.cancel_reason or "")
    event.cancelled_at = utcnow()
    if was_published:
        notify_event_cancelled(event)
    return event


def set_capacity(actor: User, event: Event, capacity: int | None) -> list[Registration]:
    """Change capacity; a larger one lets the waiting list in at once."""
    lock_event(event)
    confirmed = event.confirmed_count
    if capacity is not None and capacity < confirmed:
        raise InvalidInput(fields={"capacity": _l(
            "%(n)s people are already confirmed; the capacity cannot be lower. Cancel registrations first.",
            n=confirmed)})
    events.update_event(actor, event, capacity=capacity)
    return promote_waitlist(event) if event.is_published else []
