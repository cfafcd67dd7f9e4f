"""The demo's venue codes: two upcoming open events allow self check-in at their doors, one with
a printed poster; the camp's lessons allow it too (their projected code)."""
from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.checkin.models import Checkpoint
from app.cohorts.lessons.models import Lesson
from app.demo.loader import load_demo
from app.extensions import db


def test_demo_venue_codes(app, db_session):
    load_demo(participants=40, seed=2026, echo=lambda *a, **k: None)
    doors = db.session.scalars(sa.select(Checkpoint).where(Checkpoint.self_check_in, Checkpoint.session_id.is_(None))
                               .order_by(Checkpoint.id)).all()
    assert len(doors) == 2 and sorted(d.venue_code for d in doors) == ["print", "screen"]
    assert sorted(d.print_generation for d in doors) == [0, 1]
    lesson_points = db.session.scalars(sa.select(Checkpoint).where(
        Checkpoint.session_id.in_(sa.select(Lesson.session_id)))).all()
    assert lesson_points and all(p.self_check_in for p in lesson_points)
    load_demo(participants=40, seed=2026, echo=lambda *a, **k: None)  # idempotent: no second printout
    assert sorted(d.print_generation for d in doors) == [0, 1]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "checkpoint.venue_code_print")) == 1
