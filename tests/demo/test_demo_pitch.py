"""The demo's 2026年闵行区留学人员创业大赛: 24 entries through three rounds, every cut kept,
results released with awards, certificates and camp invitations; a judge sitting out the entry
of a team member from their own employer."""
from __future__ import annotations

import sqlalchemy as sa

from app.certificates.models import Certificate
from app.demo.loader import load_demo
from app.extensions import db
from app.pitch import services as ps
from app.pitch.models import CampInvitation, PitchCompetition


def test_demo_pitch_competition(app, db_session):
    load_demo(participants=60, seed=2026, echo=lambda *a, **k: None)
    competition = db.session.scalar(sa.select(PitchCompetition).where(PitchCompetition.name.like("%留学人员创业大赛")))
    assert competition.is_released and len(ps.entries(competition)) == 24
    r1, r2, final = competition.rounds
    assert [r.status for r in competition.rounds] == ["closed"] * 3
    first = ps.outcomes(r1)
    assert len(first) == 24 and sum(1 for r in first if r.advanced) >= 12
    assert len(ps.outcomes(r2)) == sum(1 for r in first if r.advanced)
    finalists = ps.outcomes(final)
    assert finalists and len(finalists) == sum(1 for r in ps.outcomes(r2) if r.advanced)
    screen = ps.screen(competition)
    assert screen["released"] and screen["rows"][0]["awards"][0] == "一等奖"
    assert any("最具投资价值奖" in (row["awards"] or []) for row in screen["rows"])
    certificates = db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)
                                     .where(Certificate.subject_type == "pitch"))
    assert certificates == len(finalists)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CampInvitation)) == len(finalists)
    conflicted = ps.entries(competition)[3]
    assert any(ps.conflicts(j.user, r1, conflicted) for j in r1.judges if not j.chief)
