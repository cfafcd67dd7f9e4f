"""The notices a registration's status and an event's cancellation send."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.events.models import Event
from app.extensions import db
from app.notifications.services import notify
from app.registrations.join_links import join_url
from app.registrations.models import ACTIVE_STATUSES, Registration
from app.registrations.seats import CONFIRMED, PENDING, WAITLISTED


def notify_status(registration: Registration, approved: bool = False, rewrite=None):
    """The notice for the registration's current status; `rewrite` replaces an earlier notice
    of this same transaction instead of adding a second one."""
    event = registration.event
    status = registration.status
    notice = status_notice(event, status, approved)
    if notice is None:
        return None
    kind, subject = notice
    # An online or hybrid event's seat comes with the person's join link: in the inbox, and as the
    # SMS's link (the join page links the ticket too, for the hall).
    # (A registration not flushed yet has no id to sign: its notice is rewritten after the flush.)
    linked = status == CONFIRMED and event.has_online and registration.id is not None
    extra = {"personal_link": join_url(registration), "sms_kind": "online_join"} if linked else {}
    return notify(registration.user, kind, subject, kind, registration=registration, rewrite=rewrite, **extra)


def status_notice(event: Event, status: str, approved: bool = False) -> tuple[str, object] | None:
    """The notice kind and subject a registration's status sends (None: that status sends none)."""
    if status == CONFIRMED:
        if approved:
            return "approved", _l("Registration approved: %(event)s", event=event.title)
        return "confirmed", _l("Registration confirmed: %(event)s", event=event.title)
    if status == WAITLISTED:
        return "waitlisted", _l("You are on the waiting list: %(event)s", event=event.title)
    if status == PENDING:
        return "pending", _l("Registration received, awaiting approval: %(event)s", event=event.title)
    return None


def notify_event_cancelled(event: Event) -> int:
    registrations = db.session.scalars(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES)))
    count = 0
    for registration in registrations:
        notify(registration.user, "event_cancelled", _l("Event cancelled: %(event)s", event=event.title),
               "event_cancelled", registration=registration)
        count += 1
    return count
