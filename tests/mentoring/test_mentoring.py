"""Mentoring: pairing rules (one active mentor per founder per cohort, only enrolled founders and
serving mentors, ending with a note), scope (a mentor logs only for their founders, organisers act
on their department's cohorts only), counts per founder and per mentor, and the founder's one
rating of their own sessions."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.mentoring import queries
from app.mentoring import services as mentoring
from app.mentoring.models import MentoringSession, Pairing
from app.rosters import services as rosters
from app.timeutil import local_today
from tests.conftest import login


def test_pairing_rules(db_session, mentored_cohort, appoint, create_user):
    c = mentored_cohort
    a, b = c.founders
    first = mentoring.pair(c.runner, c, c.mentor, a)
    mentoring.pair(c.runner, c, c.mentor, b)  # one mentor, several founders
    db_session.commit()
    second_mentor = appoint("mentor")
    with pytest.raises(Conflict) as twice:
        mentoring.pair(c.runner, c, second_mentor, a)
    assert twice.value.code == "already_paired"
    with pytest.raises(InvalidInput) as bad:
        mentoring.pair(c.runner, c, appoint("ambassador"), create_user())
    assert set(bad.value.fields) == {"mentor_id", "founder_id"}
    with pytest.raises(PermissionDenied):  # an organiser of another department
        mentoring.pair(create_user("organiser", department="talent_center"), c, second_mentor, a)
    with pytest.raises(PermissionDenied):  # a trainer logs, but does not pair
        mentoring.pair(c.trainers[0], c, second_mentor, a)
    with pytest.raises(InvalidInput):
        mentoring.end_pairing(c.runner, first, note="  ")
    mentoring.end_pairing(c.runner, first, note="创始人转入成长营")
    db_session.commit()
    again = mentoring.pair(c.runner, c, second_mentor, a)
    db_session.commit()
    assert again.active and not first.active and first.end_note == "创始人转入成长营"
    with pytest.raises(Conflict):
        mentoring.log_session(c.mentor.user, first, held_on=local_today(), topic="融资路演辅导")
    suspended = appoint("mentor")
    rosters.set_status(suspended.organiser, suspended, "suspended")
    with pytest.raises(InvalidInput):
        mentoring.pair(c.runner, c, suspended, b)


def test_sessions_scope_counts_and_ratings(db_session, mentored_cohort, appoint, create_user):
    c = mentored_cohort
    a, b = c.founders
    other_mentor = appoint("mentor")
    pa = mentoring.pair(c.runner, c, c.mentor, a, started_on=date(2026, 3, 1))
    pb = mentoring.pair(c.runner, c, other_mentor, b, started_on=date(2026, 3, 1))
    db_session.commit()
    s1 = mentoring.log_session(c.mentor.user, pa, held_on=date(2026, 4, 2), topic="股权结构设计",
                               minutes="讨论期权池", follow_up="两周内提交方案")
    s2 = mentoring.log_session(c.trainers[0], pa, held_on=date(2026, 5, 6), topic="海外市场进入")
    mentoring.log_session(c.runner, pb, held_on=date(2026, 4, 3), topic="财务规划")
    db_session.commit()
    with pytest.raises(PermissionDenied):  # a mentor cannot log for a founder not theirs
        mentoring.log_session(c.mentor.user, pb, held_on=date(2026, 4, 9), topic="越权")
    with pytest.raises(PermissionDenied):
        mentoring.log_session(a, pa, held_on=date(2026, 4, 9), topic="自己记")
    with pytest.raises(InvalidInput) as bad:
        mentoring.log_session(c.mentor.user, pa, held_on=local_today() + timedelta(days=1), topic="")
    assert set(bad.value.fields) == {"held_on", "topic"}
    with pytest.raises(NotFound):  # only the founder's own sessions
        mentoring.rate_session(b, s1, rating=5)
    with pytest.raises(NotFound):
        mentoring.rate_session(c.mentor.user, s1, rating=5)
    for wrong in ("0", "6", "x", None):
        with pytest.raises(InvalidInput):
            mentoring.rate_session(a, s1, rating=wrong)
    mentoring.rate_session(a, s1, rating="5", comment="很有帮助")
    db_session.commit()
    with pytest.raises(Conflict) as once:
        mentoring.rate_session(a, s1, rating=1)
    assert once.value.code == "already_rated"
    mentoring.rate_session(a, s2, rating=4)
    db_session.commit()
    per_pairing, per_founder, per_mentor = queries.tallies(queries.cohort_pairings(c))
    assert per_founder[a.id].sessions == 2 and per_founder[a.id].average == 4.5
    assert per_founder[b.id].sessions == 1 and per_founder[b.id].average is None
    assert per_mentor[c.mentor.id].sessions == 2 and per_mentor[other_mentor.id].sessions == 1
    assert [s.topic for s in queries.sessions_of_mentor(c.mentor.user)] == ["海外市场进入", "股权结构设计"]
    with pytest.raises(NotFound):  # the other mentor does not even see the pairing
        mentoring.visible_pairing(other_mentor.user, pa.id)


def test_pages_for_organisers_mentors_and_founders(client, db_session, mentored_cohort, create_user):
    c = mentored_cohort
    a, b = c.founders
    login(client, c.runner)
    page = client.get(f"/console/cohorts/{c.id}/mentoring")
    assert page.status_code == 200 and "Dr. 王堃" in page.text
    assert client.post(f"/console/cohorts/{c.id}/mentoring", data={
        "mentor_id": str(c.mentor.id), "founder_id": str(a.id)}).status_code == 302
    assert client.post(f"/console/cohorts/{c.id}/mentoring", data={
        "mentor_id": "99999999999999999999", "founder_id": "abc"}).status_code == 200
    pairing = db_session.scalar(sa.select(Pairing))
    login(client, create_user("organiser", department="talent_center"))
    assert client.get(f"/console/cohorts/{c.id}/mentoring").status_code == 403
    assert client.post(f"/console/mentoring/pairings/{pairing.id}/end", data={"note": "x"}).status_code == 404
    login(client, c.mentor.user)
    assert client.get(f"/console/cohorts/{c.id}/mentoring").status_code == 403
    assert client.post(f"/mentoring/pairings/{pairing.id}/sessions/new", data={
        "held_on": local_today().isoformat(), "topic": "商业模式打磨", "minutes": "梳理收入结构", "follow_up": "下月复盘"}
    ).status_code == 302
    mine = client.get("/me/mentoring")
    assert mine.status_code == 200 and 'href="/me/mentoring"' in mine.text and "张玥" in mine.text and "商业模式打磨" in mine.text
    session = db_session.scalar(sa.select(MentoringSession))
    login(client, b)
    assert client.get(f"/mentoring/pairings/{pairing.id}/sessions/new").status_code == 404
    assert client.post(f"/me/mentoring/sessions/{session.id}/rate", data={"rating": "5"}).status_code == 404
    login(client, a)
    assert "商业模式打磨" in client.get("/me/mentoring").text
    assert client.post(f"/me/mentoring/sessions/{session.id}/rate", data={"rating": "9"}).status_code == 302
    assert client.post(f"/me/mentoring/sessions/{session.id}/rate",
                       data={"rating": "4", "comment": "收获很大"}).status_code == 302
    db_session.expire_all()
    assert session.rating == 4 and session.rating_comment == "收获很大"
    assert "★★★★" in client.get("/me/mentoring").text


def test_two_organisers_pairing_one_founder_at_once_make_one_pairing(app, db_session, mentored_cohort, appoint):
    from tests.racing import race

    c = mentored_cohort
    mentors = [c.mentor.id, appoint("mentor").id, appoint("mentor").id]
    runner_id, cohort_id, founder_id = c.runner.id, c.id, c.founders[0].id

    def attempt(mentor_id):
        from app.accounts.models import User
        from app.cohorts.camps.models import Cohort
        from app.extensions import db
        from app.rosters.models import RosterMember

        return mentoring.pair(db.session.get(User, runner_id), db.session.get(Cohort, cohort_id),
                              db.session.get(RosterMember, mentor_id), db.session.get(User, founder_id)).mentor_id

    results, errors = race(app, attempt, mentors, 3)
    assert len(results) == 1 and len(errors) == 2 and all("Conflict" in e for e in errors), errors
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Pairing)) == 1


def test_a_founder_rating_from_two_tabs_at_once_counts_once(app, db_session, mentored_cohort):
    from tests.racing import race

    c = mentored_cohort
    pairing = mentoring.pair(c.runner, c, c.mentor, c.founders[0])
    session = mentoring.log_session(c.mentor.user, pairing, held_on=local_today(), topic="路演辅导")
    db_session.commit()
    founder_id, session_id = c.founders[0].id, session.id

    def attempt(rating):
        from app.accounts.models import User
        from app.extensions import db

        return mentoring.rate_session(db.session.get(User, founder_id), db.session.get(MentoringSession, session_id),
                                      rating=rating).rating

    results, errors = race(app, attempt, [5, 4, 3], 3)
    assert len(results) == 1 and len(errors) == 2, errors
    db_session.expire_all()
    assert db_session.get(MentoringSession, session_id).rating == results[0]
