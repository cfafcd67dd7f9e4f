"""Sessions attended out of sessions held, for many registrations in two queries (never one per
row): an event with an agenda counts its sessions begun so far; one without counts as one session
once it has begun. Attended means an accepted entry scan (the one ledger, app.checkin)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.checkin.models import Checkpoint, Scan, ScanResult
from app.events.models import Event, EventSession
from app.extensions import db
from app.registrations.models import Registration
from app.timeutil import utcnow


@dataclass(frozen=True)
class Count:
    done: int
    total: int
    came: bool  # any accepted entry scan at all (the door, a session or the online part)


def counts(registration_ids, now: datetime | None = None) -> dict[int, Count]:
    ids = sorted(set(registration_ids))
    if not ids:
        return {}
    now = now or utcnow()
    sessions_held = (sa.select(sa.func.count(EventSession.id)).where(
        EventSession.event_id == Registration.event_id, EventSession.starts_at <= now).scalar_subquery())
    has_agenda = sa.select(EventSession.id).where(EventSession.event_id == Registration.event_id).exists()
    begun = sa.case((Event.starts_at <= now, 1), else_=0)
    held = dict(db.session.execute(
        sa.select(Registration.id, sa.case((has_agenda, sessions_held), else_=begun))
        .join(Event, Event.id == Registration.event_id).where(Registration.id.in_(ids))).all())
    came = db.session.execute(
        sa.select(Scan.registration_id,
                  sa.func.count(sa.distinct(Checkpoint.session_id)),
                  sa.func.count(Scan.id))
        .join(Checkpoint, Checkpoint.id == Scan.checkpoint_id)
        .where(Scan.registration_id.in_(ids), Scan.result == ScanResult.OK.value, Scan.direction == "in")
        .group_by(Scan.registration_id)).all()
    scanned = {reg_id: (sessions, scans) for reg_id, sessions, scans in came}
    result = {}
    for reg_id in ids:
        total = int(held.get(reg_id) or 0)
        sessions, scans = scanned.get(reg_id, (0, 0))
        done = min(sessions if total and sessions else (1 if scans and total else 0), total)
        result[reg_id] = Count(done, total, bool(scans))
    return result
