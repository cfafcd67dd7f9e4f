"""Answering: by the signed link (no login) or from "My surveys"; bad input is a translated 4xx that
stores nothing; a second answer, an expired survey and a forged link are refused."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.satisfaction import answers


@pytest.fixture
def asked(db_session, ended_event, send_satisfaction):
    """The first attendee's survey of an ended event, and its link."""
    from app.satisfaction.models import SatisfactionSurvey
    from app.satisfaction.sending import survey_token

    ended = ended_event()
    send_satisfaction()
    survey = db_session.scalar(sa.select(SatisfactionSurvey).where(SatisfactionSurvey.user_id == ended.attendees[0].id))
    return survey, f"/s/{survey_token(survey)}", ended


def _stored(db_session, survey):
    from app.satisfaction.models import SurveyAnswer

    db_session.expire_all()
    rows = db_session.scalars(sa.select(SurveyAnswer).where(SurveyAnswer.survey_id == survey.id)
                              .order_by(SurveyAnswer.position)).all()
    return survey.answered_at, survey.rating_sum, survey.rating_count, [(a.question_key, a.rating, a.text) for a in rows]


def test_the_link_opens_the_questions_and_takes_an_answer(db_session, client, asked):
    survey, link, _ = asked
    page = client.get(link)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for question in survey.template.questions:
        assert question["label"] in text
    response = client.post(link, data=answers(survey, 5, 4, 3, 4, comment="  会场  有点远 "))
    assert response.status_code == 302
    answered_at, total, count, rows = _stored(db_session, survey)
    assert answered_at is not None and (total, count) == (16, 4)
    assert rows == [("overall", 5, ""), ("content", 4, ""), ("organisation", 3, ""), ("usefulness", 4, ""),
                    ("comment", None, "会场  有点远")]
    after = client.get(link).get_data(as_text=True)
    assert 'name="q_overall"' not in after  # the form is gone: answered


@pytest.mark.parametrize("bad", ["0", "6", "abc", "", "4.5", "-1", "٣"])
def test_a_rating_out_of_one_to_five_is_refused_and_nothing_is_stored(db_session, client, asked, bad):
    survey, link, _ = asked
    values = answers(survey, 5, 4, 3, 4, comment="好")
    values["q_content"] = bad
    response = client.post(link, data=values)
    assert response.status_code == 422
    assert "1" in response.get_data(as_text=True) and "5" in response.get_data(as_text=True)
    assert _stored(db_session, survey) == (None, 0, 0, [])


def test_a_nul_byte_is_refused_before_anything(db_session, client, asked):
    survey, link, _ = asked
    values = answers(survey, 5, 4, 3, 4, comment="好\x00坏")
    assert client.post(link, data=values).status_code == 422
    values = answers(survey, 5, 4, 3, 4)
    values["q_overall"] = "5\x00"
    assert client.post(link, data=values).status_code == 422
    assert _stored(db_session, survey) == (None, 0, 0, [])


def test_a_comment_too_long_is_refused(db_session, client, asked):
    survey, link, _ = asked
    assert client.post(link, data=answers(survey, 5, 4, 3, 4, comment="长" * 1001)).status_code == 422
    assert _stored(db_session, survey) == (None, 0, 0, [])


def test_answering_twice_is_refused_and_the_first_answer_stays(db_session, client, asked):
    survey, link, _ = asked
    client.post(link, data=answers(survey, 5, 5, 5, 5, comment="第一次"))
    first = _stored(db_session, survey)
    response = client.post(link, data=answers(survey, 1, 1, 1, 1, comment="第二次"), follow_redirects=True)
    assert response.status_code == 200
    assert _stored(db_session, survey) == first


def test_answering_twice_through_the_service_is_a_conflict(db_session, asked):
    from app.errors import Conflict
    from app.satisfaction import answering

    survey, _link, _ = asked
    answering.answer(survey, answers(survey, 4, 4, 4, 4))
    db_session.commit()
    with pytest.raises(Conflict) as refused:
        answering.answer(survey, answers(survey, 1, 1, 1, 1))
    assert refused.value.code == "already_answered"


def test_an_expired_survey_takes_no_answer(db_session, client, asked):
    from app.errors import Conflict
    from app.satisfaction import answering

    survey, link, _ = asked
    survey.closes_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    assert client.post(link, data=answers(survey, 5, 4, 3, 4), follow_redirects=True).status_code == 200
    assert _stored(db_session, survey) == (None, 0, 0, [])
    with pytest.raises(Conflict) as refused:
        answering.answer(survey, answers(survey, 5, 4, 3, 4))
    assert refused.value.code == "survey_closed"


def test_a_forged_or_borrowed_link_is_not_found(db_session, client, asked):
    from app import signed_links
    from app.followups.links import SALT as FOLLOWUP_SALT

    survey, link, ended = asked
    for token in ("abc", link.rsplit("/", 1)[1][:-2] + "xx", "a" * 200,
                  signed_links.sign("satisfaction-survey", survey.id, ended.attendees[1].id),  # another person
                  signed_links.sign(FOLLOWUP_SALT, survey.id, survey.user_id)):  # a follow-up link's signature
        assert client.get(f"/s/{token}").status_code == 404
        assert client.post(f"/s/{token}", data=answers(survey, 5, 5, 5, 5)).status_code == 404
    assert _stored(db_session, survey) == (None, 0, 0, [])


def test_my_surveys_lists_the_person_s_own_with_their_links(db_session, client, asked):
    survey, link, ended = asked
    login(client, ended.attendees[0])
    page = client.get("/me/surveys")
    assert page.status_code == 200 and link in page.get_data(as_text=True)
    client.post("/logout")
    login(client, ended.absent[0])
    page = client.get("/me/surveys")
    assert page.status_code == 200 and link not in page.get_data(as_text=True)
    assert survey.label not in page.get_data(as_text=True)
