"""What the online programme tells people: an invitation, and each confirmed registrant's join link."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.events.models import Event
from app.events.services import require_manage
from app.extensions import db
from app.notifications.services import notify
from app.registrations.join_links import join_url
from app.online.parts import NotOnline, part_of
from app.registrations.models import Registration, RegStatus
from app.timeutil import fmt


def _when(event: Event) -> str:
    return fmt(event.starts_at, "%Y-%m-%d %H:%M")


def notify_invited(user: User, event: Event) -> None:
    notify(user, "online_invitation", _l("Invitation: %(event)s", event=event.title), "online_invitation",
           registration=None, event=event.title, event_title=event.title, when=_when(event),
           when_text=_when(event))


def notify_join_link(registration: Registration, reveal_minutes: int) -> int:
    """A confirmed registration's personal join link, as a notice of its own (its SMS carries it)."""
    event = registration.event
    link = join_url(registration)
    if link is None or registration.status != RegStatus.CONFIRMED.value:
        return 0
    notify(registration.user, "online_join", _l("Your join link: %(event)s", event=event.title), "online_join",
           registration=registration, personal_link=link, event_title=event.title, when_text=_when(event),
           reveal_minutes=reveal_minutes)
    return 1


def send_join_links(actor: User, event: Event) -> int:
    """Each confirmed registrant's personal join link (inbox, SMS, mail); the organiser sends them
    once the online part is set (and again after a change of link or time)."""
    require_manage(actor, event)
    part = part_of(event)
    if part is None:
        raise NotOnline()
    reveal_minutes = part.reveal_minutes
    count = 0
    for registration in db.session.scalars(sa.select(Registration).where(
            Registration.event_id == event.id, Registration.status == RegStatus.CONFIRMED.value)
            .order_by(Registration.id)):
        count += notify_join_link(registration, reveal_minutes)
    audit.record(actor, "online.join_links.sent", event, count=count)
    return count
