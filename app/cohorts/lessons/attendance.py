"""Lesson attendance: what the scans say, what the trainer marks, and the rate.

A founder's status at a lesson comes from, in order: the trainer's latest mark (present, late,
excused with a reason, absent); else their first accepted entry scan at the lesson's checkpoint
— present up to `late_after_minutes` after the start, late after that; else absent once the
lesson has started, and nothing before. Scans arrive three ways, all through the one check-in
service: a volunteer or trainer scanning the founder's QR credential, the trainer's scanner
link, or the founder scanning the code the trainer projects, which changes every 30 seconds.

The attendance rate counts lectures (集中授课); follow-up services are recorded but optional.
Its denominator is the cohort's choice — lessons held so far, or all scheduled — and excused
lessons are taken out of it: (present + late) ÷ (lessons counted − excused).
"""
from __future__ import annotations

import hashlib
import hmac
import struct
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app import base64url
from app.checkin import services as checkin
from app.checkin.models import ScanResult
from app.cohorts.camps import services as cohorts
from app.cohorts.lessons import schedule
from app.cohorts.camps.models import AttendanceBasis, Cohort, Enrolment
from app.cohorts.lessons.models import AttendanceMark, AttendanceStatus, Lesson, LessonKind
from app.errors import InvalidInput, NotFound, PermissionDenied, ServiceError
from app.extensions import db
from app.occasions import services as occasions
from app.timeutil import fmt, utcnow

ATTENDED = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)


@dataclass
class Seen:
    status: str | None          # None: the lesson has not started and nothing is known yet
    source: str = ""            # "mark", "scan" or "" (absent by default)
    at: datetime | None = None  # first entry scan
    reason: str = ""


def _latest_marks(lesson_ids: list[int]) -> dict[tuple[int, int], AttendanceMark]:
    marks = {}
    for mark in db.session.scalars(sa.select(AttendanceMark).where(AttendanceMark.lesson_id.in_(lesson_ids or [-1]))
                                   .order_by(AttendanceMark.id)):
        marks[(mark.lesson_id, mark.enrolment_id)] = mark
    return marks


def lesson_statuses(lesson: Lesson, enrolments: list[Enrolment], *, now: datetime | None = None,
                    marks: dict | None = None) -> dict[int, Seen]:
    now = now or utcnow()
    marks = _latest_marks([lesson.id]) if marks is None else marks
    arrivals = occasions.meeting_arrivals(lesson.session)
    late_after = lesson.starts_at + timedelta(minutes=lesson.cohort.late_after_minutes)
    seen = {}
    for enrolment in enrolments:
        mark = marks.get((lesson.id, enrolment.id))
        arrived = arrivals.get(enrolment.registration_id)
        if mark is not None:
            seen[enrolment.id] = Seen(mark.status, "mark", arrived, mark.reason)
        elif arrived is not None:
            status = AttendanceStatus.PRESENT if arrived <= late_after else AttendanceStatus.LATE
            seen[enrolment.id] = Seen(status.value, "scan", arrived)
        elif lesson.starts_at <= now:
            seen[enrolment.id] = Seen(AttendanceStatus.ABSENT.value)
        else:
            seen[enrolment.id] = Seen(None)
    return seen


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
    counted = {lesson.id for lesson in counted_lessons(cohort, now, lessons)}
    result = {e.id: Rate(lessons=len(counted)) for e in people}
    for (lesson_id, enrolment_id), seen in cells.items():
        if lesson_id in counted and seen.status is not None:
            result[enrolment_id].counts[seen.status] += 1
    return result


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
ROTATE_SECONDS = 30
_CODE = struct.Struct(">II")


def _slot(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // ROTATE_SECONDS)


def _mac(payload: bytes) -> bytes:
    key = hashlib.sha256(b"lesson-code:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()[:12]


def projector_code(lesson: Lesson, at: float | None = None) -> str:
    payload = _CODE.pack(lesson.id, _slot(at))
    return base64url.encode(payload + _mac(payload))


class CodeExpired(InvalidInput):
    code = "code_expired"


def lesson_for_code(code: str, at: float | None = None) -> Lesson:
    """The lesson a projected code is for, if it is genuine and shown within the last minute
    (this slot or the one before): a photo sent to an absent friend soon stops working."""
    try:
        raw = base64url.decode(code)
    except ValueError:
        raw = b""
    if len(raw) != _CODE.size + 12 or not hmac.compare_digest(raw[_CODE.size:], _mac(raw[:_CODE.size])):
        raise InvalidInput(_l("This is not a check-in code of a lesson."), code="invalid_code")
    lesson_id, slot = _CODE.unpack(raw[:_CODE.size])
    if not 0 <= _slot(at) - slot <= 1:
        raise CodeExpired(_l("This code has expired: scan the code on the screen again."))
    return schedule.get_lesson(lesson_id)


def self_check_in(user, code: str, at: float | None = None) -> checkin.Decision:
    """A founder scanned the projected code with their own logged-in phone."""
    lesson = lesson_for_code(code, at)
    enrolment = cohorts.enrolment_of(user, lesson.cohort)
    if enrolment is None or not enrolment.active:
        raise PermissionDenied(_l("You are not enrolled in this cohort."))
    return checkin.scan(occasions.meeting_checkpoint(lesson.session), None, registration_id=enrolment.registration_id,
                        device="self", scanner=user, method="self")


@dataclass
class CodeCheckIn:
    """What the founder's phone shows after scanning the projected code: the scan's decision, or
    the refusal as the page's message (400: not a code or a stale one; 403: not enrolled)."""
    lesson: Lesson | None = None
    decision: checkin.Decision | None = None
    error: str | None = None
    status: int = 200


def check_in_by_code(user, code: str, at: float | None = None) -> CodeCheckIn:
    try:
        lesson = lesson_for_code(code, at)
        return CodeCheckIn(lesson, self_check_in(user, code, at))
    except (InvalidInput, NotFound) as exc:
        return CodeCheckIn(error=str(exc.message), status=400)
    except ServiceError as exc:
        return CodeCheckIn(error=str(exc.message), status=403)


def projector_notice(lesson: Lesson, now: datetime | None = None) -> str | None:
    """A warning for the projected code when the lesson's check-in window is shut: founders
    scanning it now would be refused (outside_window), and the trainer should know before they do."""
    opens, closes = checkin.window(occasions.meeting_checkpoint(lesson.session))
    now = now or utcnow()
    if now < opens:
        return str(_l("Check-in is not open yet: it opens at %(time)s. Scans before then are refused.",
                      time=fmt(opens, "%m-%d %H:%M")))
    if now > closes:
        return str(_l("Check-in closed at %(time)s: scans are refused now.", time=fmt(closes, "%m-%d %H:%M")))
    return None


def lesson_scanner(actor, lesson: Lesson) -> str:
    """A scanner link for this lesson's checkpoint, for its trainer (or the programme's organiser)."""
    cohorts.require_teach(actor, lesson.cohort)
    return occasions.meeting_scanner(actor, lesson.session)


def is_ok(decision: checkin.Decision) -> bool:
    return decision.result in (ScanResult.OK, ScanResult.ALREADY_CHECKED_IN)
