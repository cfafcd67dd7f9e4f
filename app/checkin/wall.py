"""The live check-in wall (签到大屏): what a projector at the venue shows, refreshed every few
seconds: counts per checkpoint, arrivals per ten minutes, and the latest arrivals."""
from __future__ import annotations

from datetime import datetime, timedelta

from app.checkin import services as checkin
from app.events.models import Event
from app.privacy import mask_name
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


def arrivals_per_bucket(arrivals: list[datetime], opens: datetime, closes: datetime, now: datetime) -> list[dict]:
    """Arrivals per ten minutes (local clock), empty buckets included: while check-in is open,
    from the opening to now; afterwards, from the first arrival to the last."""
    live = opens <= now <= closes
    if not arrivals and not live:
        return []
    start = min(arrivals + [opens]) if live else min(arrivals)
    end = now if live else max(arrivals)
    counts: dict[datetime, int] = {}
    for moment in arrivals:
        key = _bucket_start(moment)
        counts[key] = counts.get(key, 0) + 1
    buckets, cursor, last = [], _bucket_start(start), _bucket_start(end)
    while cursor <= last:
        buckets.append({"start": iso(cursor), "label": cursor.strftime("%H:%M"), "count": counts.get(cursor, 0)})
        cursor += BUCKET
    return buckets[-MAX_BUCKETS:]


def wall_data(event: Event) -> dict:
    now = utcnow()
    points = checkin.event_checkpoints(event)
    main = points[0] if points else None  # the whole-event checkpoint comes first
    firsts = checkin.first_entries(main) if main is not None else {}
    counts = []
    for point in points:
        summary = checkin.checkpoint_attendance(point, firsts if point is main else None)
        counts.append({"checkpoint": summary.checkpoint.id, "name": summary.checkpoint.name,
                       "session": summary.checkpoint.session_id, "expected": summary.expected,
                       "checked_in": summary.checked_in})
    buckets, recent = [], []
    if main is not None:
        buckets = arrivals_per_bucket([s.scanned_at for s in firsts.values()], *checkin.window(main), now)
        latest = sorted(firsts.values(), key=lambda s: s.scanned_at, reverse=True)[:RECENT]
        names = checkin.registrant_names([s.registration_id for s in latest])
        recent = [{"name": _shown_name(event, names.get(s.registration_id, "")),
                   "at": to_local(s.scanned_at).strftime("%H:%M")} for s in latest]
    return {"event": {"id": event.id, "title": event.title}, "generated_at": iso(now),
            "counts": counts, "buckets": buckets, "recent": recent}
