"""Demo camp: two cycles of 创业人才梯度培育计划 with three tier cohorts each (25 + 20 + 15 places),
a fortnightly schedule of lectures and follow-up services, attendance of the lessons held,
grades; the finished 2024–2025 cycle with published results and certificates, and some of its
graduates invited up a tier in 2026–2027. Built through the services: scans of lessons held go
through the check-in service and excused absences through the trainer's marks, both at the time
they happened; enrolments are spread over the weeks before the first lesson (`post_dating`).

Idempotent: nothing is done when the cycle exists.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.checkin import services as checkin
from app.checkin.models import ScanResult
from app.cohorts import progression
from app.cohorts.camps import services as cohorts
from app.cohorts.grading import grades, results
from app.cohorts.lessons import attendance as lesson_attendance
from app.cohorts.lessons import schedule
from app.cohorts.certificates import issue_from_results
from app.cohorts.camps.models import Cycle
from app.cohorts.lessons.models import AttendanceStatus, LessonKind
from app.demo import post_dating
from app.demo.applications import load_applications
from app.demo.attendance import expect, self_scan, ticket_scan
from app.extensions import db
from app.timeutil import LOCAL_TZ, utcnow

CYCLE, PAST_CYCLE = "2026–2027", "2024–2025"
PITCH_RUBRIC = [{"name": name, "levels": [{"label": "优秀", "points": 4}, {"label": "良好", "points": 3},
                                          {"label": "合格", "points": 2}, {"label": "不合格", "points": 0}]}
                for name in ("商业模式", "市场与团队", "路演表达")]
VENUE = "南科创实训基地（闵行区紫星路588号）"
# tier code, places, founders, trainer logins, first lecture (then every two or three weeks)
TIERS = (
    ("incubation", 25, 24, ("trainer@minhang.example",), date(2026, 9, 12)),
    ("growth", 20, 20, ("trainer2@minhang.example", "trainer@minhang.example"), date(2026, 9, 19)),
    ("acceleration", 15, 14, ("trainer3@minhang.example",), date(2026, 9, 20)),
)
LECTURES = {
    "incubation": ("创业政策与“马兰花计划”解读", "商业模式画布", "市场调研与用户访谈", "创业团队组建",
                   "财务基础与记账报税", "知识产权保护", "小微企业融资渠道", "路演技巧与商业计划书",
                   "结业路演"),
    "growth": ("股权设计与合伙人机制", "团队管理与绩效", "营销增长与渠道", "数字化运营",
               "合同风险与劳动用工", "财税筹划", "政府扶持政策申报", "结业路演"),
    "acceleration": ("资本市场与估值", "投融资谈判", "品牌战略", "规模化与组织升级",
                     "科创板与北交所上市路径", "结业路演"),
}
FOLLOW_UPS = (("导师一对一辅导", LessonKind.MENTORING), ("走访紫竹高新区孵化器", LessonKind.VISIT),
              ("“创业补给站”投融资对接会", LessonKind.MATCHMAKING))
COMPANIES = ("科技", "智能", "生物", "信息", "新材料", "文化传媒", "教育科技", "医疗器械", "数据", "环保")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def load_camp(seed: int, staff_ids: dict[str, int], pool: list[tuple[int, str]], demo_user_id: int | None,
              echo) -> None:
    """The 2024–2025 cycle, finished: graded, results published, certificates issued; then the
    running 2026–2027 cycle, where three 2024–2025 incubation graduates moved up to growth."""
    programme = next(p for p in cohorts.ensure_programmes() if p.code == "startup-camp")
    if db.session.scalar(sa.select(Cycle.id).where(Cycle.programme_id == programme.id, Cycle.name == CYCLE)):
        return
    rng = random.Random(f"{seed}:camp")
    runner = db.session.get(User, staff_ids["jiuye@minhang.example"])
    founders = [uid for uid, persona in pool if persona in ("company", "returnee", "technician")]
    rng.shuffle(founders)

    past = cohorts.create_cycle(runner, programme, name=PAST_CYCLE, starts_on=date(2024, 9, 1),
                                ends_on=date(2025, 8, 31), intake=60)
    past_cohorts = []
    for tier_code, places, size, trainer_logins, first in TIERS:
        first = first.replace(year=2024)
        cohort = _cohort(rng, runner, past, programme, tier_code, places, trainer_logins, staff_ids, first,
                         date(2025, 6, 30), [db.session.get(User, uid) for uid in founders[:size - 2]])
        founders = founders[size - 2:]
        _grade(rng, cohort, runner, finished=True)
        past_cohorts.append(cohort)
        db.session.commit()
        echo(f"demo: cohort {cohort.name} — graded, results and certificates published")

    cycle = cohorts.create_cycle(runner, programme, name=CYCLE, starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31),
                                 intake=60, applications_open_at=_at(date(2026, 6, 1), 9),
                                 applications_close_at=_at(date(2026, 7, 15), 17))
    if demo_user_id is not None:
        founders.insert(0, demo_user_id)  # 李玥 sees her camp on "My camps"
    for tier_code, places, size, trainer_logins, first in TIERS:
        moving_up = 3 if tier_code == "growth" else 0
        cohort = _cohort(rng, runner, cycle, programme, tier_code, places, trainer_logins, staff_ids, first,
                         date(2027, 6, 30), [db.session.get(User, uid) for uid in founders[:size - moving_up]])
        founders = founders[size - moving_up:]
        if moving_up:
            for enrolment, _outcome in progression.graduates(past_cohorts[0])[:moving_up]:
                progression.invite(runner, enrolment, cohort)
        _past_attendance(rng, cohort, utcnow())
        _grade(rng, cohort, runner, finished=False)
        db.session.commit()
        echo(f"demo: cohort {cohort.name} — {cohorts.enrolled_count(cohort)} founders, "
             f"{len(cohort.lessons)} lessons")
    made = load_applications(cycle, runner, [db.session.get(User, uid) for uid in founders[:40]], seed=seed)
    db.session.commit()
    echo(f"demo: applications to {cycle.name}: {made}")


def _cohort(rng, runner, cycle, programme, tier_code, places, trainer_logins, staff_ids, first, last, people):
    tier = next(t for t in programme.tiers if t.code == tier_code)
    trainers = [db.session.get(User, staff_ids[login]) for login in trainer_logins]
    cohort = cohorts.create_cohort(runner, cycle, tier, capacity=places, venue=VENUE, starts_on=first,
                                   ends_on=last, trainers=trainers, late_after_minutes=10)
    loading_from = utcnow()
    for user in people:
        cohorts.enrol(runner, cohort, user, company=user.employer or f"上海{rng.choice(COMPANIES)}有限公司")
    db.session.flush()
    if people:  # enrolled in the weeks before the first lesson, not today
        before = _at(first, 9)
        post_dating.spread_enrolments(cohort, loading_from, utcnow(), before - timedelta(days=30),
                                      before - timedelta(days=7))
    day = first
    for n, title in enumerate(LECTURES[tier_code]):
        schedule.save_lesson(runner, cohort, title=title, starts_at=_at(day, 9), ends_at=_at(day, 12),
                            place="培训教室A" if tier_code != "acceleration" else "路演厅",
                            kind=LessonKind.LECTURE.value, trainer=trainers[n % len(trainers)])
        if n % 3 == 1:
            follow, kind = FOLLOW_UPS[(n // 3) % len(FOLLOW_UPS)]
            follow_day = day + timedelta(days=4)
            schedule.save_lesson(runner, cohort, title=follow, starts_at=_at(follow_day, 14),
                                ends_at=_at(follow_day, 16, 30), place="紫竹创业补给站", kind=kind.value,
                                trainer=trainers[0])
        day += timedelta(days=21 if tier_code == "acceleration" else 14)
    if cycle.ends_on < utcnow().date():
        _past_attendance(rng, cohort, utcnow())
    return cohort


def _grade(rng, cohort, runner, *, finished: bool) -> None:
    """Attendance 20 %, assignments 30 %, final pitch 50 % (rubric). A finished cohort is fully
    graded, published, its results published and certificates issued; a running one has its
    assignments graded so far."""
    if not cohort.enrolments:  # a small demo data set may run out of founders
        return
    columns = grades.set_assessments(runner, cohort, [
        {"name": "出勤", "kind": "attendance", "weight": 20},
        {"name": "课后作业", "kind": "graded", "weight": 30},
        {"name": "结业路演", "kind": "graded", "weight": 50, "rubric": PITCH_RUBRIC}])
    trainer = cohort.trainers[0]
    for enrolment in cohorts.active_enrolments(cohort):
        talent = rng.gauss(0, 1)
        grades.record_grade(trainer, enrolment, columns[1], score=round(min(100, max(40, 80 + 9 * talent)), 0))
        if finished:
            pitch = columns[2]
            levels = {str(c.id): c.levels[min(3, max(0, int(round(1.2 - talent + rng.gauss(0, 0.6)))))].id
                      for c in pitch.criteria}
            grades.record_grade(trainer, enrolment, pitch, levels=levels)
    if finished:
        grades.publish(runner, cohort)
        results.compute_results(runner, cohort)
        results.publish_results(runner, cohort)
        issue_from_results(runner, cohort, issued_on=cohort.ends_on + timedelta(days=7))


def _past_attendance(rng: random.Random, cohort, now: datetime) -> None:
    """Scans and a few marks for lessons already held: most on time, some late, a few absent
    (some of them excused by the trainer). Each scan is decided by the check-in service and
    each mark made by the trainer's service, at the time it happened."""
    people = cohorts.active_enrolments(cohort)
    diligence = {e.id: rng.uniform(0.7, 1.0) for e in people}
    trainer = cohort.trainers[0]
    for lesson in schedule.lessons(cohort):
        if lesson.starts_at > now:
            continue
        point = checkin.session_checkpoint(lesson.session)
        for person in people:
            if rng.random() > diligence[person.id]:
                if rng.random() < 0.3:
                    lesson_attendance.mark(trainer, lesson, person, AttendanceStatus.EXCUSED.value,
                                           reason=rng.choice(("出差参加展会", "病假", "客户现场交付")),
                                           now=lesson.starts_at)
                continue
            minutes = rng.gauss(-8, 9) if rng.random() > 0.1 else rng.uniform(11, 40)
            at = lesson.starts_at + timedelta(minutes=max(-45.0, minutes))
            if rng.random() < 0.6:  # scanned the projected code with their own phone
                decision = self_scan(point, person.registration_id, at)
            else:  # the trainer's scanner at the door read their ticket
                decision = ticket_scan(point, person.registration_id, at, "教室门口 · 4c1d2e")
            expect(decision, ScanResult.OK)
