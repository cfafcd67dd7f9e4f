"""The demo's 感受度 surveys: the ended events, a camp cohort's lessons and a finished traineeship
batch asked, some answered with comments, so that the console and the dashboard have figures."""
from __future__ import annotations

import sqlalchemy as sa

from app.demo.loader import load_demo
from app.extensions import db
from app.satisfaction.figures import rows, summary
from app.satisfaction.models import SatisfactionSurvey, SurveyAnswer


def test_demo_satisfaction(app, db_session):
    load_demo(participants=60, seed=2026, echo=lambda *a, **k: None)
    kinds = {r.key: r for r in rows(None, by="kind")}
    assert set(kinds) == {"event", "lessons", "traineeship"}
    assert all(r.answered > 0 and 1 <= r.mean <= 5 for r in kinds.values())
    occasions = rows(None, by="occasion")
    assert sum(1 for r in occasions if r.key and r.answered) >= 3
    total = summary(None)
    assert total.sent == sum(r.sent for r in occasions) and 0 < total.response_rate < 1
    assert db.session.scalar(sa.select(sa.func.count(SurveyAnswer.id)).where(SurveyAnswer.text != "")) > 0
    count = db.session.scalar(sa.select(sa.func.count(SatisfactionSurvey.id)))
    load_demo(participants=60, seed=2026, echo=lambda *a, **k: None)  # a second run adds nothing
    assert db.session.scalar(sa.select(sa.func.count(SatisfactionSurvey.id))) == count
