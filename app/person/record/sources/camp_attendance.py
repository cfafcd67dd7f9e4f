"""A founder's lessons attended of those held, for many enrolments in three queries: the trainer's
latest mark decides a lesson (present or late counts, excused leaves it out), else an accepted
scan at the lesson's session — the rule of the camp's own grid (app.cohorts.lessons.attendance),
without its one-cohort-at-a-time queries."""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from app.checkin.models import Checkpoint, Scan, ScanResult
from app.cohorts.camps.models import Enrolment
from app.cohorts.lessons.models import AttendanceMark, AttendanceStatus, Lesson
from app.events.models import EventSession
from app.extensions import db
from app.person.record.attendance import Count
from app.timeutil import utcnow

COUNTS_AS_THERE = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)


def lesson_counts(enrolments: list[Enrolment]) -> dict[int, Count]:
    if not enrolments:
        return {}
    held = defaultdict(list)  # cohort id -> [(lesson id, session id)]
    for lesson_id, cohort_id, session_id in db.session.execute(
            sa.select(Lesson.id, Lesson.cohort_id, Lesson.session_id).join(EventSession, EventSession.id == Lesson.session_id)
            .where(Lesson.cohort_id.in_({e.cohort_id for e in enrolments}), EventSession.starts_at <= utcnow())):
        held[cohort_id].append((lesson_id, session_id))
    marks = {}
    for lesson_id, enrolment_id, status in db.session.execute(
            sa.select(AttendanceMark.lesson_id, AttendanceMark.enrolment_id, AttendanceMark.status)
            .where(AttendanceMark.enrolment_id.in_([e.id for e in enrolments])).order_by(AttendanceMark.id)):
        marks[(lesson_id, enrolment_id)] = status
    scanned = {tuple(row) for row in db.session.execute(
        sa.select(Scan.registration_id, Checkpoint.session_id).join(Checkpoint, Checkpoint.id == Scan.checkpoint_id)
        .where(Scan.registration_id.in_([e.registration_id for e in enrolments]),
               Scan.result == ScanResult.OK.value, Scan.direction == "in"))}
    result = {}
    for e in enrolments:
        done = total = 0
        for lesson_id, session_id in held[e.cohort_id]:
            mark = marks.get((lesson_id, e.id))
            if mark == AttendanceStatus.EXCUSED.value:
                continue
            total += 1
            done += mark in COUNTS_AS_THERE if mark else (e.registration_id, session_id) in scanned
        result[e.id] = Count(done, total, done > 0)
    return result
