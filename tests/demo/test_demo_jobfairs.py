"""The demo's autumn job fair: 12 employers, 40 positions, 150 interests shared by consent (some
withdrawn since), outcomes marked by the employers' contacts; loaded once."""
from __future__ import annotations

import sqlalchemy as sa

from app.demo.jobfairs import EMPLOYERS, INTERESTS, POSITIONS, TITLE, WITHDRAWN
from app.demo.loader import load_demo
from app.events.models import Event
from app.jobfairs import counts
from app.jobfairs.models import Consent, FairEmployer, Interest, InterestOutcome, Position


def test_the_demo_has_an_autumn_job_fair_with_interests_and_outcomes(app, db_session):
    load_demo(participants=40, seed=2026, echo=lambda *a: None)
    event = db_session.scalar(sa.select(Event).where(Event.title == TITLE))
    assert event is not None and event.kind == "job_fair" and event.status == "published"
    employers = db_session.scalars(sa.select(FairEmployer).where(FairEmployer.event_id == event.id)).all()
    assert len(employers) == EMPLOYERS
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Position)) == POSITIONS
    all_interests = db_session.scalars(sa.select(Interest)).all()
    assert len(all_interests) == INTERESTS
    assert sum(i.status == "withdrawn" for i in all_interests) == WITHDRAWN
    # Every interest came with a consent row; the withdrawn ones' consents are ended.
    for interest in all_interests:
        rows = db_session.scalars(sa.select(Consent).where(Consent.interest_id == interest.id)).all()
        assert len(rows) == 1 and (rows[0].withdrawn_at is not None) == (interest.status == "withdrawn")
    outcomes = dict(db_session.execute(sa.select(InterestOutcome.status, sa.func.count())
                                       .group_by(InterestOutcome.status)).all())
    assert outcomes.get("hired", 0) > 0 and outcomes.get("offer", 0) > 0 and outcomes.get("interviewed", 0) > 0
    numbers = counts.fair_counts(event)
    assert (numbers.employers, numbers.positions, numbers.interests) == (EMPLOYERS, POSITIONS, INTERESTS - WITHDRAWN)
    assert 0 < numbers.hires < numbers.offers < numbers.interests and numbers.visitors > 0
    load_demo(participants=40, seed=2026, echo=lambda *a: None)  # a second run adds nothing
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Interest)) == INTERESTS
