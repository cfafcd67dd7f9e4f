"""Follow-up survey pages issue as many statements at 200 surveys as at 10 (issue 19): the
overview, its export, a programme's figures, its people (the drill-down) and a person's own list."""
from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.followups.models import FollowupSurvey
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures import next_number
from tests.fixtures.list_rows import people


def _surveys(cohort, user=None):
    def add(n: int) -> None:
        owners = [user] * n if user is not None else people(n)
        db.session.add_all(FollowupSurvey(
            user_id=u.id, programme_kind="camp", programme_id=cohort.id, event_id=cohort.event_id, label=cohort.name,
            founder=True, ended_on=date(2025, 6, 30), months_after=next_number(),
            due_on=date(2026, 6, 30), status="answered", working="employed_minhang", organisation_name="上海某某科技有限公司",
            funding_wan=100, team_size=5,
            sent_at=utcnow(), answered_at=utcnow()) for u in owners)
        db.session.commit()
    return add


@pytest.mark.parametrize("path", ["", "export.xlsx", "camp/{id}", "camp/{id}/people"])
def test_console(client, create_cohort, flat_in_rows, path):
    cohort = create_cohort("incubation", capacity=10)
    login(client, cohort.runner)
    flat_in_rows(client, "/console/followups/" + path.format(id=cohort.id), add=_surveys(cohort))


def test_mine(client, create_cohort, create_user, flat_in_rows):
    cohort = create_cohort("incubation", capacity=10)
    person = create_user()
    login(client, person)
    flat_in_rows(client, "/me/followups", add=_surveys(cohort, person))
