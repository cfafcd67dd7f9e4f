"""A person's survey answers are theirs: in their data download, and their free text emptied when
their data are erased (the ratings stay, anonymous, so the figures stay right)."""
from __future__ import annotations

import sqlalchemy as sa

from tests.fixtures.satisfaction import answers


def _answered(db_session, ended_event, send_satisfaction):
    from app.satisfaction import answering
    from app.satisfaction.models import SatisfactionSurvey

    ended = ended_event()
    send_satisfaction()
    person = ended.attendees[0]
    survey = db_session.scalar(sa.select(SatisfactionSurvey).where(SatisfactionSurvey.user_id == person.id))
    answering.answer(survey, answers(survey, 4, 5, 3, 4, comment="我叫参会甲，电话写在这里"))
    db_session.commit()
    return person, survey


def test_the_answers_are_in_the_person_s_data_download(db_session, ended_event, send_satisfaction):
    from app.person.rights.export import collect

    person, survey = _answered(db_session, ended_event, send_satisfaction)
    data = collect(person)
    text = repr(data)
    assert "我叫参会甲，电话写在这里" in text and survey.label in text


def test_erasure_empties_the_comment_and_keeps_the_ratings(db_session, admin, ended_event, send_satisfaction):
    from app.person.rights import erasure
    from app.satisfaction.figures import summary
    from app.satisfaction.models import SurveyAnswer

    person, survey = _answered(db_session, ended_event, send_satisfaction)
    before = summary(None)
    erasure.erase(admin, person, via="admin", reason="本人申请")
    db_session.commit()
    db_session.expire_all()
    texts = db_session.scalars(sa.select(SurveyAnswer.text).where(SurveyAnswer.survey_id == survey.id)).all()
    assert "我叫参会甲，电话写在这里" not in texts and all(t in ("", "***") for t in texts)
    assert db_session.scalars(sa.select(SurveyAnswer.rating).where(SurveyAnswer.survey_id == survey.id)
                              .order_by(SurveyAnswer.position)).all() == [4, 5, 3, 4, None]
    assert summary(None) == before
