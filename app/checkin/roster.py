"""The offline roster a paired scanner caches to decide scans without the network (app.api.checkins
serves it; static/js/scanner.js reads it), built as JSON text with a strong ETag.

A scanner downloads it when paired and again every few minutes: the answer carries an ETag over
everything in it but `generated_at`, so a scanner that sends it back in If-None-Match while nothing
changed gets a 304 and keeps its copy. What changes the roster — who is admitted, their ticket
generations, names and mobiles, the accepted entries, the checkpoint's rules, the code authority's
keys and revoked phone keys — changes its text, so the ETag is a hash of that text, never a guess
from timestamps a bulk update may not touch.

At 10,000 registrants the entries are the cost (a join of the registrations to the people and
their JSON: 60 ms): on PostgreSQL the database writes their text itself (one string, no Python per
row), and each process keeps the text with the event's roster stamp (app.checkin.roster_versions),
which the database changes with any row the entries are built from: while it stands, the next
download reads one row instead. Elsewhere (SQLite in development) Python builds them each time.
What changes while the doors are open, the accepted entries, is read afresh on every download.
"""
from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app import base64url
from app.accounts.models import User
from app.checkin import roster_versions
from app.checkin.models import Checkpoint, Scan
from app.checkin.services import accepted_entry, admitted_statuses, entered_ids, seat_holders, window
from app.extensions import db
from app.registrations.models import Registration
from app.tickets import phone_keys
from app.tickets import services as tickets
from app.timeutil import iso, utcnow

FIELDS = ["id", "generation", "name", "mobile_last4", "user"]
KEPT_ENTRIES = 32  # kinds of checkpoint whose entries a process keeps: ~400 KB each at 10,000 registrants


@dataclass(frozen=True)
class RosterBody:
    text: str  # the JSON answer
    etag: str  # a strong validator: the same for the same roster, whenever it is generated


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _admitted(checkpoint: Checkpoint, *columns) -> sa.Select:
    """`columns` over the registrations admitted at the checkpoint, their users joined."""
    return (sa.select(*columns).select_from(Registration).join(User, User.id == Registration.user_id)
            .where(Registration.event_id == checkpoint.event_id,
                   Registration.status.in_(admitted_statuses(checkpoint)), seat_holders(checkpoint)))


def _entries_json(checkpoint: Checkpoint) -> sa.ScalarSelect:
    """PostgreSQL: the entries' JSON array without its brackets, written by the database."""
    # to_json quotes and escapes the strings as JSON; the rest are integers
    entry = sa.func.format("[%s,%s,%s,%s,%s]", Registration.id, Registration.ticket_generation.op("&")(0xFFFF),
                           sa.func.to_json(User.name),
                           sa.func.to_json(sa.func.right(sa.func.coalesce(User.mobile, ""), 4)), User.id)
    return _admitted(checkpoint, sa.func.string_agg(
        entry, aggregate_order_by(sa.literal_column("','"), Registration.id))).scalar_subquery()


class _KeptEntries:
    """Per process, the entries text last built for each kind of checkpoint (its event, session and
    admitted statuses) with the event's roster stamp it was built at."""

    def __init__(self):
        self.texts: dict[tuple, tuple[int, str]] = {}
        self.guard = threading.Lock()

    def get(self, key: tuple) -> tuple[int, str] | tuple[None, None]:
        with self.guard:
            return self.texts.get(key, (None, None))

    def put(self, key: tuple, stamp: int, text: str) -> None:
        with self.guard:
            if key not in self.texts and len(self.texts) >= KEPT_ENTRIES:
                self.texts.pop(next(iter(self.texts)))  # the oldest kept: a past event's, most likely
            self.texts[key] = (stamp, text)


_kept = _KeptEntries()


def _checked_in_json(checkpoint: Checkpoint) -> sa.ScalarSelect:
    """PostgreSQL: entered_ids as a JSON array ("[1,2]", as _dumps writes it), or NULL for none."""
    entered = (sa.select(Scan.registration_id).distinct()
               .where(Scan.checkpoint_id == checkpoint.id, accepted_entry(Scan.registration_id.is_not(None)))
               .subquery())
    ids = sa.func.array_agg(aggregate_order_by(entered.c.registration_id, entered.c.registration_id))
    return sa.select(sa.cast(sa.func.array_to_json(ids), sa.Text)).scalar_subquery()  # text: not parsed by the driver


def _entries_and_checked_in(checkpoint: Checkpoint) -> tuple[str, str]:
    """The JSON arrays of the entries ([id, ticket generation, name, last four digits of the
    mobile, user id] per admitted registration, in order of id) and of entered_ids."""
    if db.session.get_bind().dialect.name != "postgresql":
        rows = db.session.execute(_admitted(checkpoint, Registration.id, Registration.ticket_generation, User.name,
                                            User.mobile, User.id).order_by(Registration.id))
        return (_dumps([[r[0], r[1] & 0xFFFF, r[2], (r[3] or "")[-4:], r[4]] for r in rows]),
                _dumps(entered_ids(checkpoint)))
    key = (checkpoint.event_id, checkpoint.session_id, tuple(admitted_statuses(checkpoint)))
    kept_stamp, kept_text = _kept.get(key)
    # One statement, hit or miss (one snapshot for the stamp and the entries): PostgreSQL runs the
    # entries' subquery only when the stamp is not the kept one, or there is none. The accepted
    # entries change with every scan: always read, as one JSON text rather than a row per person.
    current = sa.select(roster_versions.RosterVersion.stamp).where(
        roster_versions.RosterVersion.event_id == checkpoint.event_id).scalar_subquery()
    stamp, joined, checked_in = db.session.execute(sa.select(current, sa.case(
        (current == sa.bindparam("kept", kept_stamp, type_=sa.BigInteger), sa.null()),
        else_=_entries_json(checkpoint)), _checked_in_json(checkpoint))).one()
    if stamp is None or stamp != kept_stamp:
        kept_text = "[" + (joined or "") + "]"
        if stamp is not None:
            _kept.put(key, stamp, kept_text)
    return kept_text, checked_in or "[]"


def roster_body(checkpoint: Checkpoint) -> RosterBody:
    """What a paired scanner caches to decide scans offline: the event's public key and, per
    admissible registration, [id, ticket generation, name, last four digits of the mobile, user id].
    A token whose generation differs was reset (revoked); ids not listed are not admitted.
    For personal codes (我的码): the code authority's public keys by id, the phone keys revoked
    within a credential's lifetime, and the code's freshness rules; the user id finds the entry.
    `checked_in`: the registrations with an accepted entry here."""
    opens, closes = window(checkpoint)
    phone_keys.authority_key()  # made now if need be: a scanner paired before anyone's first code knows it
    head = {
        "checkpoint": checkpoint.id, "event": checkpoint.event_id, "session": checkpoint.session_id,
        "opens_at": iso(opens), "closes_at": iso(closes), "allow_reentry": checkpoint.allow_reentry,
        "public_key": base64.urlsafe_b64encode(tickets.public_key(checkpoint.event)).rstrip(b"=").decode(),
        "fields": FIELDS,
        "authority_keys": [{"id": k.id, "public_key": base64url.encode(k.public_key)}
                           for k in phone_keys.keys_in_force()],
        "revoked_phone_keys": phone_keys.revoked_since_lifetime(),
        "code_max_age": int(phone_keys.CODE_MAX_AGE.total_seconds()),
        "code_future_skew": int(phone_keys.CODE_FUTURE_SKEW.total_seconds()),
    }
    head_text, (entries, checked_in) = _dumps(head), _entries_and_checked_in(checkpoint)
    digest = hashlib.sha256()
    for part in (head_text, entries, checked_in):
        digest.update(part.encode())
        digest.update(b"\0")
    # generated_at is the one part that changes while the roster does not: outside the hash
    text = (head_text[:-1] + ',"generated_at":' + _dumps(iso(utcnow())) + ',"entries":' + entries
            + ',"checked_in":' + checked_in + "}")
    return RosterBody(text, digest.hexdigest()[:32])


def roster(checkpoint: Checkpoint) -> dict:
    """The roster as the scanner reads it (roster_body, parsed)."""
    return json.loads(roster_body(checkpoint).text)
