"""Check-in: one service decides every scan, at any checkpoint, into one append-only table.

`scan()` returns a decision with a stable result code (ScanResult) and never raises for a bad
ticket: rejected scans are stored too. Two scanners reading one ticket at the same moment get
exactly one `ok`: the registration's row is locked while the decision is made. A retried
upload with the same nonce gets the first one's decision back and records nothing new: the
unique nonce settles it when the scan is written. The web scanner, the API, camp lessons and
studio activities all decide scans here, for tickets and personal codes (我的码, app.checkin.personal)
alike: a personal code finds the person's registration at the checkpoint's event, then the
ticket's path decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import contains_eager, joinedload

from app.accounts.models import User
from app.audit import services as audit
from app.checkin import personal
from app.checkin.models import DOOR, ONLINE, PRINTED, SCREEN, Checkpoint, Scan, ScannerLink, ScanResult
from app.errors import Conflict, InvalidInput
from app.events.models import Event, EventSession
from app.events.services import require_manage
from app.extensions import db
from app.locking import lock
from app.lookups import get_or_not_found
from app.registrations.models import Registration, RegStatus, SessionBooking
from app.tickets import personal_codes
from app.tickets import services as tickets
from app.timeutil import fmt, utcnow

IN, OUT = "in", "out"
# A checkpoint without its own window opens two hours before the start and closes at the end.
DEFAULT_OPENS_BEFORE = timedelta(hours=2)
MAX_CLOCK_SKEW = timedelta(days=2)


@dataclass
class Decision:
    result: ScanResult
    scan: Scan
    registration: Registration | None = None
    first: Scan | None = None  # the entry that counts, for already_checked_in
    entry: Scan | None = None  # the entry an accepted exit closes

    @property
    def message(self) -> str:
        if self.result == ScanResult.OK and self.scan.direction == OUT:
            return exit_message(self.entry.scanned_at if self.entry else None, self.scan.scanned_at)
        return self.result.message


def exit_message(entered_at: datetime | None, left_at: datetime) -> str:
    """An accepted exit says so, with how long the person stayed and when they came in: the
    volunteer at the door can tell a checkout from a check-in at a glance."""
    if entered_at is None:
        return _("Checked out.")
    minutes = max(0, int((left_at - entered_at).total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    stayed = (_("%(h)s h %(m)s min", h=hours, m=minutes) if hours else _("%(m)s min", m=minutes))
    return _("Checked out: stayed %(stayed)s (in at %(time)s).", stayed=stayed, time=fmt(entered_at, "%H:%M"))


# -- checkpoints --------------------------------------------------------------
def event_checkpoint(event: Event) -> Checkpoint:
    """The whole-event checkpoint (the venue's doors), created on first use."""
    return _checkpoint(event, None, event.title)


def online_checkpoint(event: Event) -> Checkpoint:
    """Where an online or hybrid event's joins are recorded (personal join links, app.online):
    the same ledger and result codes as the doors, counted apart from them."""
    # Stored once, for everyone: a name in the bureau's language, as event titles are (and made
    # outside requests too, by the demo and workers, where no locale is chosen).
    return _checkpoint(event, None, f"{event.title}｜线上", kind=ONLINE)


def session_checkpoint(session: EventSession) -> Checkpoint:
    return _checkpoint(session.event, session, f"{session.title}｜{session.event.title}")


def _checkpoint(event: Event, session: EventSession | None, name: str, kind: str = DOOR) -> Checkpoint:
    query = sa.select(Checkpoint).where(
        Checkpoint.event_id == event.id, Checkpoint.kind == kind,
        Checkpoint.session_id.is_(None) if session is None else Checkpoint.session_id == session.id)
    found = db.session.scalar(query)
    if found is None:
        found = Checkpoint(event=event, session=session, name=name[:200], kind=kind)
        try:
            with db.session.begin_nested():  # made at once by two requests: a constraint keeps one
                db.session.add(found)
        except IntegrityError:
            found = db.session.scalar(query)
    return found


def get_checkpoint(checkpoint_id: int) -> Checkpoint:
    # with its event: every caller asks who may manage it and when it opens
    return get_or_not_found(Checkpoint, checkpoint_id, _l("No such checkpoint."),
                            options=[joinedload(Checkpoint.event)])


def window(checkpoint: Checkpoint) -> tuple[datetime, datetime]:
    timed = checkpoint.session or checkpoint.event
    return opening_hours(checkpoint.opens_at, checkpoint.closes_at, timed.starts_at, timed.ends_at)


def opening_hours(opens_at, closes_at, starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """A checkpoint's own window, else from two hours before the start of what it times to its end."""
    return opens_at or starts_at - DEFAULT_OPENS_BEFORE, closes_at or ends_at


# -- deciding a scan ----------------------------------------------------------
def scan(checkpoint: Checkpoint, token: str | None, *, direction: str = IN, scanned_at: datetime | None = None,
         nonce: str | None = None, device: str = "", scanner=None, link=None,
         registration_id: int | None = None, method: str = "manual", now: datetime | None = None) -> Decision:
    """Decide one scan of `token`, or of the registration `registration_id` when there is no
    ticket to read (then `token` is None): `method` says how — "manual" when a volunteer picked
    the person from the list by name, "self" when the person scanned the checkpoint's venue code.
    `now` is the server's clock when deciding (the present by default; the demo loader passes
    a past time to record the attendance history of events already held)."""
    if direction not in (IN, OUT):
        raise InvalidInput(fields={"direction": _l("Direction is in or out.")})
    now = now or utcnow()
    if scanned_at is None or abs(scanned_at - now) > MAX_CLOCK_SKEW:
        scanned_at = now  # a device clock that far off is wrong, not informative

    record = Scan(checkpoint=checkpoint, checkpoint_id=checkpoint.id, direction=direction, scanned_at=scanned_at,
                  received_at=now, device=(device or "")[:80], scanner_id=getattr(scanner, "id", None),
                  scanner_link_id=getattr(link, "id", None), nonce=nonce or None)
    if registration_id is not None:
        # The id comes from the client: only a registration of this checkpoint's event is looked
        # at, so a foreign id reads no name and links no stranger to this event's scans.
        registration = db.session.scalar(sa.select(Registration).where(
            Registration.id == registration_id, Registration.event_id == checkpoint.event_id))
        record.detail, locked = {"method": method}, False
        if registration is None:
            return _store(record, ScanResult.NOT_REGISTERED, None)
    elif personal_codes.looks_like(token):
        found = personal.find(checkpoint, token, scanned_at)
        record.detail, locked = found.detail, found.locked
        if found.registration is not None:
            record.registration_id = found.registration.id
        if found.refused is not None:
            return _store(record, found.refused, found.registration)
        registration = found.registration
    else:
        locked = db.session.get_bind().dialect.name == "postgresql"
        try:
            registration = tickets.check_token(token or "", lock=True)
        except tickets.InvalidTicket as exc:
            code = ScanResult.REVOKED if exc.details.get("reason") == "superseded" else ScanResult.INVALID
            record.detail = {"reason": exc.details.get("reason"), "token_prefix": (token or "")[:12]}
            holder = getattr(exc, "registration", None)
            if holder is not None and holder.event_id == checkpoint.event_id:
                # a replaced ticket of this event: the log shows whose it was, not "—"
                record.registration_id = holder.id
                return _store(record, code, holder)
            return _store(record, code, None)

    record.registration_id = registration.id
    if registration.event_id != checkpoint.event_id or not _booked(registration, checkpoint):
        return _store(record, ScanResult.NOT_REGISTERED, registration)
    if registration.status not in admitted_statuses(checkpoint):
        return _store(record, ScanResult.NOT_CONFIRMED, registration)
    opens, closes = window(checkpoint)
    if not opens <= scanned_at <= closes:
        return _store(record, ScanResult.OUTSIDE_WINDOW, registration)

    if not locked:  # one scan of a person at a time (a code's look-up locked it on PostgreSQL)
        lock(Registration, registration.id)
    accepted = db.session.scalars(
        sa.select(Scan).where(Scan.checkpoint_id == checkpoint.id, Scan.registration_id == registration.id,
                              Scan.result == ScanResult.OK.value)
        .order_by(Scan.id)).all()
    first_in = next((s for s in accepted if s.direction == IN), None)
    inside = bool(accepted) and accepted[-1].direction == IN
    if direction == OUT:
        code = ScanResult.OK if inside else ScanResult.NOT_CHECKED_IN
    elif inside or (first_in is not None and not checkpoint.allow_reentry):
        code = ScanResult.ALREADY_CHECKED_IN
    else:
        code = ScanResult.OK
    first = first_in if code == ScanResult.ALREADY_CHECKED_IN else None
    if is_conflict(Decision(code, record, registration, first)):  # kept on the row for the console to list
        record.detail = {**(record.detail or {}), "conflict_with": first_in.id, "first_device": first_in.device}
    entry = accepted[-1] if direction == OUT and code == ScanResult.OK else None
    return _store(record, code, registration, first=first, entry=entry)


def refuse(checkpoint: Checkpoint, result: ScanResult, *, device: str = "", scanner=None,
           method: str = "self") -> Decision:
    """A refusal decided before there is a registration to look at (someone with no place at the
    event scanned its venue code): stored like every refused scan, with who scanned."""
    now = utcnow()
    record = Scan(checkpoint=checkpoint, checkpoint_id=checkpoint.id, direction=IN, scanned_at=now, received_at=now,
                  device=(device or "")[:80], scanner_id=getattr(scanner, "id", None), detail={"method": method})
    return _store(record, result, None)


def admitted_statuses(checkpoint: Checkpoint) -> list[str]:
    return [RegStatus.CONFIRMED.value] + ([RegStatus.PENDING.value] if checkpoint.admit_pending else [])


def _holds_seat(checkpoint: Checkpoint):
    """SQL condition on Registration: a session checkpoint admits those holding a seat in that
    session; a registration that booked no sessions at all may attend every one."""
    if checkpoint.session_id is None:
        return sa.true()
    booked_any = sa.exists().where(SessionBooking.registration_id == Registration.id)
    seat = sa.exists().where(SessionBooking.registration_id == Registration.id,
                             SessionBooking.session_id == checkpoint.session_id,
                             SessionBooking.status == RegStatus.CONFIRMED.value)
    return sa.or_(~booked_any, seat)


def seat_holders(checkpoint: Checkpoint):
    """_holds_seat for a whole list (who is expected, the roster): the same rule as IN and NOT IN
    of the event's bookings, which PostgreSQL reads once into a hash rather than once a row."""
    if checkpoint.session_id is None:
        return sa.true()
    booked_any = (sa.select(SessionBooking.registration_id)
                  .join(EventSession, EventSession.id == SessionBooking.session_id)
                  .where(EventSession.event_id == checkpoint.event_id))
    seat = sa.select(SessionBooking.registration_id).where(SessionBooking.session_id == checkpoint.session_id,
                                                           SessionBooking.status == RegStatus.CONFIRMED.value)
    return sa.or_(Registration.id.not_in(booked_any), Registration.id.in_(seat))


def _booked(registration: Registration, checkpoint: Checkpoint) -> bool:
    if checkpoint.session_id is None:
        return True
    return bool(db.session.scalar(sa.select(sa.exists().where(
        Registration.id == registration.id, _holds_seat(checkpoint)))))


def _store(record: Scan, code: ScanResult, registration: Registration | None, first: Scan | None = None,
           entry: Scan | None = None) -> Decision:
    """Write the scan, unless its nonce is already stored: then this is a retry that raced the
    first attempt, and the first attempt's decision is the answer (the unique nonce decides,
    without a lock or a look-up before every scan)."""
    record.result = code.value
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(Scan.__table__)
    values = {column.key: getattr(record, column.key) for column in Scan.__table__.columns if column.key != "id"}
    values["detail"] = values.get("detail") or {}
    new_id = db.session.execute(insert.values(**values).on_conflict_do_nothing(index_elements=["nonce"])
                                .returning(Scan.__table__.c.id)).scalar()
    if new_id is None:
        return _replay(record.nonce, record.checkpoint_id)
    record.id = new_id  # the answer carries the scan's id; the row itself is written
    return Decision(code, record, registration, first, entry)


class NonceReused(Conflict):
    code = "nonce_reused"
    default_message = _l("This scan's nonce was already used at another checkpoint; send a new one.")


def _replay(nonce: str, checkpoint_id: int) -> Decision | None:
    earlier = db.session.scalar(sa.select(Scan).where(Scan.nonce == nonce))
    if earlier is None:
        return None
    if earlier.checkpoint_id != checkpoint_id:
        # Nonces are unique across all checkpoints: a scanner that reuses another checkpoint's
        # nonce must not get that scan's decision (and the attendee it names) back.
        raise NonceReused()
    registration = db.session.get(Registration, earlier.registration_id) if earlier.registration_id else None
    first = None
    if earlier.result == ScanResult.ALREADY_CHECKED_IN.value and registration is not None:
        first = db.session.scalar(sa.select(Scan).where(
            Scan.checkpoint_id == earlier.checkpoint_id, Scan.registration_id == registration.id,
            Scan.result == ScanResult.OK.value, Scan.direction == IN).order_by(Scan.id))
    entry = None
    if earlier.result == ScanResult.OK.value and earlier.direction == OUT and registration is not None:
        entry = db.session.scalar(sa.select(Scan).where(
            Scan.checkpoint_id == earlier.checkpoint_id, Scan.registration_id == registration.id,
            Scan.result == ScanResult.OK.value, Scan.direction == IN, Scan.id < earlier.id)
            .order_by(Scan.id.desc()).limit(1))
    return Decision(ScanResult(earlier.result), earlier, registration, first, entry)


# -- counts -------------------------------------------------------------------
def checked_in_count(checkpoint: Checkpoint) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Scan.registration_id)))
        .where(Scan.checkpoint_id == checkpoint.id, Scan.result == ScanResult.OK.value,
               Scan.direction == IN)) or 0


def ensure_checkpoints(event: Event) -> list[Checkpoint]:
    """The event's checkpoint, one per agenda session and, for an online or hybrid event, its
    online checkpoint last (called when it is published)."""
    points = [event_checkpoint(event)] + [session_checkpoint(s) for s in event.sessions]
    return points + ([online_checkpoint(event)] if event.has_online else [])


def update_checkpoint(actor, checkpoint: Checkpoint, *, opens_at: datetime | None, closes_at: datetime | None,
                      allow_reentry: bool, admit_pending: bool, self_check_in: bool | None = None,
                      venue_code: str | None = None) -> Checkpoint:
    """The checkpoint's rules; empty times fall back to the default window (see `window`).
    `self_check_in` and `venue_code` (screen or print): None leaves them as they are."""
    require_manage(actor, checkpoint.event)
    if opens_at and closes_at and closes_at <= opens_at:
        raise InvalidInput(fields={"closes_at": _l("Check-in must close after it opens.")})
    if venue_code is not None and venue_code not in (SCREEN, PRINTED):
        raise InvalidInput(fields={"venue_code": _l("Choose a code on a screen or a printed code.")})
    if self_check_in is not None and bool(self_check_in) != checkpoint.self_check_in:
        checkpoint.self_check_in = bool(self_check_in)
        audit.record(actor, "checkpoint.self_check_in_on" if self_check_in else "checkpoint.self_check_in_off",
                     checkpoint.event, checkpoint=checkpoint.id)
    checkpoint.venue_code = venue_code or checkpoint.venue_code
    checkpoint.opens_at, checkpoint.closes_at = opens_at, closes_at
    checkpoint.allow_reentry, checkpoint.admit_pending = bool(allow_reentry), bool(admit_pending)
    audit.record(actor, "checkpoint.update", checkpoint.event, checkpoint=checkpoint.id,
                 allow_reentry=checkpoint.allow_reentry, admit_pending=checkpoint.admit_pending,
                 self_check_in=checkpoint.self_check_in, venue_code=checkpoint.venue_code)
    return checkpoint


def event_checkpoints(event: Event) -> list[Checkpoint]:
    """The whole-event door first, then the sessions', then the online checkpoint (if any)."""
    return list(db.session.scalars(sa.select(Checkpoint).where(Checkpoint.event_id == event.id)
                                   .order_by(Checkpoint.kind != DOOR, Checkpoint.session_id.is_not(None),
                                             Checkpoint.id)))


def door_checkpoints(event: Event) -> list[Checkpoint]:
    """Where tickets are scanned (what scanners and scanner links are offered): not the online
    checkpoint, whose entries come from personal join links only."""
    return [c for c in event_checkpoints(event) if c.kind == DOOR]


def door_name(scan: Scan) -> str:
    """Where a scan was made, in words a volunteer knows: the scanner link's label (北门), else
    the checkpoint's name — not the device's random id."""
    link = db.session.get(ScannerLink, scan.scanner_link_id) if scan.scanner_link_id else None
    if link is not None and link.label:
        return link.label
    checkpoint = scan.checkpoint or db.session.get(Checkpoint, scan.checkpoint_id)
    return checkpoint.name if checkpoint else ""


def is_conflict(decision: Decision) -> bool:
    """Two devices both let the person in while offline: this scan was accepted on its device
    (it reports an earlier scan time than the server's first entry) but another device's
    entry got there first."""
    first = decision.first
    return (decision.result == ScanResult.ALREADY_CHECKED_IN and first is not None
            and first.device != decision.scan.device and decision.scan.scanned_at < first.received_at)


# -- attendance ---------------------------------------------------------------
@dataclass
class CheckpointAttendance:
    checkpoint: Checkpoint
    expected: int
    checked_in: int

    @property
    def no_shows(self) -> int:
        return max(0, self.expected - self.checked_in)


def expected_ids(checkpoint: Checkpoint) -> set[int]:
    """Confirmed registrants who may attend: the no-show count is measured against them."""
    return set(db.session.scalars(sa.select(Registration.id).where(
        Registration.event_id == checkpoint.event_id, Registration.status == RegStatus.CONFIRMED.value,
        seat_holders(checkpoint))))


class FirstEntry(NamedTuple):
    """A registration's first accepted entry at a checkpoint (the one that counts): the scan's
    id and time, read from an index rather than loaded as a whole Scan."""
    registration_id: int
    id: int
    scanned_at: datetime


def accepted_entry(*where) -> sa.ColumnElement[bool]:
    """SQL condition on Scan: an accepted entry (ix_scans_first_entries holds exactly these)."""
    return sa.and_(Scan.result == ScanResult.OK.value, Scan.direction == IN, *where)


def first_entries_query(checkpoint_ids: list[int] | sa.Select) -> sa.Subquery:
    """checkpoint_id, registration_id, id, scanned_at of each registration's first accepted entry
    at each of the checkpoints (their ids, or a select of them): the lowest scan id, as the scans
    were decided in that order. Read from ix_scans_first_entries in its order: DISTINCT ON on
    PostgreSQL, a window elsewhere (SQLite has no DISTINCT ON). Attendance, the wall, certificates
    and meetings all count by it."""
    if db.session.get_bind().dialect.name == "postgresql":
        # DISTINCT ON keeps the first row of each (checkpoint, registration) in the index's order:
        # a quarter of the window's time at 10,000 entries, and an estimate of the rows it keeps
        # that plans built on it can trust (the window's n = 1 is guessed at a few dozen).
        return (sa.select(Scan.checkpoint_id, Scan.registration_id, Scan.id, Scan.scanned_at)
                .ext(distinct_on(Scan.checkpoint_id, Scan.registration_id))
                .where(Scan.checkpoint_id.in_(checkpoint_ids), accepted_entry(Scan.registration_id.is_not(None)))
                .order_by(Scan.checkpoint_id, Scan.registration_id, Scan.id).subquery("first_entries"))
    ranked = sa.select(
        Scan.checkpoint_id, Scan.registration_id, Scan.id, Scan.scanned_at,
        sa.func.row_number().over(partition_by=(Scan.checkpoint_id, Scan.registration_id),
                                  order_by=Scan.id).label("n"),
    ).where(Scan.checkpoint_id.in_(checkpoint_ids), accepted_entry(Scan.registration_id.is_not(None))).subquery()
    return (sa.select(ranked.c.checkpoint_id, ranked.c.registration_id, ranked.c.id, ranked.c.scanned_at)
            .where(ranked.c.n == 1).subquery("first_entries"))


def first_entries(checkpoint: Checkpoint) -> dict[int, FirstEntry]:
    """registration id -> its first accepted entry at this checkpoint."""
    firsts = first_entries_query([checkpoint.id])
    return {row[0]: FirstEntry(*row) for row in db.session.execute(
        sa.select(firsts.c.registration_id, firsts.c.id, firsts.c.scanned_at))}


def entered_ids(checkpoint: Checkpoint) -> list[int]:
    """The registrations with an accepted entry at this checkpoint, in order of id."""
    return list(db.session.scalars(
        sa.select(Scan.registration_id).distinct()
        .where(Scan.checkpoint_id == checkpoint.id, accepted_entry(Scan.registration_id.is_not(None)))
        .order_by(Scan.registration_id)))


def checkpoint_attendance(checkpoint: Checkpoint) -> CheckpointAttendance:
    """Those expected (expected_ids) and how many of them came in: counted by the database, in
    one statement, for the wall and the scanners that poll it."""
    # IN, not a correlated EXISTS: PostgreSQL reads the entries once into a hash, not once a row
    came = Registration.id.in_(sa.select(Scan.registration_id).where(Scan.checkpoint_id == checkpoint.id,
                                                                     accepted_entry()))
    expected, arrived = db.session.execute(
        sa.select(sa.func.count(Registration.id), sa.func.count(Registration.id).filter(came)).where(
            Registration.event_id == checkpoint.event_id, Registration.status == RegStatus.CONFIRMED.value,
            seat_holders(checkpoint))).one()
    return CheckpointAttendance(checkpoint, expected, arrived)


def attendance(event: Event) -> list[CheckpointAttendance]:
    return [checkpoint_attendance(c) for c in event_checkpoints(event)]


def _with_names(query: sa.Select) -> sa.Select:
    # the console lists name each scan's person and checkpoint: read with the scans, not per row,
    # and of the person only the name (not every column of 200 registrations and people)
    return query.join(Checkpoint, Checkpoint.id == Scan.checkpoint_id).options(
        contains_eager(Scan.checkpoint),
        joinedload(Scan.registration).load_only(Registration.id, Registration.user_id, Registration.event_id)
        .joinedload(Registration.user).load_only(User.id, User.name))


def conflicts(event: Event) -> list[Scan]:
    """Offline scans that admitted someone another device had already admitted (scan() marks
    them with `conflict_with` in their detail)."""
    # Their ids first, then the rows with names: the planner cannot tell how few scans the JSON
    # test keeps and, asked both at once, reads every person to join a few hundred of them.
    ids = list(db.session.scalars(sa.select(Scan.id).join(Checkpoint, Checkpoint.id == Scan.checkpoint_id).where(
        Checkpoint.event_id == event.id, Scan.result == ScanResult.ALREADY_CHECKED_IN.value,
        Scan.detail["conflict_with"].as_string().is_not(None))))
    if not ids:
        return []
    return list(db.session.scalars(_with_names(sa.select(Scan)).where(Scan.id.in_(ids)).order_by(Scan.id.desc())))


def scan_log(event: Event, limit: int = 200) -> list[Scan]:
    return list(db.session.scalars(_with_names(sa.select(Scan)).where(Checkpoint.event_id == event.id)
                                   .order_by(Scan.id.desc()).limit(limit)))
