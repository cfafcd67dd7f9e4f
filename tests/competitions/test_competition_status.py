"""A competition's status moves only as `models.TRANSITIONS` allows, through
`Competition.transition`; organisers open, close and reopen, and never publish by setting the status."""
from __future__ import annotations

import pytest

from app.competitions import services as cs
from app.errors import Conflict


@pytest.fixture
def closed(db_session, contest):
    """The shared `contest`, closed by its organiser."""
    cs.set_status(contest.organiser, contest.competition, "closed")
    db_session.flush()
    return contest.organiser, contest.competition


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
