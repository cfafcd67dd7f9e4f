"""A competition's status moves only as `models.TRANSITIONS` allows, through
`Competition.transition`; organisers open, close and reopen, and never publish by setting the status."""
from __future__ import annotations

import pytest

from app.competitions import services as cs
from app.competitions.models import Competition
from app.errors import Conflict


@pytest.fixture
def closed(db_session, create_user, departments):
    organiser = create_user("organiser", department="skills", name="赵建国")
    competition = Competition(name="闵行区职业技能竞赛", year=2026, level="district",
                              department_id=departments["skills"].id, status="closed")
    db_session.add(competition)
    db_session.flush()
    return organiser, competition


def test_organisers_cannot_publish_by_setting_the_status(db_session, closed):
    organiser, competition = closed
    with pytest.raises(Conflict) as refused:
        cs.set_status(organiser, competition, "published")
    assert refused.value.code == "bad_transition"
    assert competition.status == "closed" and competition.published_at is None


def test_only_the_allowed_moves_happen(db_session, closed):
    _organiser, competition = closed
    for status in ("draft", "closed", "nonsense"):
        with pytest.raises(Conflict) as refused:
            competition.transition(status)
        assert refused.value.code == "bad_transition" and competition.status == "closed"
    competition.transition("open")
    competition.transition("closed")
    competition.transition("published")
    for status in ("draft", "open", "closed"):
        with pytest.raises(Conflict):
            competition.transition(status)
    assert competition.status == "published"
