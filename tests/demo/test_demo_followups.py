"""The demo's follow-up surveys: the ended camp cohorts' and traineeship batches' people asked at 6
and 12 months, some answered, so that the console has figures."""
from __future__ import annotations

import sqlalchemy as sa

from app.demo.loader import load_demo
from app.extensions import db
from app.followups.figures import retention_counts, tally
from app.followups.models import FollowupSurvey


def test_demo_followups(app, db_session):
    load_demo(participants=60, seed=2026, echo=lambda *a, **k: None)
    surveys = db.session.scalars(sa.select(FollowupSurvey)).all()
    assert {s.programme_kind for s in surveys} == {"camp", "traineeship"}
    assert {s.months_after for s in surveys} == {6, 12}
    statuses = {s.status for s in surveys}
    assert statuses == {"sent", "answered"}
    rows = tally(None)
    assert all(0 < f.sent for f in rows) and sum(f.answered for f in rows) > 0
    assert sum(c.in_minhang for c in retention_counts(12)) > 0
    assert any(f.funding for f in rows if f.programme_kind == "camp")
    assert all(s.in_minhang is False for s in surveys if s.working in ("outside_minhang", "studying"))
    count = len(surveys)
    load_demo(participants=60, seed=2026, echo=lambda *a, **k: None)  # a second run adds nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowupSurvey)) == count
