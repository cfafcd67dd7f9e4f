"""An event's online part: the organiser's settings, and the one rule of who sees the stream.

The stream URL and access code reach a person only through `stream_for()`: a confirmed
registration of an online or hybrid event, from the reveal time on. Public pages, the public
calendar feeds and the API's event documents never read them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.checkin import services as checkin
from app.errors import Conflict, InvalidInput
from app.events.models import Event
from app.events.services import require_manage
from app.extensions import db
from app.online.models import OnlinePart
from app.registrations.models import Registration, RegStatus
from app.timeutil import utcnow

MAX_REVEAL_MINUTES = 24 * 60
MAX_ATTENDED_MINUTES = 24 * 60


class NotOnline(Conflict):
    code = "not_online"
    default_message = _l("This event has no online part: set it to online or hybrid first.")


def part_of(event: Event) -> OnlinePart | None:
    return db.session.scalar(sa.select(OnlinePart).where(OnlinePart.event_id == event.id))


def web_url(value: str | None, field: str, errors: dict) -> str:
    """An http(s) address, or empty; anything else (javascript:, data:, a bare word) is refused."""
    text = (value or "").strip()
    if not text:
        return ""
    parts = urlsplit(text) if len(text) <= 500 else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(
            c.isspace() for c in text):
        errors[field] = _l("An address starting with http:// or https://, at most 500 characters.")
    return text


def _minutes(value, field: str, errors: dict, *, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors[field] = _l("A whole number of minutes from %(low)s to %(high)s.", low=low, high=high)
        return low
    return value


def save_part(actor: User, event: Event, *, stream_url: str = "", access_code: str = "", reveal_minutes=30,
              attended_minutes=30, replay_url: str = "") -> OnlinePart:
    """Set the online part of an online or hybrid event; its online checkpoint is made with it."""
    require_manage(actor, event)
    if not event.has_online:
        raise NotOnline()
    errors: dict = {}
    stream = web_url(stream_url, "stream_url", errors)
    replay = web_url(replay_url, "replay_url", errors)
    code = (access_code or "").strip()
    if len(code) > 40:
        errors["access_code"] = _l("At most 40 characters.")
    reveal = _minutes(reveal_minutes, "reveal_minutes", errors, low=0, high=MAX_REVEAL_MINUTES)
    attended = _minutes(attended_minutes, "attended_minutes", errors, low=1, high=MAX_ATTENDED_MINUTES)
    if errors:
        raise InvalidInput(fields=errors)
    part = part_of(event) or OnlinePart(event=event, event_id=event.id)
    part.stream_url, part.access_code, part.replay_url = stream, code, replay
    part.reveal_minutes, part.attended_minutes = reveal, attended
    db.session.add(part)
    point = checkin.online_checkpoint(event)
    # A link shown earlier than the check-in's default opening (two hours before) opens the joins with it.
    early = timedelta(minutes=reveal) > checkin.DEFAULT_OPENS_BEFORE
    point.opens_at = event.starts_at - timedelta(minutes=reveal) if early else None
    db.session.flush()
    audit.record(actor, "online.part.saved", event, reveal_minutes=reveal, attended_minutes=attended)
    return part


def reveal_at(event: Event, part: OnlinePart | None) -> datetime:
    return event.starts_at - timedelta(minutes=part.reveal_minutes if part else 0)


@dataclass
class JoinView:
    """What a join page may show to the holder of `registration`'s link at `now`."""

    registration: Registration
    part: OnlinePart | None
    reveal_at: datetime
    confirmed: bool
    revealed: bool
    ended: bool

    @property
    def stream_url(self) -> str | None:
        return self.part.stream_url if self.revealed and self.part and self.part.stream_url else None

    @property
    def access_code(self) -> str | None:
        return self.part.access_code if self.revealed and self.part and self.part.access_code else None

    @property
    def replay_url(self) -> str | None:
        return self.part.replay_url if self.confirmed and self.ended and self.part and self.part.replay_url else None


def stream_for(registration: Registration, now: datetime | None = None) -> JoinView:
    """The single gate of the stream: confirmed, online part set, reveal time reached, not cancelled."""
    now = now or utcnow()
    event = registration.event
    part = part_of(event) if event.has_online else None
    confirmed = registration.status == RegStatus.CONFIRMED.value and not event.is_cancelled and event.is_published
    at = reveal_at(event, part)
    ended = now >= event.ends_at
    revealed = confirmed and part is not None and at <= now < event.ends_at
    return JoinView(registration, part, at, confirmed, revealed, ended)
