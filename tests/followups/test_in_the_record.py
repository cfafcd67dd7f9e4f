"""An answered follow-up survey joins the person's talent record (their own page and the JSON),
and staff of another department do not see it."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.events.models import Event
from app.followups.answering import answer
from app.followups.models import FollowupSurvey
from app.person.record import timeline
from app.person.record.scope import Scope
from tests.conftest import login


def test_an_answered_survey_is_on_the_record(client, db_session, ended_programmes, send_surveys, create_organisation):
    send_surveys(date(2025, 12, 30))
    founder = ended_programmes.founders[0]
    survey = db_session.scalar(sa.select(FollowupSurvey).where(FollowupSurvey.user_id == founder.id,
                                                               FollowupSurvey.programme_kind == "camp"))
    assert not [i for i in timeline.build(founder).items if i.kind == "followup"]  # sent, not answered
    company = create_organisation(name="上海闵行智造科技有限公司")
    answer(survey, {"working": "own_company_minhang", "organisation": company.name, "funding_wan": "300",
                    "team_size": "12"})
    db_session.commit()

    [item] = [i for i in timeline.build(founder).items if i.kind == "followup"]
    figures = {f.code: f.text for f in item.figures}
    assert item.status == "in_minhang" and figures["employer"] == company.name
    assert figures["funding_wan"] == "300" and figures["team_size"] == "12"
    assert survey.label in item.title and "6" in item.title.replace(survey.label, "")
    department_id = db_session.get(Event, survey.event_id).department_id
    other_department = Scope(frozenset({department_id + 1000}))
    assert not [i for i in timeline.build(founder, other_department).items if i.kind == "followup"]

    login(client, founder)
    page = client.get("/me/record").get_data(as_text=True)
    assert company.name in page
    kinds = [i["kind"] for i in client.get("/me/record.json").get_json()["items"]]
    assert "followup" in kinds
