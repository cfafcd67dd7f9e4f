"""Scanner links: scanning rights for volunteers without an organiser account.

An organiser makes a link (and its QR) for one event, or one checkpoint of it, with an expiry.
Whoever opens it gets the scanner page and may scan there and nothing else; the organiser can
revoke it at any time. Organisers open the same scanner through a short-lived link of their
own, so the scanner page has one way in.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User, organises
from app.audit import services as audit
from app.checkin.models import Checkpoint, ScannerLink
from app.errors import InvalidInput
from app.events.models import Event
from app.events.services import require_manage
from app.extensions import db
from app.lookups import get_or_not_found
from app.timeutil import utcnow

PREFIX = "scan_"
MAX_HOURS = 24 * 14  # a two-week series of events at most
OWN_SCANNER_HOURS = 12


@dataclass(frozen=True)
class ScannerAccess:
    """Who is scanning: an account (organiser) or a scanner link, and where they may scan."""

    user: User | None = None
    link: ScannerLink | None = None

    def allows(self, checkpoint: Checkpoint) -> bool:
        return self.allows_at(checkpoint.id, checkpoint.event_id, checkpoint.event.department_id)

    def allows_at(self, checkpoint_id: int, event_id: int, department_id: int | None) -> bool:
        """`allows`, from a checkpoint read as a row (app.checkin.ticket_scan): a link scans at
        its event (or its one checkpoint); an account where it may manage the event."""
        if self.link is not None:
            return event_id == self.link.event_id and self.link.checkpoint_id in (None, checkpoint_id)
        return organises(self.user, department_id)  # events.services.can_manage, from the event's department

    def checkpoints(self, all_of_event: list[Checkpoint]) -> list[Checkpoint]:
        return [c for c in all_of_event if self.allows(c)]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_link(actor: User, event: Event, *, label: str, hours: int,
                checkpoint: Checkpoint | None = None) -> tuple[ScannerLink, str]:
    """The new link and its secret, which is not stored and cannot be shown again."""
    require_manage(actor, event)
    return issue_link(actor, event, label=label, hours=hours, checkpoint=checkpoint)


def issue_link(actor: User, event: Event, *, label: str, hours: int,
               checkpoint: Checkpoint | None = None) -> tuple[ScannerLink, str]:
    """create_link without the organiser check, for callers that decided who may scan (a
    trainer opening the scanner for their own lesson)."""
    errors = {}
    label = (label or "").strip()
    if not label or len(label) > 80:
        errors["label"] = _l("Give the link a name of at most 80 characters, e.g. the door or the volunteer.")
    if not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS:
        errors["hours"] = _l("A link is valid for 1 to %(max)s hours.", max=MAX_HOURS)
    if checkpoint is not None and checkpoint.event_id != event.id:
        errors["checkpoint_id"] = _l("That checkpoint belongs to another event.")
    if errors:
        raise InvalidInput(fields=errors)
    secret = PREFIX + secrets.token_urlsafe(24)
    link = ScannerLink(event=event, checkpoint=checkpoint, label=label, token_hash=_hash(secret),
                       created_by_id=actor.id, expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(link)
    db.session.flush()
    audit.record(actor, "scanner_link.create", event, link=link.id, label=label, hours=hours,
                 checkpoint=checkpoint.id if checkpoint else None)
    return link, secret


def own_scanner(actor: User, event: Event) -> str:
    """A short-lived link for an organiser opening the scanner from the console."""
    return create_link(actor, event, label=actor.name, hours=OWN_SCANNER_HOURS)[1]


def revoke_link(actor: User, link: ScannerLink) -> ScannerLink:
    require_manage(actor, link.event)
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by_id = utcnow(), actor.id
        audit.record(actor, "scanner_link.revoke", link.event, link=link.id, label=link.label)
    return link


def get_link(link_id: int) -> ScannerLink:
    return get_or_not_found(ScannerLink, link_id, _l("No such scanner link."))


def link_for_secret(secret: str) -> ScannerLink | None:
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return db.session.scalar(sa.select(ScannerLink).where(
        ScannerLink.token_hash == _hash(secret), ScannerLink.revoked_at.is_(None),
        ScannerLink.expires_at > utcnow()))


def event_links(event: Event) -> list[ScannerLink]:
    return list(db.session.scalars(sa.select(ScannerLink).where(ScannerLink.event_id == event.id)
                                   .order_by(ScannerLink.id.desc())))
