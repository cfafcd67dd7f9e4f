"""Lessons and attendance: a cohort's lessons (agenda sessions of its event, app.occasions.Meeting)
and the trainer's attendance marks."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.accounts.models import User
from app.cohorts.camps.models import Cohort
from app.extensions import db
from app.occasions.models import Meeting
from app.timeutil import UTCDateTime, utcnow


class LessonKind(str, enum.Enum):
    LECTURE = "lecture"          # 集中授课
    MENTORING = "mentoring"      # 延伸服务: 导师辅导
    VISIT = "visit"              # 走访
    MATCHMAKING = "matchmaking"  # 投融资对接
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(LESSON_KIND_LABELS[self])


LESSON_KIND_LABELS = {
    LessonKind.LECTURE: _l("Lecture"),
    LessonKind.MENTORING: _l("Mentoring"),
    LessonKind.VISIT: _l("Company visit"),
    LessonKind.MATCHMAKING: _l("Investor matchmaking"),
    LessonKind.OTHER: _l("Other"),
}


class Lesson(Meeting, db.Model):
    """A lesson or follow-up service of a cohort: an agenda session of the cohort's event (time,
    place, check-in) with what only lessons have (kind, trainer)."""

    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default=LessonKind.LECTURE.value)
    trainer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    cohort: Mapped[Cohort] = relationship(backref=backref("lessons", order_by="Lesson.id"))
    trainer: Mapped[User | None] = relationship()


class AttendanceStatus(str, enum.Enum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return str(ATTENDANCE_LABELS[self])


ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.LATE: _l("Late"),
    AttendanceStatus.EXCUSED: _l("Excused"),
    AttendanceStatus.ABSENT: _l("Absent"),
}


class AttendanceMark(db.Model):
    """A trainer's word on one founder at one lesson, overriding what the scans say. Append-only:
    the latest mark counts, earlier ones stay as history."""

    __tablename__ = "attendance_marks"
    __table_args__ = (sa.Index("ix_attendance_marks_lesson_enrolment", "lesson_id", "enrolment_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(10))
    reason: Mapped[str] = mapped_column(sa.String(300), default="")
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    marked_by: Mapped[User | None] = relationship()
