"""The demo's hybrid 直播带岗: two invited partner universities, registrations through their links,
on-site scans and 40 people online (joins in the one scan ledger, time from heartbeats)."""
from __future__ import annotations

import sqlalchemy as sa

from app.checkin.models import Checkpoint, Scan
from app.demo.loader import load_demo
from app.demo.online import ONLINE, TITLE
from app.events.models import Event
from app.extensions import db
from app.online import figures
from app.online.models import OnlinePresence, UniversityInvitation


def test_demo_hybrid_live_recruiting(app, db_session):
    load_demo(participants=80, seed=2026, echo=lambda *a, **k: None)
    event = db.session.scalar(sa.select(Event).where(Event.title == TITLE))
    assert event is not None and event.format == "hybrid" and event.invited_only
    assert len(db.session.scalars(sa.select(UniversityInvitation).where(
        UniversityInvitation.event_id == event.id)).all()) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OnlinePresence).where(
        OnlinePresence.event_id == event.id)) == ONLINE
    online_joins = db.session.scalar(sa.select(sa.func.count(sa.distinct(Scan.registration_id))).join(Checkpoint)
                                     .where(Checkpoint.event_id == event.id, Checkpoint.kind == "online",
                                            Scan.result == "ok"))
    assert online_joins == ONLINE
    summary = figures.summary(event)
    assert 0 < summary.online < ONLINE  # most stayed the 30 minutes, a few dropped out early
    assert summary.onsite > 0 and summary.either == summary.onsite + summary.online
    organiser = event.department and db.session.scalar(sa.select(Event).where(Event.id == event.id)).created_by
    rows = figures.university_rows(organiser, event)
    assert len(rows) == 2 and all(r.registered > 0 and r.opens > r.registered for r in rows)
    assert sum(r.online for r in rows) == summary.online
    load_demo(participants=80, seed=2026, echo=lambda *a, **k: None)  # idempotent
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(Event.title == TITLE)) == 1
