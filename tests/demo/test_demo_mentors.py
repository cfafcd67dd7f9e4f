"""The demo's rosters: six mentors paired with founders of the running cohorts, with logged and
partly rated sessions and their 聘书; three ambassadors whose links brought registrations; two officers."""
from __future__ import annotations

import sqlalchemy as sa

from app.certificates.models import Certificate
from app.demo.loader import load_demo
from app.extensions import db
from app.mentoring import queries
from app.mentoring.models import MentoringSession, Pairing
from app.rosters import referrals
from app.rosters.models import RosterMember
from app.timeutil import local_today


def test_demo_mentors_ambassadors_and_officers(app, db_session):
    load_demo(participants=60, seed=2026, echo=lambda *a, **k: None)
    members = list(db.session.scalars(sa.select(RosterMember).order_by(RosterMember.id)))
    by_kind = {kind: [m for m in members if m.kind == kind] for kind in ("mentor", "ambassador", "officer")}
    assert [len(by_kind[k]) for k in ("mentor", "ambassador", "officer")] == [6, 3, 2]
    assert all(m.serving for m in members)
    pairings = list(db.session.scalars(sa.select(Pairing)))
    # the small test data set has few founders in running cohorts: mentors take them in turn
    assert pairings and {p.mentor_id for p in pairings} == {m.id for m in by_kind["mentor"][:len(pairings)]}
    assert all(p.cohort.starts_on <= local_today() <= p.cohort.ends_on for p in pairings)
    sessions = list(db.session.scalars(sa.select(MentoringSession)))
    assert sessions and any(s.rating for s in sessions) and any(s.rating is None for s in sessions)
    _per_pairing, per_founder, per_mentor = queries.tallies(pairings)
    assert sum(t.sessions for t in per_mentor.values()) == sum(t.sessions for t in per_founder.values()) \
        == len(sessions)
    letters = db.session.scalar(sa.select(sa.func.count()).select_from(Certificate).where(
        Certificate.subject_type == "roster", Certificate.kind == "appointment"))
    assert letters == 6
    credit = referrals.credits(by_kind["ambassador"])
    assert all(credit[m.id].registrations > 0 for m in by_kind["ambassador"])
