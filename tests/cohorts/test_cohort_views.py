"""Cohort pages: organisers run cycles, cohorts and lessons; trainers see only their own cohorts and
take attendance; founders see their schedule, credential and attendance, and check in with the
projected code."""
from datetime import timedelta

import sqlalchemy as sa

from app.checkin import venue_codes
from app.checkin.models import Scan
from app.cohorts.lessons import attendance
from app.cohorts.camps import services as cohorts
from app.cohorts.lessons import schedule
from app.cohorts.camps.models import Cohort, Cycle
from app.cohorts.lessons.models import AttendanceMark, Lesson
from app.timeutil import to_local, utcnow
from tests.conftest import login


def _local(dt):
    return to_local(dt).strftime("%Y-%m-%dT%H:%M")


def test_organiser_creates_cycle_cohort_lesson_and_enrols(client, db_session, create_user, departments):
    runner = create_user("organiser", department="employment")
    trainer = create_user("trainer", name="陈导师")
    create_user(name="赵赟", mobile="13911112222")
    cohorts.ensure_programmes()
    db_session.commit()
    login(client, runner)
    assert client.get("/console/cohorts").status_code == 200
    bad = client.post("/console/programmes/startup-camp/cycles/new", data={
        "name": "2026–2027", "starts_on": "2026-03-01", "ends_on": "2026-01-01", "intake": "60"})
    assert bad.status_code == 200 and db_session.scalar(sa.select(sa.func.count()).select_from(Cycle)) == 0
    made = client.post("/console/programmes/startup-camp/cycles/new", data={
        "name": "2026–2027", "starts_on": "2026-03-01", "ends_on": "2027-12-31", "intake": "60"})
    assert made.status_code == 302
    cycle = db_session.scalar(sa.select(Cycle))
    tier = cycle.programme.tiers[0]
    over = client.post(f"/console/cycles/{cycle.id}/cohorts/new", data={
        "tier_id": tier.id, "capacity": "61", "starts_on": "2026-04-01", "ends_on": "2026-09-30",
        "attendance_basis": "held", "late_after_minutes": "10"})
    assert over.status_code == 200 and "60" in over.get_data(as_text=True)
    created = client.post(f"/console/cycles/{cycle.id}/cohorts/new", data={
        "tier_id": tier.id, "capacity": "25", "venue": "南科创实训基地", "starts_on": "2026-04-01",
        "ends_on": "2026-09-30", "trainer_ids": [trainer.id], "attendance_basis": "scheduled",
        "late_after_minutes": "15"})
    assert created.status_code == 302
    cohort = db_session.scalar(sa.select(Cohort))
    assert cohort.trainers == [trainer] and cohort.attendance_basis == "scheduled"
    start = utcnow() + timedelta(days=3)
    lesson = client.post(f"/console/cohorts/{cohort.id}/lessons/new", data={
        "title": "商业模式画布", "kind": "lecture", "starts_at": _local(start),
        "ends_at": _local(start + timedelta(hours=3)), "place": "教室A", "trainer_id": trainer.id})
    assert lesson.status_code == 302 and db_session.scalar(sa.select(Lesson)).trainer_id == trainer.id
    enrol = client.post(f"/console/cohorts/{cohort.id}", data={"mobile": "13911112222", "company": "赟启科技"})
    assert enrol.status_code == 302
    unknown = client.post(f"/console/cohorts/{cohort.id}", data={"mobile": "13900000000"})
    assert unknown.status_code == 200 and cohorts.enrolled_count(cohort) == 1
    page = client.get(f"/console/cohorts/{cohort.id}").get_data(as_text=True)
    assert "赵赟" in page and "139****2222" in page and "13911112222" not in page
    for path in (f"/console/cohorts/{cohort.id}/attendance", f"/console/cohorts/{cohort.id}/report",
                 f"/console/cycles/{cycle.id}/report"):
        assert client.get(path).status_code == 200, path
    export = client.get(f"/console/cohorts/{cohort.id}/attendance.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"


def test_trainer_sees_only_own_cohorts_and_marks_attendance(client, db_session, create_cohort, create_user):
    mine, other = create_user("trainer", name="陈导师"), create_user("trainer", name="周导师")
    a = create_cohort("incubation", trainers=[mine])
    b = create_cohort("growth", trainers=[other], cycle=a.cycle)
    founder = cohorts.enrol(a.runner, a, create_user(name="王堃"))
    start = utcnow() - timedelta(minutes=20)
    lesson = schedule.save_lesson(a.runner, a, title="股权设计", starts_at=start, ends_at=start + timedelta(hours=2),
                                 trainer=mine)
    db_session.commit()
    login(client, mine)
    listing = client.get("/console/cohorts").get_data(as_text=True)
    assert a.name in listing and b.name not in listing
    assert client.get(f"/console/cohorts/{b.id}").status_code == 403
    assert client.get(f"/console/cohorts/{a.id}").status_code == 200
    assert client.get("/console/events").status_code == 403  # a trainer is not an organiser
    page = client.get(f"/console/lessons/{lesson.id}/attendance")
    assert page.status_code == 200 and "王堃" in page.get_data(as_text=True)
    refused = client.post(f"/console/lessons/{lesson.id}/attendance",
                          data={"enrolment_id": founder.id, "status": "excused", "reason": ""})
    assert refused.status_code == 200 and db_session.scalar(sa.select(sa.func.count()).select_from(AttendanceMark)) == 0
    saved = client.post(f"/console/lessons/{lesson.id}/attendance",
                        data={"enrolment_id": founder.id, "status": "excused", "reason": "出差"})
    assert saved.status_code == 302
    assert db_session.scalar(sa.select(AttendanceMark)).marked_by_id == mine.id
    assert client.get(f"/console/lessons/{lesson.id}/projector").status_code == 200
    data = client.get(f"/console/lessons/{lesson.id}/projector.json").json
    assert data["expected"] == 1 and "<svg" in data["svg"] and "/c/" in data["url"]
    scanner = client.post(f"/console/lessons/{lesson.id}/scanner")
    assert scanner.status_code == 302 and "/scan/#k=scan_" in scanner.headers["Location"]


def test_founder_page_and_self_check_in(client, db_session, create_cohort, create_user):
    cohort = create_cohort()
    person = create_user(name="李喆")
    enrolment = cohorts.enrol(cohort.runner, cohort, person)
    start = utcnow() - timedelta(minutes=5)
    lesson = schedule.save_lesson(cohort.runner, cohort, title="融资路演", starts_at=start,
                                 ends_at=start + timedelta(hours=2))
    db_session.commit()
    point = attendance.lesson_checkpoint(lesson)
    code = venue_codes.screen_code(point)
    assert client.get(f"/c/{code}").status_code == 302  # log in first
    login(client, person)
    page = client.get("/camps/my").get_data(as_text=True)
    assert cohort.name in page and "融资路演" in page and "/t/" in page
    ok = client.get(f"/c/{code}")
    assert ok.status_code == 200 and 'data-result="ok"' in ok.get_data(as_text=True)
    assert 'data-result="already_checked_in"' in client.get(f"/c/{code}").get_data(as_text=True)
    assert client.get("/c/not-a-code").status_code == 400
    stale = venue_codes.screen_code(point, at=utcnow().timestamp() - 120)
    assert client.get(f"/c/{stale}").status_code == 400
    rows = db_session.scalars(sa.select(Scan)).all()
    assert [(r.registration_id, r.result) for r in rows] == [(enrolment.registration_id, "ok"),
                                                            (enrolment.registration_id, "already_checked_in")]
    stranger = create_user(name="旁人")
    client.post("/logout")
    login(client, stranger)
    refused = client.get(f"/c/{code}")
    assert refused.status_code == 200 and 'data-result="not_registered"' in refused.get_data(as_text=True)


def test_lessons_reach_the_founders_calendar_feed(client, db_session, create_cohort, create_user):
    from app.accounts.services import calendar_token

    cohort = create_cohort()
    person = create_user(name="钱喆")
    cohorts.enrol(cohort.runner, cohort, person)
    start = utcnow() + timedelta(days=5)
    for n in range(2):
        schedule.save_lesson(cohort.runner, cohort, title=f"股权激励 第{n + 1}讲",
                            starts_at=start + timedelta(days=7 * n), ends_at=start + timedelta(days=7 * n, hours=3),
                            place="教室B")
    token = calendar_token(person)
    db_session.commit()
    feed = client.get(f"/calendar/feed/{token}.ics").get_data(as_text=True).replace("\r\n ", "")
    assert feed.count("BEGIN:VEVENT") == 2  # the lessons, not the cohort's months-long span
    assert "股权激励 第1讲" in feed and "股权激励 第2讲" in feed


def test_the_projector_warns_when_check_in_is_not_open(client, db_session, create_cohort, create_user):
    """Issue 12, defect 14: the lesson projector gave no warning when check-in was not open."""
    cohort = create_cohort()
    cohorts.enrol(cohort.runner, cohort, create_user(name="王堃"))
    later = utcnow() + timedelta(days=2)
    future = schedule.save_lesson(cohort.runner, cohort, title="融资路演", starts_at=later,
                                 ends_at=later + timedelta(hours=2))
    now_on = schedule.save_lesson(cohort.runner, cohort, title="股权设计", starts_at=utcnow() - timedelta(minutes=5),
                                 ends_at=utcnow() + timedelta(hours=2))
    db_session.commit()
    login(client, cohort.runner)
    page = client.get(f"/console/lessons/{future.id}/projector").get_data(as_text=True)
    assert 'data-testid="projector-notice" role="alert">' in page and "签到尚未开始" in page
    assert "签到尚未开始" in client.get(f"/console/lessons/{future.id}/projector.json").json["notice"]
    open_page = client.get(f"/console/lessons/{now_on.id}/projector").get_data(as_text=True)
    assert 'data-testid="projector-notice" role="alert" hidden>' in open_page
    assert client.get(f"/console/lessons/{now_on.id}/projector.json").json["notice"] is None


def test_enrolling_finds_the_founder_however_the_mobile_is_typed(client, db_session, create_cohort, create_user):
    """Issue 13: the enrol form read the number as typed, so "+86 138 1234 5678" or full-width digits
    from a Chinese input method found nobody; it now reads it as the login does."""
    cohort = create_cohort("incubation")
    spaced = create_user(name="林森", mobile="13812345678")
    wide = create_user(name="许诺", mobile="13987654321")
    login(client, cohort.runner)
    for typed in ("+86 138 1234 5678", "１３９－８７６５－４３２１"):
        answer = client.post(f"/console/cohorts/{cohort.id}", data={"mobile": typed, "company": "森诺科技"})
        assert answer.status_code == 302, typed
    db_session.expire_all()
    assert {e.user_id for e in cohorts.active_enrolments(cohort)} == {spaced.id, wide.id}
