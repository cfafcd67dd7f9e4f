"""Online attendance: a personal join link records the entry at the event's online checkpoint
(the one scan ledger, the same result codes as a door), and the join page's heartbeats measure
how long the person stayed.

Each heartbeat counts the time since the one before, but at most one interval and its grace: a
tab left closed for an hour earns nothing for that hour, and a burst of forged heartbeats earns
no more than the time that really passed between them. Attended online = at least the
organiser's minutes (OnlinePart.attended_minutes).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.checkin import services as checkin
from app.checkin.models import ScanResult
from app.errors import Conflict, NotFound
from app.extensions import db
from app.locking import lock
from app.registrations.join_links import read_token
from app.online.models import OnlinePresence
from app.online.parts import JoinView, stream_for
from app.registrations.models import Registration
from app.timeutil import utcnow

DEVICE = "online"


class InvalidJoinLink(NotFound):
    code = "join_link_invalid"
    default_message = _l("This join link is not valid (any more). Open the latest link from your ticket page.")


class NotJoined(Conflict):
    code = "not_joined"
    default_message = _l("Open the stream from your join page first.")


def registration_for(token: str | None) -> Registration:
    """The registration the link was made for, while its ticket generation is current."""
    found = read_token(token)
    registration = db.session.get(Registration, found[0]) if found else None
    if registration is None or registration.ticket_generation != found[1]:
        raise InvalidJoinLink()
    return registration


def heartbeat_cap() -> timedelta:
    config = current_app.config
    return timedelta(seconds=int(config["ONLINE_HEARTBEAT_SECONDS"]) + int(config["ONLINE_HEARTBEAT_GRACE_SECONDS"]))


def presence_of(registration: Registration) -> OnlinePresence | None:
    return db.session.scalar(sa.select(OnlinePresence).where(OnlinePresence.registration_id == registration.id))


@dataclass
class Joined:
    view: JoinView
    result: ScanResult | None  # None: nothing recorded (before the reveal time, or no online part)
    presence: OnlinePresence | None


def join(token: str | None, now: datetime | None = None) -> Joined:
    """Open a join link: from the reveal time on, a confirmed registration's entry is recorded
    (first `ok`; again after leaving, a re-entry: the stay before is closed by an exit at its last
    heartbeat, as a door's exit scan would). Anyone else's opening is recorded with its refusal."""
    now = now or utcnow()
    registration = registration_for(token)
    view = stream_for(registration, now)
    event = registration.event
    if not event.has_online or view.part is None or (view.confirmed and not view.revealed):
        return Joined(view, None, presence_of(registration))
    point = checkin.online_checkpoint(event)
    if not view.confirmed:
        decision = checkin.scan(point, None, registration_id=registration.id, method="online", device=DEVICE, now=now)
        return Joined(view, decision.result, presence_of(registration))
    lock(Registration, registration.id)
    presence = presence_of(registration)
    if presence is not None and now - presence.last_seen_at > heartbeat_cap():
        checkin.scan(point, None, registration_id=registration.id, direction=checkin.OUT,
                     scanned_at=presence.last_seen_at, method="online", device=DEVICE, now=now)
    decision = checkin.scan(point, None, registration_id=registration.id, method="online", device=DEVICE, now=now)
    if decision.result in (ScanResult.OK, ScanResult.ALREADY_CHECKED_IN):
        if presence is None:
            presence = OnlinePresence(registration_id=registration.id, event_id=event.id, joined_at=now,
                                      last_seen_at=now, seconds=0)
            db.session.add(presence)
        elif decision.result == ScanResult.OK:
            presence.last_seen_at = now  # a new stay counts from now, the gap earns nothing
        db.session.flush()
    return Joined(view, decision.result, presence)


@dataclass
class Beat:
    seconds: int
    attended: bool
    threshold_seconds: int


def heartbeat(token: str | None, now: datetime | None = None) -> Beat:
    """The join page is still open: add the time since the last heartbeat (see the module's note)."""
    now = now or utcnow()
    registration = registration_for(token)
    view = stream_for(registration, now)
    if not view.confirmed:
        raise Conflict(_l("This registration is not confirmed."), code=ScanResult.NOT_CONFIRMED.value)
    presence = presence_of(registration)
    if presence is None or view.part is None:
        raise NotJoined()
    lock(OnlinePresence, presence.id)
    db.session.refresh(presence)
    until = min(now, registration.event.ends_at)
    gap = until - presence.last_seen_at
    if gap > heartbeat_cap():
        presence.last_seen_at = until  # away too long: the gap earns nothing
    elif gap.total_seconds() >= 1:
        whole = int(gap.total_seconds())
        presence.seconds += whole
        presence.last_seen_at += timedelta(seconds=whole)  # the fraction waits for the next heartbeat
    threshold = view.part.attended_minutes * 60
    return Beat(presence.seconds, presence.seconds >= threshold, threshold)
