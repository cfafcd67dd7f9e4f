"""The door's common case, decided in a few Core statements: a genuine ticket of a confirmed
registration, scanned in at a whole-event checkpoint whose window is open.

`ticket_at()` reads the checkpoint and the ticket's holder in one statement; `scan_ticket()` then
decides exactly as `services.scan()` does — the registration's row locked in that look-up (FOR NO
KEY UPDATE on PostgreSQL; the write lock on SQLite), the accepted scans read
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
from app.checkin.services import IN, MAX_CLOCK_SKEW, admitted_statuses, opening_hours
from app.events.models import Event
from app.extensions import db
from app.locking import lock
from app.privacy import mask_phone
from app.registrations.models import Registration
from app.tickets import personal_codes, tokens
from app.tickets.models import EventKey
from app.timeutil import utcnow

# Tables, not mapped classes: statements on them skip the ORM's compile and load steps.
_scans, _registrations, _checkpoints = Scan.__table__, Registration.__table__, Checkpoint.__table__
_events, _keys, _users, _links = Event.__table__, EventKey.__table__, User.__table__, ScannerLink.__table__

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
class Ticket:
    """A ticket's claims as written (unverified) and its holder's row, read with the checkpoint."""
    point: Point
    token: str
    registration_id: int
    generation: int
    public_key: bytes
    status: str
    holder_generation: int
    holder_name: str
    mobile: str | None


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


# The checkpoint, its event and the ticket's holder in one round trip: the registration joined
# only within the checkpoint's event, so a ticket of another event finds no row.
_TICKET = (sa.select(_checkpoints.c.id, _checkpoints.c.event_id, _events.c.department_id, _checkpoints.c.session_id,
                     _checkpoints.c.name, _checkpoints.c.opens_at, _checkpoints.c.closes_at, _events.c.starts_at,
                     _events.c.ends_at, _checkpoints.c.allow_reentry, _checkpoints.c.admit_pending,
                     _keys.c.public_key, _registrations.c.status, _registrations.c.ticket_generation,
                     _users.c.name.label("holder_name"), _users.c.mobile)
           .select_from(_checkpoints)
           .join(_events, _events.c.id == _checkpoints.c.event_id)
           .join(_registrations, sa.and_(_registrations.c.id == sa.bindparam("registration"),
                                         _registrations.c.event_id == _checkpoints.c.event_id))
           .join(_keys, _keys.c.event_id == _checkpoints.c.event_id)
           .join(_users, _users.c.id == _registrations.c.user_id)
           .where(_checkpoints.c.id == sa.bindparam("checkpoint"), _checkpoints.c.event_id == sa.bindparam("event")))
_TICKET_LOCKED = _TICKET.with_for_update(key_share=True, of=_registrations)

_ACCEPTED = (sa.select(_scans.c.id, _scans.c.direction, _scans.c.device, _scans.c.scanned_at, _scans.c.received_at,
                       _scans.c.scanner_link_id)
             .where(_scans.c.checkpoint_id == sa.bindparam("checkpoint"),
                    _scans.c.registration_id == sa.bindparam("registration"),
                    _scans.c.result == ScanResult.OK.value)
             .order_by(_scans.c.id))

# The scan, unless its nonce is stored already (services._store): the statement made once per dialect.
_INSERT = {dialect: insert(_scans).on_conflict_do_nothing(index_elements=["nonce"]).returning(_scans.c.id)
           for dialect, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))}

_LINK_LABEL = sa.select(_links.c.label).where(_links.c.id == sa.bindparam("id"))


def ticket_at(checkpoint_id: int, token: str | None, direction: str) -> Ticket | None:
    """A ticket scanned in at the checkpoint, with its holder's row locked as services.scan()
    locks it (FOR NO KEY UPDATE on PostgreSQL), or None: services.scan() is to decide the scan
    (anything but a ticket's entry; no such checkpoint; a ticket of another event)."""
    if direction != IN or not isinstance(token, str) or personal_codes.looks_like(token):
        return None
    try:
        claims = tokens.peek(token)
    except tokens.BadToken:
        return None
    connection = db.session.connection()  # the session's, in its transaction
    postgresql = connection.dialect.name == "postgresql"
    row = connection.execute(_TICKET_LOCKED if postgresql else _TICKET,
                             {"checkpoint": checkpoint_id, "registration": claims.registration_id,
                              "event": claims.event_id}).first()
    if row is None:
        return None
    if row.session_id is not None:  # a session's times and bookings: services.scan() knows them
        opens_at = closes_at = None
    else:
        opens_at, closes_at = opening_hours(row.opens_at, row.closes_at, row.starts_at, row.ends_at)
    point = Point(row.id, row.event_id, row.department_id, row.session_id, row.name, opens_at, closes_at,
                  row.allow_reentry, row.admit_pending)
    return Ticket(point, token, claims.registration_id, claims.generation, row.public_key, row.status,
                  row.ticket_generation, row.holder_name, row.mobile)


def scan_ticket(ticket: Ticket, *, scanned_at: datetime | None, nonce: str | None, device: str,
                scanner_id: int | None, link_id: int | None) -> TicketDecision | None:
    """The entry scan of `ticket` decided and stored, or None: services.scan() is to decide it."""
    point = ticket.point
    if point.session_id is not None:
        return None
    now = utcnow()
    if scanned_at is None or abs(scanned_at - now) > MAX_CLOCK_SKEW:
        scanned_at = now
    if not point.opens_at <= scanned_at <= point.closes_at:
        return None
    if (ticket.holder_generation & 0xFFFF) != ticket.generation:
        return None
    try:
        tokens.verify(ticket.public_key, ticket.token)
    except tokens.BadToken:
        return None
    if ticket.status not in admitted_statuses(point):
        return None
    connection = db.session.connection()
    postgresql = connection.dialect.name == "postgresql"
    if not postgresql:  # SQLite: the write lock, as services.scan() takes it
        lock(Registration, ticket.registration_id)

    accepted = [Entry(*row) for row in connection.execute(
        _ACCEPTED, {"checkpoint": point.id, "registration": ticket.registration_id})]
    first_in = next((s for s in accepted if s.direction == IN), None)
    inside = bool(accepted) and accepted[-1].direction == IN
    already = inside or (first_in is not None and not point.allow_reentry)
    code = ScanResult.ALREADY_CHECKED_IN if already else ScanResult.OK
    first = first_in if already else None
    device = (device or "")[:80]
    conflict = first is not None and first.device != device and scanned_at < first.received_at
    detail = {"conflict_with": first.id, "first_device": first.device} if conflict else {}

    values = {"checkpoint_id": point.id, "registration_id": ticket.registration_id, "direction": IN,
              "result": code.value, "scanned_at": scanned_at, "received_at": now, "device": device,
              "scanner_id": scanner_id, "scanner_link_id": link_id, "nonce": nonce or None, "detail": detail}
    scan_id = connection.execute(_INSERT["postgresql" if postgresql else "sqlite"], values).scalar()
    if scan_id is None:  # a retried nonce: services.scan() answers with the first attempt's decision
        return None
    place = None
    if first is not None:
        label = connection.scalar(_LINK_LABEL, {"id": first.scanner_link_id}) if first.scanner_link_id else None
        place = label or point.name  # services.door_name
    return TicketDecision(code, scan_id, ticket.holder_name, mask_phone(ticket.mobile), first, place, conflict)
