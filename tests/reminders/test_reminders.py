"""Reminders the day before and two hours before an occasion: made, dropped and rescheduled as
places and times change, run by RQ's scheduler with the real Redis, and never sent twice."""
from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta, timezone
from datetime import time as time_of_day
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.notifications.models import InboxMessage, OutboxMessage
from app.notifications.sms.models import SmsMessage
from app.reminders import services as reminders
from app.reminders.models import Reminder
from app.timeutil import utcnow
from app.transaction import commit
from tests.fixtures.platform import rq_scheduled, rq_work

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    """`days` from today at hour:minute Shanghai time, as UTC."""
    day = datetime.now(SHANGHAI).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI).astimezone(timezone.utc)


def _rows(user=None, **where):
    query = sa.select(Reminder).order_by(Reminder.id)
    if user is not None:
        query = query.where(Reminder.user_id == user.id)
    for key, value in where.items():
        query = query.where(getattr(Reminder, key) == value)
    return list(db.session.scalars(query))


def _state(rows):
    return sorted((r.slot, r.status, r.starts_at, r.due_at) for r in rows)


@pytest.fixture
def place(db_session, create_user, create_event):
    """A person with a confirmed place at an event in three days at 15:00."""
    from app.registrations import services as reg

    def _make(starts_at=None, person=None, **kw):
        event = create_event(starts_at=starts_at or _at(3, 15), **kw)
        person = person or create_user(name="王晓")
        registration = reg.register(person, event)
        commit()
        assert registration.status == "confirmed"
        return event, person, registration

    return _make


# -- what is made -------------------------------------------------------------------------------
def test_a_confirmed_place_gets_a_day_before_and_a_two_hour_reminder(db_session, place):
    event, person, registration = place()
    rows = _rows(person)
    assert _state(rows) == [("1d", "scheduled", event.starts_at, event.starts_at - timedelta(hours=24)),
                            ("2h", "scheduled", event.starts_at, event.starts_at - timedelta(hours=2))]
    assert {r.occasion for r in rows} == {f"event:{event.id}"}
    assert all(r.registration_id == registration.id for r in rows)


def test_waitlisted_and_pending_places_get_no_reminder(db_session, create_user, create_event):
    from app.registrations import services as reg

    full = create_event(capacity=1)
    reg.register(create_user(), full)
    waiting = reg.register(create_user(), full)
    pending = reg.register(create_user(), create_event(requires_approval=True))
    commit()
    assert (waiting.status, pending.status) == ("waitlisted", "pending")
    assert _rows(waiting.user) == [] and _rows(pending.user) == []


def test_no_reminder_that_is_already_late(db_session, place, monkeypatch):
    monkeypatch.setattr(reminders, "utcnow", lambda: _at(3, 10))  # registering at 10:00 for 15:00
    event, person, _ = place(starts_at=_at(3, 15))
    assert [(r.slot, r.due_at) for r in _rows(person)] == [("2h", _at(3, 13))]  # the day-before one is late


def test_day_before_reminder_never_falls_in_the_quiet_hours():
    early = _at(5, 7)  # 07:00: the day-before reminder would be at 07:00, inside the quiet hours
    assert reminders.due_time("1d", early) == _at(4, 20)  # the evening before instead
    late = _at(5, 23, 30)
    assert reminders.due_time("1d", late) == _at(4, 20)
    assert reminders.due_time("1d", _at(5, 15)) == _at(4, 15)
    # A two-hour reminder at 07:00 for a 09:00 start is made (and sent as urgent); one at 05:00 is not.
    assert reminders.due_time("2h", _at(5, 9)) == _at(5, 7)
    assert reminders.due_time("2h", _at(5, 7)) is None


def test_camp_lessons_are_reminded_each_not_the_cohorts_span(db_session, create_cohort, create_user):
    from app.cohorts.camps import services as cohorts
    from app.cohorts.lessons import schedule

    cohort = create_cohort(starts_on=date.today() + timedelta(days=1), ends_on=date.today() + timedelta(days=120))
    founder = create_user(name="创业者甲")
    cohorts.enrol(cohort.runner, cohort, founder)
    first = schedule.save_lesson(cohort.runner, cohort, title="商业模式", starts_at=_at(4, 14), ends_at=_at(4, 17))
    second = schedule.save_lesson(cohort.runner, cohort, title="股权设计", starts_at=_at(11, 14), ends_at=_at(11, 17))
    commit()
    rows = _rows(founder)
    assert sorted((r.occasion, r.slot) for r in rows) == sorted(
        (f"session:{lesson.session_id}", slot) for lesson in (first, second) for slot in ("1d", "2h"))
    assert not any(r.occasion.startswith("event:") for r in rows)  # no reminder of the months-long span

    # A lesson moved: its old reminders dropped, new ones for the new time; the other lesson's untouched.
    schedule.save_lesson(cohort.runner, cohort, title="商业模式", starts_at=_at(5, 9), ends_at=_at(5, 12),
                        lesson=first)
    commit()
    moved = _rows(founder, session_id=first.session_id)
    assert _state(moved) == sorted([
        ("1d", "dropped", _at(4, 14), _at(3, 14)), ("2h", "dropped", _at(4, 14), _at(4, 12)),
        ("1d", "scheduled", _at(5, 9), _at(4, 9)), ("2h", "scheduled", _at(5, 9), _at(5, 7))])
    assert [r.status for r in _rows(founder, session_id=second.session_id)] == ["scheduled", "scheduled"]

    # Withdrawn from the cohort: every scheduled reminder dropped.
    enrolment = cohorts.enrolment_of(founder, cohort)
    cohorts.withdraw(cohort.runner, enrolment, reason="公司迁出闵行")
    commit()
    assert {r.status for r in _rows(founder)} == {"dropped"}


def test_a_removed_lesson_drops_its_reminders(db_session, create_cohort, create_user):
    from app.cohorts.camps import services as cohorts
    from app.cohorts.lessons import schedule

    cohort = create_cohort(starts_on=date.today() + timedelta(days=1), ends_on=date.today() + timedelta(days=60))
    founder = create_user()
    cohorts.enrol(cohort.runner, cohort, founder)
    lesson = schedule.save_lesson(cohort.runner, cohort, title="融资路演", starts_at=_at(6, 14), ends_at=_at(6, 16))
    commit()
    session_key = f"session:{lesson.session_id}"
    db.session.delete(lesson.session)
    db.session.delete(lesson)
    commit()
    rows = _rows(founder, occasion=session_key)
    assert len(rows) == 2 and {r.status for r in rows} == {"dropped"}


def test_studio_activities_are_reminded_until_the_apprenticeship_ends(db_session, studio, create_user):
    from app.studios import services as studios

    organiser = studio.organiser
    apprentice = create_user(name="学徒乙")
    pair = studios.add_apprentice(organiser, studio, apprentice, started_on=date(2026, 3, 18))
    activity = studios.save_activity(organiser, studio, title="五轴编程带教", starts_at=_at(2, 14),
                                     ends_at=_at(2, 17), place="实训车间")
    commit()
    rows = _rows(apprentice)
    assert sorted((r.occasion, r.slot, r.status) for r in rows) == [
        (f"session:{activity.session_id}", "1d", "scheduled"), (f"session:{activity.session_id}", "2h", "scheduled")]
    studios.end_apprenticeship(organiser, pair, ended_on=date.today())
    commit()
    assert {r.status for r in _rows(apprentice)} == {"dropped"}


def test_an_accepted_competition_entry_is_reminded_of_the_competition_day(db_session, place):
    """A competition category is an event and an accepted entry a confirmed registration of it:
    the day is reminded like any event's (the entry services are covered in test_competitions)."""
    event, person, _ = place(kind="competition", title="闵行区数控车工技能竞赛 决赛", starts_at=_at(6, 8, 30))
    assert _state(_rows(person)) == [("1d", "scheduled", _at(6, 8, 30), _at(5, 8, 30)),
                                     ("2h", "scheduled", _at(6, 8, 30), _at(6, 6, 30))]


# -- dropped and rescheduled --------------------------------------------------------------------
def test_cancelling_the_place_drops_the_reminders(db_session, place):
    from app.registrations import services as reg

    event, person, registration = place()
    reg.cancel(person, registration)
    commit()
    assert {r.status for r in _rows(person)} == {"dropped"}
    # Back again (registration reopened): the same reminders are scheduled again, not doubled.
    reg.register(person, event)
    commit()
    assert sorted((r.slot, r.status) for r in _rows(person)) == [("1d", "scheduled"), ("2h", "scheduled")]


def test_a_cancelled_event_drops_every_reminder(db_session, place, create_user):
    from app.lifecycle import services as lifecycle

    event, person, _ = place()
    organiser = create_user("organiser")
    lifecycle.cancel_event(organiser, event, reason="台风")
    commit()
    assert {r.status for r in _rows(person)} == {"dropped"}


def test_a_rejected_application_gets_no_reminder_and_an_approval_does(db_session, create_user, create_event):
    from app.registrations import services as reg

    organiser = create_user("organiser")
    event = create_event(requires_approval=True, starts_at=_at(3, 15))
    yes, no = create_user(), create_user()
    a, b = reg.register(yes, event), reg.register(no, event)
    commit()
    reg.approve(organiser, [a])
    reg.reject(organiser, [b], "名额已满")
    commit()
    assert len(_rows(yes)) == 2 and _rows(no) == []


def test_a_time_change_drops_old_reminders_and_makes_new_ones(db_session, place, create_user):
    from app.events import services as events

    event, person, _ = place()
    old_start = event.starts_at
    organiser = create_user("organiser")
    events.update_event(organiser, event, starts_at=_at(4, 10), ends_at=_at(4, 12))
    commit()
    assert _state(_rows(person)) == sorted([
        ("1d", "dropped", old_start, old_start - timedelta(hours=24)),
        ("2h", "dropped", old_start, old_start - timedelta(hours=2)),
        ("1d", "scheduled", _at(4, 10), _at(3, 10)), ("2h", "scheduled", _at(4, 10), _at(4, 8))])


# -- sending: once, and only while it still holds ------------------------------------------------
def _make_due(reminder: Reminder) -> None:
    db.session.execute(sa.update(Reminder).where(Reminder.id == reminder.id).values(due_at=utcnow() - timedelta(minutes=1)))
    commit()


def _notices(person):
    inbox = list(db.session.scalars(sa.select(InboxMessage).where(InboxMessage.user_id == person.id,
                                                                  InboxMessage.kind == "reminder")))
    sms = list(db.session.scalars(sa.select(SmsMessage).where(SmsMessage.user_id == person.id,
                                                              SmsMessage.kind == "reminder")))
    return inbox, sms


def test_sending_twice_sends_once(db_session, place):
    event, person, _ = place(title="海聚英才 创新创业大赛 路演日")
    reminder = _rows(person, slot="2h")[0]
    _make_due(reminder)
    assert reminders.send(reminder.id) is True
    assert reminders.send(reminder.id) is False  # the job again
    assert reminders.send_due() == {"sent": 0, "skipped": 0}  # and the sweep
    db.session.expire_all()
    inbox, sms = _notices(person)
    assert len(inbox) == 1 and len(sms) == 1
    assert "海聚英才 创新创业大赛 路演日" in inbox[0].body and "报告厅" in inbox[0].body
    assert sms[0].params["title"].startswith("海聚英才") and sms[0].params["date"] == \
        event.starts_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
    assert sms[0].urgent is True
    assert db.session.get(Reminder, reminder.id).status == "sent"


def test_two_workers_at_once_send_once(app, db_session, place):
    _, person, _ = place()
    reminder = _rows(person, slot="1d")[0]
    reminder_id = reminder.id
    _make_due(reminder)
    db.session.rollback()
    results, barrier = [], threading.Barrier(4)

    def worker():
        from app import jobs

        barrier.wait()
        results.append(jobs.in_app(app, reminders.send, reminder_id))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results, key=str) == [False, False, False, True]
    inbox, sms = _notices(person)
    assert len(inbox) == 1 and len(sms) == 1


def test_a_reminder_whose_place_or_time_went_away_is_not_sent(db_session, place, create_user):
    from app.registrations import services as reg

    _, person, registration = place()
    reminder = _rows(person, slot="1d")[0]
    _make_due(reminder)
    # The place is cancelled behind the listener's back (e.g. by SQL): the send checks again.
    db.session.execute(sa.update(registration.__class__).where(registration.__class__.id == registration.id)
                       .values(status="cancelled"))
    db.session.commit()
    assert reminders.send(reminder.id) is False
    assert db.session.get(Reminder, reminder.id).status == "dropped"
    assert _notices(person) == ([], [])
    assert reg  # the service module is the normal way; this test covers what bypasses it


def test_the_sweep_sends_what_is_due_and_the_cli_runs_it(app, db_session, place):
    _, person, _ = place()
    reminder = _rows(person, slot="1d")[0]
    _make_due(reminder)
    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0 and "sent 1" in result.output, result.output
    inbox, sms = _notices(person)
    assert len(inbox) == 1 and len(sms) == 1
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.user_id == person.id,
                                                            OutboxMessage.kind == "reminder"))
    assert mail is not None and mail.template == "reminder"
    from app.notifications.services import message_body

    body = message_body(mail)
    assert "温馨提醒" in body and "报告厅" in body and "/t/" in body  # the ticket link


# -- RQ's scheduler with the real Redis -----------------------------------------------------------
def test_reminders_are_scheduled_in_rq_and_rescheduled_on_a_time_change(db_session, place, notifications_queue,
                                                                       create_user):
    from app.events import services as events

    event, person, _ = place()
    rows = _rows(person)
    expected = {reminders.job_id(r.id, r.due_at): int(r.due_at.timestamp()) for r in rows}
    assert rq_scheduled(notifications_queue) == expected
    organiser = create_user("organiser")
    events.update_event(organiser, event, starts_at=_at(4, 10), ends_at=_at(4, 12))
    commit()
    fresh = [r for r in _rows(person) if r.status == "scheduled"]
    assert len(fresh) == 2 and not set(r.id for r in fresh) & set(r.id for r in rows)
    for r in fresh:
        assert rq_scheduled(notifications_queue)[reminders.job_id(r.id, r.due_at)] == int(r.due_at.timestamp())


def test_the_scheduler_runs_a_due_reminder_once(db_session, place, notifications_queue, monkeypatch):
    """A reminder due in two seconds: RQ's scheduler moves it to the queue at its time and the
    worker sends exactly one notice (one inbox message, one SMS row), once however often it runs."""
    # Whatever the time of day the suite runs at: no night-time rule keeps this one from being made.
    monkeypatch.setattr(reminders, "QUIET_START", time_of_day.max)
    monkeypatch.setattr(reminders, "EARLIEST_TWO_HOUR", time_of_day.min)
    start = utcnow() + timedelta(hours=2, seconds=2)
    _, person, _ = place(starts_at=start)
    (reminder,) = _rows(person)
    assert reminder.slot == "2h" and rq_scheduled(notifications_queue) == {
        reminders.job_id(reminder.id, reminder.due_at): int(reminder.due_at.timestamp())}
    rq_work(notifications_queue)
    assert _notices(person) == ([], [])  # not yet due: the scheduler keeps it
    time.sleep(max(0.0, (reminder.due_at - utcnow()).total_seconds()) + 1.2)
    rq_work(notifications_queue)
    inbox, sms = _notices(person)
    assert len(inbox) == 1 and len(sms) == 1
    assert db.session.get(Reminder, reminder.id).status == "sent"
    assert rq_scheduled(notifications_queue) == {} and notifications_queue.finished_job_registry.count == 1

    # The same job enqueued again (a retry, a second worker) and the sweep: still one notice.
    notifications_queue.enqueue(reminders.run_reminder_job, reminder.id)
    rq_work(notifications_queue)
    assert reminders.send_due()["sent"] == 0
    assert [len(x) for x in _notices(person)] == [1, 1]


def test_a_new_registration_looks_for_no_reminder_rows_of_its_own(db_session, create_user, create_event):
    """A registration this transaction inserted has no reminders yet: its commit (under the event
    lock) makes them without asking for any; a comeback's are still read
    (test_cancelling_the_place_drops_the_reminders)."""
    from app.registrations import services as reg

    event = create_event(starts_at=_at(3, 15))
    person = create_user(name="李雷")
    statements = []

    def collect(_conn, _cursor, statement, *_):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", collect)
    try:
        reg.register(person, event)
        commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", collect)
    assert not [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM reminders" in s]
    assert sorted((r.slot, r.status) for r in _rows(person)) == [("1d", "scheduled"), ("2h", "scheduled")]
