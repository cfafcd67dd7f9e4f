"""Who is asked after an occasion: those who attended (an accepted check-in; for a traineeship, a
placement that started), once, after it ended — by the sweep or the console's "send now"."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.timeutil import utcnow
from tests.conftest import login


def _surveys(db_session, event_id=None):
    from app.satisfaction.models import SatisfactionSurvey

    query = sa.select(SatisfactionSurvey).order_by(SatisfactionSurvey.id)
    if event_id is not None:
        query = query.where(SatisfactionSurvey.event_id == event_id)
    return list(db_session.scalars(query))


def test_those_who_came_are_asked_and_those_absent_or_cancelled_are_not(db_session, ended_event, send_satisfaction):
    from app.notifications.models import InboxMessage

    ended = ended_event()
    counts = send_satisfaction()
    surveys = _surveys(db_session, ended.event.id)
    assert counts["sent"] == 2
    assert sorted(s.user_id for s in surveys) == sorted(u.id for u in ended.attendees)
    assert {s.kind for s in surveys} == {"event"} and {s.label for s in surveys} == {ended.event.title}
    assert all(s.closes_at - s.sent_at == timedelta(days=14) for s in surveys)
    inbox = db_session.scalars(sa.select(InboxMessage).where(InboxMessage.kind == "satisfaction_survey")).all()
    assert sorted(m.user_id for m in inbox) == sorted(u.id for u in ended.attendees)
    asked = {s.user_id for s in _surveys(db_session)}
    assert not asked & {p.id for p in ended.absent + ended.cancelled}


def test_sending_again_asks_nobody_twice(db_session, ended_event, send_satisfaction):
    from app.notifications.models import InboxMessage

    ended = ended_event()
    send_satisfaction()
    assert send_satisfaction()["sent"] == 0
    assert send_satisfaction(utcnow() + timedelta(days=3))["sent"] == 0
    assert len(_surveys(db_session, ended.event.id)) == 2
    assert db_session.scalar(sa.select(sa.func.count(InboxMessage.id))
                             .where(InboxMessage.kind == "satisfaction_survey")) == 2


def test_an_occasion_not_ended_or_ended_long_ago_is_not_swept(db_session, create_attended_event, send_satisfaction):
    event, came, _ = create_attended_event(["还在开会"])
    assert send_satisfaction()["sent"] == 0  # still going on
    event.ends_at = utcnow() - timedelta(days=40)
    db_session.commit()
    assert send_satisfaction()["sent"] == 0  # before the catch-up window
    assert _surveys(db_session) == []


def test_a_camp_cohort_is_asked_after_its_last_lesson_by_its_check_ins(db_session, create_cohort, create_user,
                                                                        send_satisfaction):
    from app.checkin import services as checkin
    from app.cohorts.camps import services as cohorts
    from app.cohorts.lessons import schedule
    from app.cohorts.lessons.attendance import lesson_checkpoint
    from app.tickets.services import ticket_token

    cohort = create_cohort()
    runner = cohort.runner
    people = [cohorts.enrol(runner, cohort, create_user(name=f"创业学员{i}")) for i in range(3)]
    start = utcnow() - timedelta(days=2)
    lessons = [schedule.save_lesson(runner, cohort, title=f"第{k}讲", starts_at=start + timedelta(hours=k * 4),
                                    ends_at=start + timedelta(hours=k * 4 + 3), trainer=cohort.trainers[0])
               for k in range(2)]
    db_session.commit()
    for person, lesson in ((people[0], lessons[0]), (people[1], lessons[1]), (people[1], lessons[0])):
        at = lesson.session.starts_at + timedelta(minutes=5)
        decision = checkin.scan(lesson_checkpoint(lesson), ticket_token(person.registration), scanned_at=at, now=at)
        assert decision.result == "ok", decision
    db_session.commit()

    assert send_satisfaction()["sent"] == 2
    surveys = _surveys(db_session, cohort.event_id)
    assert sorted(s.user_id for s in surveys) == sorted([people[0].user_id, people[1].user_id])
    assert {s.kind for s in surveys} == {"lessons"}
    assert {s.ended_at for s in surveys} == {lessons[1].session.ends_at}


def test_a_traineeship_asks_the_trainees_whose_placement_started(db_session, placed_batch, send_satisfaction):
    placed = placed_batch(trainees=(2, 1), starts_on=date.today() - timedelta(days=90),
                          ends_on=date.today() - timedelta(days=2))
    placed.placements[0].transition("completed", actor=placed.organiser)
    placed.placements[2].transition("withdrawn", actor=placed.organiser)
    placed.batch.status = "finished"
    db_session.commit()

    assert send_satisfaction()["sent"] == 2
    surveys = _surveys(db_session, placed.batch.event_id)
    assert sorted(s.user_id for s in surveys) == sorted(p.user_id for p in placed.placements[:2])
    assert {s.kind for s in surveys} == {"traineeship"}


def test_send_now_from_the_console_by_the_occasion_s_organisers(db_session, client, ended_event, create_user):
    from app.audit.models import AuditEntry

    ended = ended_event()
    outsider = create_user("organiser", department="employment")
    login(client, outsider)
    path = f"/console/satisfaction/{ended.event.id}/send"
    assert client.post(path).status_code == 403
    assert _surveys(db_session) == []
    client.post("/logout")

    login(client, create_user("organiser", department="talent_center"))
    response = client.post(path)
    assert response.status_code == 302
    assert len(_surveys(db_session, ended.event.id)) == 2
    assert client.post(path).status_code == 302  # again: nobody new
    assert len(_surveys(db_session, ended.event.id)) == 2
    sent = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "satisfaction.send_now")
                              .order_by(AuditEntry.id)).all()
    assert [e.detail["sent"] for e in sent] == [2, 0]


def test_send_now_before_the_end_is_refused_and_sends_nothing(db_session, client, create_attended_event, create_user):
    event, _came, _ = create_attended_event(["未结束"])
    login(client, create_user("organiser", department="talent_center"))
    response = client.post(f"/console/satisfaction/{event.id}/send", follow_redirects=True)
    assert response.status_code == 200
    assert _surveys(db_session) == []


@pytest.mark.parametrize("path", ["/console/satisfaction/999999", "/console/satisfaction/abc"])
def test_an_unknown_occasion_is_not_found(client, admin, path):
    login(client, admin)
    assert client.get(path).status_code == 404


def test_the_daily_job_sends_then_reschedules_itself(app, db_session, monkeypatch):
    from app import jobs
    from app.satisfaction import sending

    ran, enqueued = [], []
    monkeypatch.setattr(sending, "send_due", lambda now=None: ran.append(now) or {})
    monkeypatch.setattr(jobs, "enqueue", lambda queue, func, *args, at=None, job_id=None, **kw:
                        enqueued.append((func, at, job_id)))
    sending.scheduled()
    assert ran == [None]
    [(func, at, job_id)] = enqueued
    assert func is sending.scheduled and job_id == sending.JOB_ID and at.hour == 2  # 10:00 in Shanghai


def test_the_cli_sweeps(app, db_session, ended_event):
    ended_event()
    result = app.test_cli_runner().invoke(args=["satisfaction", "send"])
    assert result.exit_code == 0 and "sent 2" in result.output
