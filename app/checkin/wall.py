"""The live check-in wall (签到大屏): what a projector at the venue shows, refreshed every few
seconds: counts per checkpoint, arrivals per ten minutes, and the latest arrivals."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.accounts.models import User
from app.checkin import services as checkin
from app.checkin.models import Checkpoint
from app.events.models import Event
from app.extensions import db
from app.privacy import mask_name
from app.registrations.models import Registration
from app.timeutil import iso, to_local, utcnow

BUCKET = timedelta(minutes=10)
RECENT = 12
MAX_BUCKETS = 6 * 24


def _bucket_start(moment: datetime) -> datetime:
    local = to_local(moment)
    return local.replace(minute=local.minute - local.minute % 10, second=0, microsecond=0)


def _shown_name(event: Event, name: str) -> str:
    if event.wall_names == "full":
        return name
    if event.wall_names == "hidden":
        return ""
    return mask_name(name)


class epoch_seconds(FunctionElement):
    """Whole seconds since 1970 of a naive UTC column, as an integer the slot arithmetic is cheap on."""
    type = sa.BigInteger()
    inherit_cache = True


@compiles(epoch_seconds)
def _epoch_seconds(element, compiler, **kw):
    return compiler.process(sa.extract("epoch", *element.clauses), **kw)  # SQLite: STRFTIME('%s'), whole seconds


@compiles(epoch_seconds, "postgresql")
def _epoch_seconds_postgresql(element, compiler, **kw):
    # DATE_PART is a float: EXTRACT's numeric costs twice the time over ten thousand arrivals
    return f"CAST(FLOOR(DATE_PART('epoch', {compiler.process(element.clauses, **kw)})) AS BIGINT)"


def arrival_counts(checkpoint: Checkpoint, now: datetime) -> dict[datetime, int]:
    """First entries per ten minutes, keyed by the slot's start on the local clock, counted by the
    database: slots are cut on epoch seconds shifted by the local offset (Shanghai keeps one
    offset all year, so the offset now is the offset of the whole event)."""
    offset = int(to_local(now).utcoffset().total_seconds())
    firsts = checkin.first_entries_query([checkpoint.id])
    moment = epoch_seconds(firsts.c.scanned_at) + offset
    slots = sa.select((moment - moment % int(BUCKET.total_seconds())).label("start")).subquery()
    rows = db.session.execute(sa.select(slots.c.start, sa.func.count()).group_by(slots.c.start))
    return {to_local(datetime.fromtimestamp(int(start) - offset, timezone.utc)): n for start, n in rows}


def arrivals_per_bucket(counts: dict[datetime, int], opens: datetime, closes: datetime, now: datetime) -> list[dict]:
    """Arrivals per ten minutes (local clock), empty buckets included: while check-in is open,
    from the opening to now; afterwards, from the first arrival to the last. `counts`: arrivals
    per slot, keyed by the slot's start (arrival_counts)."""
    live = opens <= now <= closes
    if not counts and not live:
        return []
    first = min(list(counts) + ([_bucket_start(opens)] if live else []))
    buckets, cursor, last = [], first, _bucket_start(now) if live else max(counts)
    while cursor <= last:
        buckets.append({"start": iso(cursor), "label": cursor.strftime("%H:%M"), "count": counts.get(cursor, 0)})
        cursor += BUCKET
    return buckets[-MAX_BUCKETS:]


def latest_arrivals(checkpoint: Checkpoint, limit: int = RECENT) -> list[tuple[str, datetime]]:
    """(name, time) of the last people to come in for the first time, latest first."""
    firsts = checkin.first_entries_query([checkpoint.id])
    # the latest first, then their names: a dozen joined, not every arrival
    latest = (sa.select(firsts.c.registration_id, firsts.c.id, firsts.c.scanned_at)
              .order_by(firsts.c.scanned_at.desc(), firsts.c.id).limit(limit).subquery("latest"))
    return [tuple(row) for row in db.session.execute(
        sa.select(User.name, latest.c.scanned_at).select_from(latest)
        .join(Registration, Registration.id == latest.c.registration_id).join(User, User.id == Registration.user_id)
        .order_by(latest.c.scanned_at.desc(), latest.c.id))]


def wall_data(event: Event) -> dict:
    now = utcnow()
    points = checkin.event_checkpoints(event)
    main = points[0] if points else None  # the whole-event checkpoint comes first
    counts = []
    for point in points:
        summary = checkin.checkpoint_attendance(point)
        counts.append({"checkpoint": point.id, "name": point.name, "session": point.session_id,
                       "expected": summary.expected, "checked_in": summary.checked_in})
    buckets, recent = [], []
    if main is not None:
        buckets = arrivals_per_bucket(arrival_counts(main, now), *checkin.window(main), now)
        recent = [{"name": _shown_name(event, name), "at": to_local(at).strftime("%H:%M")}
                  for name, at in latest_arrivals(main)]
    return {"event": {"id": event.id, "title": event.title}, "generated_at": iso(now),
            "counts": counts, "buckets": buckets, "recent": recent}
