"""Lesson attendance through the shared check-in service: statuses with the grace period,
trainer marks (excused needs a reason), the rate's explicit denominator, the projected code
that expires, and scanner links for trainers."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.checkin import services as checkin
from app.checkin.models import Scan
from app.checkin import venue_codes
from app.checkin.self_check_in import self_check_in
from app.cohorts.lessons import attendance
from app.cohorts.camps import services as cohorts
from app.cohorts.lessons import schedule
from app.errors import InvalidInput, PermissionDenied
from app.tickets import services as tickets
from app.timeutil import utcnow
from tests.conftest import login


@pytest.fixture
def course(db_session, create_cohort, create_user):
    """A cohort with three founders and lessons: two lectures held (one yesterday, one started
    30 minutes ago), one mentoring session held, one lecture next week."""
    cohort = create_cohort(late_after_minutes=10)
    runner, trainer = cohort.runner, cohort.trainers[0]
    people = [cohorts.enrol(runner, cohort, create_user(name=n)) for n in ("张玥", "李喆", "王堃")]
    now = utcnow()
    made = {}
    for key, start, kind in (("old", now - timedelta(days=1), "lecture"),
                             ("now", now - timedelta(minutes=30), "lecture"),
                             ("mentor", now - timedelta(hours=20), "mentoring"),
                             ("next", now + timedelta(days=7), "lecture")):
        made[key] = schedule.save_lesson(runner, cohort, title=f"课程 {key}", starts_at=start,
                                        ends_at=start + timedelta(hours=3), kind=kind, trainer=trainer)
    db_session.commit()
    return {"cohort": cohort, "people": people, "trainer": trainer, **made}


def _scan(lesson, enrolment, at):
    point = checkin.session_checkpoint(lesson.session)
    return checkin.scan(point, tickets.ticket_token(enrolment.registration), scanned_at=at, device="door")


def test_statuses_from_scans_grace_and_marks(db_session, course):
    a, b, c = course["people"]
    lesson = course["now"]
    assert _scan(lesson, a, lesson.starts_at + timedelta(minutes=9)).result.value == "ok"
    assert _scan(lesson, b, lesson.starts_at + timedelta(minutes=11)).result.value == "ok"
    seen = attendance.lesson_statuses(lesson, course["people"])
    assert (seen[a.id].status, seen[b.id].status, seen[c.id].status) == ("present", "late", "absent")
    assert seen[a.id].source == "scan"
    with pytest.raises(InvalidInput):
        attendance.mark(course["trainer"], lesson, c, "excused")  # no reason
    attendance.mark(course["trainer"], lesson, c, "excused", reason="赴外地参加路演")
    attendance.mark(course["trainer"], lesson, b, "present", reason="地铁故障，已核实")
    seen = attendance.lesson_statuses(lesson, course["people"])
    assert (seen[b.id].status, seen[c.id].status) == ("present", "excused") and seen[c.id].reason
    future = attendance.lesson_statuses(course["next"], course["people"])
    assert {s.status for s in future.values()} == {None}


def test_rate_denominator_is_explicit(db_session, course):
    a, b, c = course["people"]
    _scan(course["old"], a, course["old"].starts_at)
    _scan(course["now"], a, course["now"].starts_at)
    _scan(course["old"], b, course["old"].starts_at + timedelta(minutes=40))  # late still counts as attended
    attendance.mark(course["trainer"], course["now"], c, "excused", reason="病假")
    _scan(course["mentor"], c, course["mentor"].starts_at)  # follow-up services are not in the rate
    held = attendance.rates(course["cohort"])
    assert held[a.id].lessons == 2 and held[a.id].rate == 1.0
    assert held[b.id].counts["late"] == 1 and held[b.id].rate == 0.5
    assert held[c.id].denominator == 1 and held[c.id].rate == 0.0
    course["cohort"].attendance_basis = "scheduled"
    scheduled = attendance.rates(course["cohort"])
    assert scheduled[a.id].lessons == 3 and scheduled[a.id].rate == pytest.approx(2 / 3)


def test_projected_code_checks_in_the_founder_and_expires(db_session, course, create_user):
    """The lesson's projected code is its checkpoint's venue code (app.checkin.venue_codes)."""
    lesson = course["now"]
    point = attendance.lesson_checkpoint(lesson)
    assert point.self_check_in  # made on for a new lesson: founders check themselves in
    founder = course["people"][0].user
    t0 = 1_800_000_000.0
    code = venue_codes.screen_code(point, at=t0)
    assert venue_codes.screen_code(point, at=t0 + 5) == code  # one code per 30 s slot
    assert venue_codes.screen_code(point, at=t0 + 31) != code
    assert venue_codes.read(code, at=t0 + 45).checkpoint.id == point.id  # shown up to a minute ago
    with pytest.raises(venue_codes.CodeExpired):
        venue_codes.read(code, at=t0 + 95)
    forged = code[:-2] + ("AA" if not code.endswith("AA") else "BB")
    with pytest.raises(InvalidInput) as error:
        venue_codes.read(forged, at=t0)
    assert error.value.code == "invalid_code"
    data = attendance.projector_data(lesson)
    assert data["expected"] == 3 and data["arrived"] == 0 and "/c/" in data["url"]
    decision = self_check_in(founder, data["code"])
    assert decision.result.value == "ok" and decision.scan.detail["method"] == "self"
    assert attendance.projector_data(lesson)["arrived"] == 1
    assert self_check_in(founder, data["code"]).result.value == "already_checked_in"
    assert self_check_in(create_user(name="路人"), data["code"]).result.value == "not_registered"


def test_only_the_cohorts_trainers_mark_and_get_a_lesson_scanner(client, db_session, course, create_user):
    other = create_user("trainer", name="别班导师")
    with pytest.raises(PermissionDenied):
        attendance.mark(other, course["now"], course["people"][0], "present")
    with pytest.raises(PermissionDenied):
        attendance.lesson_scanner(other, course["now"])
    secret = attendance.lesson_scanner(course["trainer"], course["now"])
    db_session.commit()
    setup = client.get("/api/v1/scanner", headers={"Authorization": f"Bearer {secret}"}).json
    assert [c["session"] for c in setup["checkpoints"]] == [course["now"].session_id]
    token = tickets.ticket_token(course["people"][1].registration)
    result = client.post("/api/v1/checkins", headers={"Authorization": f"Bearer {secret}"},
                         json={"token": token, "checkpoint": setup["checkpoints"][0]["id"]}).json
    assert result["result"] == "ok" and result["attendee"]["name"] == "李喆"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 1


def test_founders_of_another_cohort_are_refused_by_id(client, db_session, course, create_cohort, create_user):
    """Issue 11, finding 1: ids from the client. A trainer marking, or scanning manually at their
    lesson, a founder of another cohort gets 404 / not_registered, and nothing is recorded."""
    from app.cohorts.lessons.models import AttendanceMark
    from app.errors import NotFound

    elsewhere = create_cohort(tier="growth")
    foreign = cohorts.enrol(elsewhere.runner, elsewhere, create_user(name="别班学员"))
    db_session.commit()
    with pytest.raises(NotFound):
        attendance.mark(course["trainer"], course["now"], foreign, "present")
    login(client, course["trainer"])
    posted = client.post(f"/console/lessons/{course['now'].id}/attendance",
                         data={"enrolment_id": foreign.id, "status": "present"})
    assert posted.status_code == 404
    secret = attendance.lesson_scanner(course["trainer"], course["now"])
    db_session.commit()
    point = checkin.session_checkpoint(course["now"].session)
    manual = client.post("/api/v1/checkins", headers={"Authorization": f"Bearer {secret}"},
                         json={"registration": foreign.registration_id, "checkpoint": point.id})
    assert manual.json["result"] == "not_registered" and "attendee" not in manual.json
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AttendanceMark)
                             .where(AttendanceMark.enrolment_id == foreign.id)) == 0
    assert foreign.registration_id not in set(db_session.scalars(sa.select(Scan.registration_id)))
