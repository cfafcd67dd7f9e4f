"""Lessons and attendance: a cohort's lessons (agenda sessions of its event, app.occasions.Meeting)
and the trainer's attendance marks."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.accounts.models import User
from app.cohorts.camps.models import Cohort
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.occasions.models import Meeting
from app.timeutil import UTCDateTime, utcnow


class LessonKind(LabelledEnum):
    LECTURE = "lecture", _l("Lecture")                       # 集中授课
    MENTORING = "mentoring", _l("Mentoring")                 # 延伸服务: 导师辅导
    VISIT = "visit", _l("Company visit")                     # 走访
    MATCHMAKING = "matchmaking", _l("Investor matchmaking")  # 投融资对接
    OTHER = "other", _l("Other")


LESSON_KIND_LABELS = labels(LessonKind)


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


class AttendanceStatus(LabelledEnum):
    PRESENT = "present", _l("Present")
    LATE = "late", _l("Late")
    EXCUSED = "excused", _l("Excused")
    ABSENT = "absent", _l("Absent")


ATTENDANCE_LABELS = labels(AttendanceStatus)


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
