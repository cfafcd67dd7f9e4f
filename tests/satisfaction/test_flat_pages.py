"""感受度 pages issue as many statements at 200 rows as at 10 (issue 19): the overview and its
export (200 occasions), an occasion's results and comments (200 answered surveys), a person's own
surveys (200 of theirs)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.satisfaction import questionnaires
from app.satisfaction.models import SatisfactionSurvey, SatisfactionTally, SurveyAnswer
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.list_rows import events, people


def _surveys(event, owner=None, department=None):
    """Answered surveys of new people at `event`, or of `owner` at new events of `department`."""
    template = questionnaires.current("event")
    db.session.commit()

    def add(n: int) -> None:
        now = utcnow()
        pairs = [(owner, e) for e in events(n, department)] if owner is not None else [(u, event) for u in people(n)]
        surveys = [SatisfactionSurvey(user_id=u.id, event_id=e.id, kind="event", label=e.title,
                                      ended_at=now - timedelta(hours=1), template_id=template.id, sent_at=now,
                                      closes_at=now + timedelta(days=7), answered_at=now, rating_sum=4,
                                      rating_count=1,
                                      answers=[SurveyAnswer(position=1, question_key="overall", kind="rating",
                                                            question="总体满意度", rating=4),
                                               SurveyAnswer(position=2, question_key="comment", kind="text",
                                                            question="意见建议", text="很有收获")])
                   for u, e in pairs]
        db.session.add_all(surveys)
        db.session.commit()
    return add


def _occasions(department):
    def add(n: int) -> None:
        db.session.add_all(SatisfactionTally(event_id=e.id, kind="event", label=e.title, ended_at=utcnow(), sent=10,
                                             answered=5, rating_sum=20, rating_count=5)
                           for e in events(n, department))
        db.session.commit()
    return add


@pytest.mark.parametrize("path", ["", "export.xlsx"])
def test_overview(client, admin, departments, flat_in_rows, path):
    login(client, admin)
    flat_in_rows(client, "/console/satisfaction/" + path, add=_occasions(departments["talent_center"]))


def test_occasion(client, admin, ended_event, flat_in_rows):
    ended = ended_event()
    login(client, admin)
    flat_in_rows(client, f"/console/satisfaction/{ended.event.id}", add=_surveys(ended.event))


def test_mine(client, departments, create_user, flat_in_rows):
    person = create_user()
    login(client, person)
    flat_in_rows(client, "/me/surveys", add=_surveys(None, person, departments["talent_center"]))
