"""The figures equal what the rows built here add up to by hand: sent, answered, the response rate
and the score (the mean of every rating), in all and per occasion, kind and department, within the
departments asked for and the time window on when the occasion ended."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.timeutil import utcnow
from tests.fixtures.satisfaction import answers


@pytest.fixture
def answered(db_session, departments, ended_event, send_satisfaction):
    """Two events of 区人才中心 (three attendees each) and one of 区就促中心 (two), surveys sent,
    answered as: talent A [5,5,4,4] [3,3,3,3], the third silent; talent B [1,2,3,4], others silent;
    employment C [4,4,4,4] [5,5,5,5]."""
    from app.satisfaction import answering
    from app.satisfaction.models import SatisfactionSurvey

    a = ended_event(names=("甲1", "甲2", "甲3"))
    b = ended_event(names=("乙1", "乙2", "乙3"))
    c = ended_event(department="employment", names=("丙1", "丙2"))
    send_satisfaction()

    def survey_of(user):
        return db_session.scalar(sa.select(SatisfactionSurvey).where(SatisfactionSurvey.user_id == user.id))

    given = [(a, 0, (5, 5, 4, 4)), (a, 1, (3, 3, 3, 3)), (b, 0, (1, 2, 3, 4)), (c, 0, (4, 4, 4, 4)),
             (c, 1, (5, 5, 5, 5))]
    for ended, index, ratings in given:
        survey = survey_of(ended.attendees[index])
        answering.answer(survey, answers(survey, *ratings, comment="挺好"))
    db_session.commit()
    return {"a": a, "b": b, "c": c, "talent": departments["talent_center"].id,
            "employment": departments["employment"].id}


def test_the_totals_are_the_rows_added_up_by_hand(answered):
    from app.satisfaction.figures import summary

    everything = summary(None)
    assert (everything.sent, everything.answered) == (8, 5)
    assert everything.response_rate == pytest.approx(5 / 8)
    assert everything.mean == pytest.approx((18 + 12 + 10 + 16 + 20) / 20)

    talent = summary({answered["talent"]})
    assert (talent.sent, talent.answered) == (6, 3)
    assert talent.mean == pytest.approx((18 + 12 + 10) / 12) and talent.response_rate == pytest.approx(0.5)

    one = summary(None, event_ids=[answered["b"].event.id])
    assert (one.sent, one.answered, one.mean) == (3, 1, pytest.approx(2.5))
    assert summary(None, kind="event") == everything
    assert summary(None, kind="lessons") == summary(set())  # nothing: no mean, no rate
    assert summary(set()).mean is None and summary(set()).response_rate is None and summary(set()).sent == 0


def test_rows_per_occasion_kind_and_department(answered):
    from app.satisfaction.figures import rows

    by_occasion = {r.key: r for r in rows(None, by="occasion")}
    a, b, c = (answered[k].event.id for k in "abc")
    assert {k: (r.sent, r.answered) for k, r in by_occasion.items()} == {a: (3, 2), b: (3, 1), c: (2, 2)}
    assert by_occasion[a].mean == pytest.approx(30 / 8) and by_occasion[c].mean == pytest.approx(4.5)
    assert by_occasion[a].response_rate == pytest.approx(2 / 3) and by_occasion[a].label == answered["a"].event.title

    [kind] = rows(None, by="kind")
    assert (kind.key, kind.sent, kind.answered) == ("event", 8, 5)

    by_department = {r.key: r for r in rows(None, by="department")}
    assert by_department[answered["talent"]].mean == pytest.approx(40 / 12)
    assert by_department[answered["employment"]].response_rate == pytest.approx(1.0)

    # an organiser's departments only
    assert {r.key for r in rows({answered["employment"]}, by="occasion")} == {c}
    assert [r.key for r in rows({answered["employment"]}, by="department")] == [answered["employment"]]
    with pytest.raises(Exception):
        rows(None, by="person")


def test_the_time_window_is_on_when_the_occasion_ended(db_session, answered):
    from app.satisfaction.figures import summary
    from app.satisfaction.models import SatisfactionSurvey

    # event a "ended" a year ago: its surveys carry when it ended
    a = answered["a"].event.id
    from app.satisfaction import tallies

    db_session.execute(sa.update(SatisfactionSurvey).where(SatisfactionSurvey.event_id == a)
                       .values(ended_at=utcnow() - timedelta(days=365)))
    tallies.recount()
    db_session.commit()
    now = utcnow()
    recent = summary(None, start=now - timedelta(days=30), end=now + timedelta(days=1))
    assert (recent.sent, recent.answered) == (5, 3)
    older = summary(None, start=now - timedelta(days=400), end=now - timedelta(days=30))
    assert (older.sent, older.answered, older.mean) == (3, 2, pytest.approx(30 / 8))
    # the end is excluded, the start included
    ended = db_session.scalar(sa.select(SatisfactionSurvey.ended_at).where(SatisfactionSurvey.event_id == a).limit(1))
    assert summary(None, start=ended, end=ended + timedelta(seconds=1)).sent == 3
    assert summary(None, start=ended - timedelta(seconds=1), end=ended).sent == 0


def test_per_question_results_of_an_occasion(db_session, answered, admin):
    from app.satisfaction.figures import comments, question_results
    from app.satisfaction.occasions import occasion_of

    occasion = occasion_of(answered["a"].event.id)
    results = {r.key: r for r in question_results(admin, occasion)}
    assert list(results) == ["overall", "content", "organisation", "usefulness"]
    assert results["overall"].mean == pytest.approx(4) and results["overall"].answers == 2
    assert results["overall"].distribution == {1: 0, 2: 0, 3: 1, 4: 0, 5: 1}
    assert results["usefulness"].mean == pytest.approx(3.5)
    assert [c.text for c in comments(admin, occasion)] == ["挺好", "挺好"]


def test_another_department_s_organiser_sees_no_occasion_of_theirs(db_session, answered, create_user):
    from app.errors import PermissionDenied
    from app.accounts.services import organised_departments as department_scope
    from app.satisfaction.figures import question_results
    from app.satisfaction.occasions import occasion_of

    organiser = create_user("organiser", department="employment")
    assert department_scope(organiser) == {answered["employment"]}
    with pytest.raises(PermissionDenied):
        question_results(organiser, occasion_of(answered["a"].event.id))
    with pytest.raises(PermissionDenied):
        department_scope(create_user())


def test_the_kept_totals_equal_the_surveys_and_a_recount_changes_nothing(db_session, answered):
    from app.satisfaction import tallies
    from app.satisfaction.figures import rows, summary

    assert tallies.differences() == []
    before = (summary(None), rows(None, by="occasion"), rows(None, by="department"))
    assert tallies.recount() == 3
    db_session.commit()
    assert (summary(None), rows(None, by="occasion"), rows(None, by="department")) == before
