"""Lesson attendance: what the scans say, what the trainer marks, and the rate.

A founder's status at a lesson comes from, in order: the trainer's latest mark (present, late,
excused with a reason, absent); else their first accepted entry scan at the lesson's checkpoint
— present up to `late_after_minutes` after the start, late after that; else absent once the
lesson has started, and nothing before. Scans arrive three ways, all through the one check-in
service: a volunteer or trainer scanning the founder's QR credential, the trainer's scanner
link, or the founder scanning the code the trainer projects, the lesson checkpoint's venue code
(app.checkin.venue_codes), which changes every 30 seconds.

The attendance rate counts lectures (集中授课); follow-up services are recorded but optional.
Its denominator is the cohort's choice — lessons held so far, or all scheduled — and excused
lessons are taken out of it: (present + late) ÷ (lessons counted − excused).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.checkin import services as checkin
from app.checkin import venue_screen
from app.checkin.models import ScanResult
from app.cohorts.camps import services as cohorts
from app.cohorts.lessons import schedule
from app.cohorts.camps.models import AttendanceBasis, Cohort, Enrolment
from app.cohorts.lessons.models import AttendanceMark, AttendanceStatus, Lesson, LessonKind
from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.occasions import services as occasions
from app.timeutil import utcnow

ATTENDED = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)


@dataclass
class Seen:
    status: str | None          # None: the lesson has not started and nothing is known yet
    source: str = ""            # "mark", "scan" or "" (absent by default)
    at: datetime | None = None  # first entry scan
    reason: str = ""


def _latest_marks(lesson_ids: list[int],
                  enrolment_ids: list[int] | None = None) -> dict[tuple[int, int], AttendanceMark]:
    """(lesson id, enrolment id) -> the latest mark; of `enrolment_ids` only, when given."""
    query = sa.select(AttendanceMark).where(AttendanceMark.lesson_id.in_(lesson_ids or [-1]))
    if enrolment_ids is not None:
        query = query.where(AttendanceMark.enrolment_id.in_(enrolment_ids or [-1]))
    marks = {}
    for mark in db.session.scalars(query.order_by(AttendanceMark.id)):
        marks[(mark.lesson_id, mark.enrolment_id)] = mark
    return marks


def lesson_statuses(lesson: Lesson, enrolments: list[Enrolment], *, now: datetime | None = None,
                    marks: dict | None = None) -> dict[int, Seen]:
    now = now or utcnow()
    marks = _latest_marks([lesson.id]) if marks is None else marks
    arrivals = occasions.meeting_arrivals(lesson.session)
    return {enrolment.id: _seen(lesson, lesson.cohort, marks.get((lesson.id, enrolment.id)),
                                arrivals.get(enrolment.registration_id), now)
            for enrolment in enrolments}


def _seen(lesson: Lesson, cohort: Cohort, mark: AttendanceMark | None, arrived: datetime | None,
          now: datetime) -> Seen:
    """The rule: the trainer's latest mark, else the first entry scan (late after the cohort's grace
    period), else absent once started."""
    if mark is not None:
        return Seen(mark.status, "mark", arrived, mark.reason)
    if arrived is not None:
        late_after = lesson.starts_at + timedelta(minutes=cohort.late_after_minutes)
        status = AttendanceStatus.PRESENT if arrived <= late_after else AttendanceStatus.LATE
        return Seen(status.value, "scan", arrived)
    if lesson.starts_at <= now:
        return Seen(AttendanceStatus.ABSENT.value)
    return Seen(None)


@dataclass
class Rate:
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in AttendanceStatus})
    lessons: int = 0  # the denominator before excused lessons are taken out

    @property
    def denominator(self) -> int:
        return self.lessons - self.counts[AttendanceStatus.EXCUSED.value]

    @property
    def attended(self) -> int:
        return self.counts[AttendanceStatus.PRESENT.value] + self.counts[AttendanceStatus.LATE.value]

    @property
    def rate(self) -> float | None:
        return self.attended / self.denominator if self.denominator > 0 else None


def counted_lessons(cohort: Cohort, now: datetime | None = None, lessons: list[Lesson] | None = None) -> list[Lesson]:
    now = now or utcnow()
    lessons = schedule.lessons(cohort) if lessons is None else lessons
    lectures = [lesson for lesson in lessons if lesson.kind == LessonKind.LECTURE.value]
    if cohort.attendance_basis == AttendanceBasis.HELD.value:
        return [lesson for lesson in lectures if lesson.starts_at <= now]
    return lectures


def grid(cohort: Cohort, now: datetime | None = None) -> tuple[list[Lesson], list[Enrolment], dict]:
    """Every lesson × enrolled founder: {(lesson id, enrolment id): Seen}."""
    now = now or utcnow()
    all_lessons = schedule.lessons(cohort)
    people = cohorts.active_enrolments(cohort)
    marks = _latest_marks([lesson.id for lesson in all_lessons])
    cells = {}
    for lesson in all_lessons:
        for enrolment_id, seen in lesson_statuses(lesson, people, now=now, marks=marks).items():
            cells[(lesson.id, enrolment_id)] = seen
    return all_lessons, people, cells


def rates(cohort: Cohort, now: datetime | None = None, *, seen: tuple | None = None) -> dict[int, Rate]:
    """enrolment id -> its attendance Rate over the cohort's counted lessons. Lessons not yet
    held (basis "scheduled") count as not attended: the rate says how much of the whole course
    was attended so far. `seen`: the cohort's grid() when the caller has it already."""
    now = now or utcnow()
    lessons, people, cells = seen or grid(cohort, now)
    counted = counted_lessons(cohort, now, lessons)
    return {e.id: _rate(counted, {lesson.id: cells[(lesson.id, e.id)] for lesson in counted}) for e in people}


def _rate(counted: list[Lesson], seen: dict[int, Seen]) -> Rate:
    """The Rate over the `counted` lessons of one founder's statuses at them (lesson id -> Seen)."""
    rate = Rate(lessons=len(counted))
    for lesson in counted:
        if seen[lesson.id].status is not None:
            rate.counts[seen[lesson.id].status] += 1
    return rate


@dataclass
class FounderAttendance:
    """One founder's view of a cohort: its lessons in order, their status at each, their rate."""
    lessons: list[Lesson]
    seen: dict[int, Seen]  # lesson id -> Seen
    rate: Rate


def founders_attendance(enrolments: list[Enrolment], now: datetime | None = None) -> dict[int, FounderAttendance]:
    """enrolment id -> FounderAttendance, for a founder's enrolments in several cohorts (their "my
    camps" page) in a fixed number of statements: the cohorts' lessons, these enrolments' marks and
    the lessons' arrivals each in one, never a whole cohort's grid per enrolment (issue 19)."""
    if not enrolments:
        return {}
    now = now or utcnow()
    all_lessons = occasions.meetings(Lesson, Lesson.cohort_id.in_({e.cohort_id for e in enrolments}),
                                     options=[selectinload(Lesson.trainer)])
    by_cohort: dict[int, list[Lesson]] = {e.cohort_id: [] for e in enrolments}
    for lesson in all_lessons:
        by_cohort[lesson.cohort_id].append(lesson)
    marks = _latest_marks([lesson.id for lesson in all_lessons], enrolment_ids=[e.id for e in enrolments])
    arrivals = occasions.meetings_arrivals([lesson.session for lesson in all_lessons])
    found = {}
    for enrolment in enrolments:
        cohort, lessons = enrolment.cohort, by_cohort[enrolment.cohort_id]
        seen = {lesson.id: _seen(lesson, cohort, marks.get((lesson.id, enrolment.id)),
                                 arrivals[lesson.session_id].get(enrolment.registration_id), now)
                for lesson in lessons}
        found[enrolment.id] = FounderAttendance(lessons, seen, _rate(counted_lessons(cohort, now, lessons), seen))
    return found


# -- the trainer's marks ---------------------------------------------------------------
def mark(actor, lesson: Lesson, enrolment: Enrolment, status: str, *, reason: str = "",
         now: datetime | None = None) -> AttendanceMark:
    """Record the trainer's mark, at `now` (the present by default; the demo loader passes the
    time of a lesson already held)."""
    cohorts.require_teach(actor, lesson.cohort)
    if enrolment.cohort_id != lesson.cohort_id:
        raise NotFound(_l("This founder is not in the lesson's cohort."))
    if status not in {s.value for s in AttendanceStatus}:
        raise InvalidInput(fields={"status": _l("Choose present, late, excused or absent.")})
    reason = (reason or "").strip()
    if status == AttendanceStatus.EXCUSED.value and not reason:
        raise InvalidInput(fields={"reason": _l("An excused absence needs its reason.")})
    if len(reason) > 300:
        raise InvalidInput(fields={"reason": _l("At most 300 characters.")})
    row = AttendanceMark(lesson_id=lesson.id, enrolment_id=enrolment.id, status=status, reason=reason,
                         marked_by_id=actor.id, marked_at=now or utcnow())
    db.session.add(row)
    db.session.flush()
    return row


# -- the code the trainer projects ------------------------------------------------------
def lesson_checkpoint(lesson: Lesson):
    return occasions.meeting_checkpoint(lesson.session)


def projector_data(lesson: Lesson) -> dict:
    """The lesson's projected code: its checkpoint's venue code (app.checkin.venue_codes), with the
    cohort's own count, arrivals among the enrolled founders."""
    people = cohorts.active_enrolments(lesson.cohort)
    seen = lesson_statuses(lesson, people)
    arrived = sum(1 for s in seen.values() if s.status in ATTENDED)
    return venue_screen.screen_data(lesson_checkpoint(lesson), arrived=arrived, expected=len(people))


def lesson_scanner(actor, lesson: Lesson) -> str:
    """A scanner link for this lesson's checkpoint, for its trainer (or the programme's organiser)."""
    cohorts.require_teach(actor, lesson.cohort)
    return occasions.meeting_scanner(actor, lesson.session)


def is_ok(decision: checkin.Decision) -> bool:
    return decision.result in (ScanResult.OK, ScanResult.ALREADY_CHECKED_IN)
