"""Answering through the signed link, without login; registry lookup; founder questions; bad input."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.followups.links import survey_token
from app.followups.models import FollowupSurvey


def _survey(db_session, user, kind):
    return db_session.scalar(sa.select(FollowupSurvey).where(FollowupSurvey.user_id == user.id,
                                                             FollowupSurvey.programme_kind == kind))


@pytest.fixture
def sent(db_session, ended_programmes, send_surveys):
    """The camp's and the pitch's six-month surveys and the traineeship's, all sent."""
    send_surveys(date(2025, 12, 30))
    send_surveys(date(2026, 3, 30))
    return ended_programmes


def test_answer_through_the_link_without_login(app, client, db_session, sent, create_organisation):
    company = create_organisation(name="上海闵行智造科技有限公司")
    survey = _survey(db_session, sent.founders[0], "camp")
    url = f"/f/{survey_token(survey)}"
    page = client.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'name="funding_wan"' in text and 'name="team_size"' in text and survey.label in text
    response = client.post(url, data={"working": "own_company_minhang", "organisation": "上海闵行智造科技（上海）有限公司",
                                      "funding_wan": "300", "team_size": "12", "note": "已在紫竹落户"})
    assert response.status_code == 302
    db_session.expire_all()
    survey = db_session.get(FollowupSurvey, survey.id)
    assert survey.status == "answered" and survey.answered_at is not None
    assert survey.organisation_id == company.id  # the normalised name found the registry's company
    assert (survey.working, survey.funding_wan, survey.team_size) == ("own_company_minhang", 300, 12)


def test_founder_questions_only_for_founders(app, client, db_session, sent):
    survey = _survey(db_session, sent.trainees[0], "traineeship")
    assert not survey.founder
    url = f"/f/{survey_token(survey)}"
    assert 'name="funding_wan"' not in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"working": "employed_minhang", "organisation": "某个不在名录里的公司",
                                      "funding_wan": "900", "team_size": "40"})
    assert response.status_code == 302
    db_session.expire_all()
    survey = db_session.get(FollowupSurvey, survey.id)
    assert (survey.funding_wan, survey.team_size) == (None, None)
    assert survey.organisation_id is None and survey.organisation_name == "某个不在名录里的公司"  # kept as typed


def test_registry_suggestions_and_a_picked_organisation(app, client, db_session, sent, create_organisation):
    company = create_organisation(name="上海紫竹半导体有限公司")
    survey = _survey(db_session, sent.entrants[0], "pitch")
    token = survey_token(survey)
    rows = client.get(f"/f/{token}/organisations?q=紫竹半导").get_json()
    assert rows == [{"id": company.id, "name": company.name}]
    assert client.get(f"/f/{token}/organisations?q=紫").get_json() == []  # too short to search
    assert client.get(f"/f/{token}x/organisations?q=紫竹半导").status_code == 404
    response = client.post(f"/f/{token}", data={"working": "employed_minhang", "organisation": company.name,
                                                "organisation_id": str(company.id)})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(FollowupSurvey, survey.id).organisation_id == company.id


@pytest.mark.parametrize("data, field", [
    ({}, "working"),
    ({"working": "astronaut"}, "working"),
    ({"working": "employed_minhang"}, "organisation"),
    ({"working": "employed_minhang", "organisation": "甲" * 201}, "organisation"),
    ({"working": "studying", "funding_wan": "-3"}, "funding_wan"),
    ({"working": "studying", "funding_wan": "9" * 20}, "funding_wan"),
    ({"working": "studying", "team_size": "十"}, "team_size"),
    ({"working": "studying", "note": "x" * 501}, "note"),
])
def test_bad_input_is_refused_and_changes_nothing(app, client, db_session, sent, data, field):
    survey = _survey(db_session, sent.founders[1], "camp")
    response = client.post(f"/f/{survey_token(survey)}", data=data)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(FollowupSurvey, survey.id).status == "sent"


def test_forged_and_foreign_links_are_not_found(app, client, db_session, sent):
    survey = _survey(db_session, sent.founders[1], "camp")
    token = survey_token(survey)
    for bad in (token[:-2] + "xx", "A" * 500, "1", token.replace(".", "")):
        assert client.get(f"/f/{bad}").status_code == 404
    assert client.get("/f/%00").status_code == 422  # a NUL byte: refused before any view
    from itsdangerous import URLSafeSerializer

    other = URLSafeSerializer(app.config["SECRET_KEY"], salt="followup-survey").dumps([survey.id, survey.user_id + 1])
    assert client.get(f"/f/{other}").status_code == 404  # the signature is ours, the person is not


def test_a_correction_within_the_edit_days_then_final(app, client, db_session, sent, monkeypatch):
    from app.audit.models import AuditEntry
    from app.followups import answering
    from app.timeutil import local_today

    survey = _survey(db_session, sent.founders[1], "camp")
    url = f"/f/{survey_token(survey)}"
    client.post(url, data={"working": "outside_minhang", "organisation": "杭州某公司"})
    assert client.post(url, data={"working": "employed_minhang", "organisation": "上海某公司"}).status_code == 302
    db_session.expire_all()
    assert db_session.get(FollowupSurvey, survey.id).working == "employed_minhang"
    history = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "followups.answer",
                                                             AuditEntry.subject_id == survey.id)
                                 .order_by(AuditEntry.id)).all()
    assert [h.detail["answer"]["working"] for h in history] == ["outside_minhang", "employed_minhang"]
    assert history[0].detail["before"] is None and history[1].detail["before"]["working"] == "outside_minhang"
    monkeypatch.setattr(answering, "local_today", lambda: local_today() + timedelta(days=31))
    response = client.post(url, data={"working": "not_working"}, follow_redirects=True)
    assert "can no longer be changed" in response.get_data(as_text=True) or "不能再修改" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(FollowupSurvey, survey.id).working == "employed_minhang"


def test_an_expired_survey_takes_no_answer(app, client, db_session, sent, send_surveys):
    from app.timeutil import local_today

    survey = _survey(db_session, sent.entrants[1], "pitch")
    send_surveys(local_today() + timedelta(days=61))
    response = client.post(f"/f/{survey_token(survey)}", data={"working": "studying"})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(FollowupSurvey, survey.id).status == "expired"


def test_my_surveys_and_answers_of(app, client, db_session, sent, login_as):
    from app.followups.answering import answers_of

    founder = sent.founders[0]
    login_as(founder)
    page = client.get("/me/followups").get_data(as_text=True)
    survey = _survey(db_session, founder, "camp")
    assert survey.label in page and f"/f/{survey_token(survey)}" in page
    assert answers_of(founder) == []
    client.post(f"/f/{survey_token(survey)}", data={"working": "studying"})
    db_session.expire_all()
    [answer] = answers_of(founder)
    assert (answer.programme_kind, answer.months_after, answer.working, answer.in_minhang) == ("camp", 6, "studying", False)
    other = _survey(db_session, sent.founders[1], "camp")
    assert survey_token(other) not in client.get("/me/followups").get_data(as_text=True)
