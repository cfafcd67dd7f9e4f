"""The door's common case, decided in a few Core statements: a genuine ticket of a confirmed
registration, scanned in at a whole-event checkpoint whose window is open.

`scan_ticket()` decides exactly as `services.scan()` does — the registration's row locked in the
look-up (FOR NO KEY UPDATE on PostgreSQL, the write lock on SQLite), the accepted scans read
under it, the nonce settled by the insert (ON CONFLICT DO NOTHING) — but reads rows, not
entities: a scan is mostly round trips and ORM loading otherwise (issue 19). Whatever is not
that common case (a personal code, a manual pick, an exit, a session checkpoint, a forged,
replaced or foreign ticket, a registration not admitted, a closed window, a retried nonce) it
leaves alone by returning None, and the caller asks `services.scan()`, which knows every rule.
tests/checkin/test_ticket_scan.py holds the two to the same answers and rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.accounts.models import User
from app.checkin.models import Checkpoint, Scan, ScannerLink, ScanResult
from app.checkin.services import DEFAULT_OPENS_BEFORE, IN, MAX_CLOCK_SKEW, admitted_statuses
from app.events.models import Event
from app.extensions import db
from app.locking import lock
from app.privacy import mask_phone
from app.registrations.models import Registration
from app.tickets import personal_codes, tokens
from app.tickets.models import EventKey
from app.timeutil import utcnow

_scans = Scan.__table__
_registrations = Registration.__table__


@dataclass(frozen=True)
class Point:
    """What deciding a scan and checking the scanner's right read of a checkpoint, as a row."""
    id: int
    event_id: int
    department_id: int | None
    session_id: int | None
    name: str
    opens_at: datetime
    closes_at: datetime
    allow_reentry: bool
    admit_pending: bool


@dataclass(frozen=True)
class Entry:
    """An accepted scan of the person at this checkpoint: the earlier entry an answer names."""
    id: int
    direction: str
    device: str
    scanned_at: datetime
    received_at: datetime
    scanner_link_id: int | None


@dataclass(frozen=True)
class TicketDecision:
    result: ScanResult
    scan_id: int
    name: str
    mobile_masked: str
    first: Entry | None
    first_place: str | None
    conflict: bool


_POINT = (sa.select(Checkpoint.id, Checkpoint.event_id, Event.department_id, Checkpoint.session_id, Checkpoint.name,
                    Checkpoint.opens_at, Checkpoint.closes_at, Event.starts_at, Event.ends_at,
                    Checkpoint.allow_reentry, Checkpoint.admit_pending)
          .join(Event, Event.id == Checkpoint.event_id).where(Checkpoint.id == sa.bindparam("id")))

_HOLDER = (sa.select(EventKey.public_key, _registrations.c.status, _registrations.c.ticket_generation,
                     User.name, User.mobile)
           .select_from(_registrations)
           .join(EventKey.__table__, EventKey.event_id == _registrations.c.event_id)
           .join(User.__table__, User.id == _registrations.c.user_id)
           .where(_registrations.c.id == sa.bindparam("registration"),
                  _registrations.c.event_id == sa.bindparam("event")))
_HOLDER_LOCKED = _HOLDER.with_for_update(key_share=True, of=_registrations)

_ACCEPTED = (sa.select(_scans.c.id, _scans.c.direction, _scans.c.device, _scans.c.scanned_at, _scans.c.received_at,
                       _scans.c.scanner_link_id)
             .where(_scans.c.checkpoint_id == sa.bindparam("checkpoint"),
                    _scans.c.registration_id == sa.bindparam("registration"),
                    _scans.c.result == ScanResult.OK.value)
             .order_by(_scans.c.id))

# The scan, unless its nonce is stored already (services._store): the statement made once per dialect.
_INSERT = {dialect: insert(_scans).on_conflict_do_nothing(index_elements=["nonce"]).returning(_scans.c.id)
           for dialect, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))}

_LINK_LABEL = sa.select(ScannerLink.label).where(ScannerLink.id == sa.bindparam("id"))


def checkpoint_point(checkpoint_id: int) -> Point | None:
    """The checkpoint with its window worked out (services.window), or None if there is none."""
    row = db.session.execute(_POINT, {"id": checkpoint_id}).first()
    if row is None:
        return None
    if row.session_id is not None:  # a session's times and bookings: services.scan() knows them
        opens_at = closes_at = None
    else:
        opens_at = row.opens_at or row.starts_at - DEFAULT_OPENS_BEFORE
        closes_at = row.closes_at or row.ends_at
    return Point(row.id, row.event_id, row.department_id, row.session_id, row.name, opens_at, closes_at,
                 row.allow_reentry, row.admit_pending)


def scan_ticket(point: Point, token: str | None, *, direction: str, scanned_at: datetime | None, nonce: str | None,
                device: str, scanner_id: int | None, link_id: int | None) -> TicketDecision | None:
    """An entry scan of a ticket decided and stored, or None: services.scan() is to decide it."""
    if (direction != IN or point.session_id is not None or not isinstance(token, str)
            or personal_codes.looks_like(token)):
        return None
    now = utcnow()
    if scanned_at is None or abs(scanned_at - now) > MAX_CLOCK_SKEW:
        scanned_at = now
    if not point.opens_at <= scanned_at <= point.closes_at:
        return None
    try:
        claims = tokens.peek(token)
    except tokens.BadToken:
        return None
    if claims.event_id != point.event_id:
        return None
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    holder = db.session.execute(_HOLDER_LOCKED if postgresql else _HOLDER,
                                {"registration": claims.registration_id, "event": claims.event_id}).first()
    if holder is None or (holder.ticket_generation & 0xFFFF) != claims.generation:
        return None
    try:
        tokens.verify(holder.public_key, token)
    except tokens.BadToken:
        return None
    if holder.status not in admitted_statuses(point):
        return None
    if not postgresql:  # SQLite: the write lock, as services.scan() takes it
        lock(Registration, claims.registration_id)

    accepted = [Entry(*row) for row in db.session.execute(
        _ACCEPTED, {"checkpoint": point.id, "registration": claims.registration_id})]
    first_in = next((s for s in accepted if s.direction == IN), None)
    inside = bool(accepted) and accepted[-1].direction == IN
    already = inside or (first_in is not None and not point.allow_reentry)
    code = ScanResult.ALREADY_CHECKED_IN if already else ScanResult.OK
    first = first_in if already else None
    device = (device or "")[:80]
    conflict = first is not None and first.device != device and scanned_at < first.received_at
    detail = {"conflict_with": first.id, "first_device": first.device} if conflict else {}

    values = {"checkpoint_id": point.id, "registration_id": claims.registration_id, "direction": direction,
              "result": code.value, "scanned_at": scanned_at, "received_at": now, "device": device,
              "scanner_id": scanner_id, "scanner_link_id": link_id, "nonce": nonce or None, "detail": detail}
    scan_id = db.session.execute(_INSERT["postgresql" if postgresql else "sqlite"], values).scalar()
    if scan_id is None:  # a retried nonce: services.scan() answers with the first attempt's decision
        return None
    place = None
    if first is not None:
        label = db.session.scalar(_LINK_LABEL, {"id": first.scanner_link_id}) if first.scanner_link_id else None
        place = label or point.name  # services.door_name
    return TicketDecision(code, scan_id, holder.name, mask_phone(holder.mobile), first, place, conflict)
