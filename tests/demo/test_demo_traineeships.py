"""The demo's traineeships as `flask demo` loads them: the 2026 summer batch with 60 openings and 45
placed trainees in different months of their placement (months confirmed, some overdue, one
withdrawn), and the finished batches with their 留用 decisions; a second run adds nothing."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.demo.loader import load_demo
from app.demo.traineeships import TITLE
from app.extensions import db
from app.timeutil import local_today
from app.traineeships import months
from app.traineeships.models import MonthlyAttendance, Placement, TraineeshipBatch


def _count(model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_demo_traineeship_batches(app, db_session):
    summary = load_demo(participants=40, seed=2026, echo=lambda *a, **k: None)
    batch = db.session.scalar(sa.select(TraineeshipBatch).where(TraineeshipBatch.title == TITLE))
    assert batch.year == 2026 and batch.season == "summer" and sum(p.openings for p in batch.places) == 60
    placed = dict(db.session.execute(sa.select(Placement.status, sa.func.count()).where(
        Placement.batch_id == batch.id).group_by(Placement.status)).all())
    assert placed.get("confirmed", 0) + placed.get("withdrawn", 0) == 45 and placed.get("withdrawn") == 1
    assert placed.get("proposed") == 3
    firsts = set(db.session.scalars(sa.select(Placement.starts_on).where(Placement.batch_id == batch.id)))
    assert len(firsts) > 1  # trainees in different months of their placement
    if local_today() > date(2026, 8, 5):  # a month of the placements is over and due
        assert _count(MonthlyAttendance) > 0
        missing = months.unconfirmed_months(Placement.batch_id == batch.id, first=batch.starts_on)
        assert missing and any(m.overdue for m in missing)
    finished = list(db.session.scalars(sa.select(TraineeshipBatch).where(TraineeshipBatch.status == "finished")))
    assert {b.year for b in finished} == {2024, 2025}
    decided = _count(Placement, Placement.batch_id.in_([b.id for b in finished]), Placement.retained.is_not(None))
    assert decided and _count(Placement, Placement.batch_id.in_([b.id for b in finished]), Placement.retained)
    assert "traineeship batches" in summary
    counts = (_count(TraineeshipBatch), _count(Placement), _count(MonthlyAttendance))
    load_demo(participants=40, seed=2026, echo=lambda *a, **k: None)  # a second run adds nothing
    assert (_count(TraineeshipBatch), _count(Placement), _count(MonthlyAttendance)) == counts
