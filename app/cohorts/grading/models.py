"""Grading and results of a cohort: assessments with their rubric, grades and their changes,
the grading lock, result runs and each enrolment's result. Re-exported by app/cohorts/models.py.

`Cohort` and `Enrolment` are named by string (SQLAlchemy resolves them in its registry), so this
module does not import app/cohorts/models.py, which imports it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.timeutil import UTCDateTime, utcnow


# -- grading --------------------------------------------------------------------


class AssessmentKind(LabelledEnum):
    ATTENDANCE = "attendance", _l("Attendance (computed)")  # score = attendance rate × max score, computed
    GRADED = "graded", _l("Graded by trainers")             # a trainer enters a score, or picks rubric levels


ASSESSMENT_KIND_LABELS = labels(AssessmentKind)


class Assessment(db.Model):
    """One column of a cohort's grading grid. Weights are whole percentages summing to 100."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    kind: Mapped[str] = mapped_column(sa.String(12), default=AssessmentKind.GRADED.value)
    weight: Mapped[int]
    max_score: Mapped[float] = mapped_column(sa.Float, default=100.0)
    position: Mapped[int] = mapped_column(default=0)

    cohort: Mapped[Cohort] = relationship()  # noqa: F821 - resolved by name
    criteria: Mapped[list[RubricCriterion]] = relationship(
        back_populates="assessment", order_by="RubricCriterion.position", cascade="all, delete-orphan")

    @property
    def is_attendance(self) -> bool:
        return self.kind == AssessmentKind.ATTENDANCE.value

    @property
    def has_rubric(self) -> bool:
        return bool(self.criteria)


class RubricCriterion(db.Model):
    __tablename__ = "rubric_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)

    assessment: Mapped[Assessment] = relationship(back_populates="criteria")
    levels: Mapped[list[RubricLevel]] = relationship(
        back_populates="criterion", order_by="RubricLevel.position", cascade="all, delete-orphan")

    @property
    def max_points(self) -> float:
        return max((level.points for level in self.levels), default=0.0)


class RubricLevel(db.Model):
    """A level of a criterion (优秀 / 良好 / 合格 / 不合格) and the points it is worth."""

    __tablename__ = "rubric_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("rubric_criteria.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(sa.String(40))
    points: Mapped[float] = mapped_column(sa.Float)
    position: Mapped[int] = mapped_column(default=0)

    criterion: Mapped[RubricCriterion] = relationship(back_populates="levels")


class Grade(db.Model):
    """The current grade of one founder in one assessment: a score, or for a rubric the level
    chosen per criterion ({criterion id: level id}) with the score it gives. Every change is
    a GradeChange row."""

    __tablename__ = "grades"
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "assessment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    score: Mapped[float | None] = mapped_column(sa.Float)
    levels: Mapped[dict | None] = mapped_column(sa.JSON)
    graded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship()  # noqa: F821 - resolved by name
    assessment: Mapped[Assessment] = relationship()
    graded_by: Mapped[User | None] = relationship()


class GradeChange(db.Model):
    """Append-only: who changed which grade when, from what to what (and under which unlock)."""

    __tablename__ = "grade_changes"
    __table_args__ = (sa.Index("ix_grade_changes_enrolment", "enrolment_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grade_id: Mapped[int] = mapped_column(sa.ForeignKey("grades.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"))
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"))
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    old_score: Mapped[float | None] = mapped_column(sa.Float)
    new_score: Mapped[float | None] = mapped_column(sa.Float)
    old_levels: Mapped[dict | None] = mapped_column(sa.JSON)
    new_levels: Mapped[dict | None] = mapped_column(sa.JSON)
    unlock_reason: Mapped[str] = mapped_column(sa.String(300), default="")

    assessment: Mapped[Assessment] = relationship()
    changed_by: Mapped[User | None] = relationship()


class CohortGrading(db.Model):
    """A cohort's grading state, one row per cohort (made on first use): whether its grades are
    published (and so locked). The row is also what grade writes and publication lock on."""

    __tablename__ = "cohort_gradings"

    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    locked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    unlock_reason: Mapped[str] = mapped_column(sa.String(300), default="")  # of the latest unlock

    published_by: Mapped[User | None] = relationship()


class GradeLockEvent(db.Model):
    """Append-only history of a cohort's grade lock: published, unlocked (by an admin, with a reason)."""

    __tablename__ = "grade_lock_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(sa.String(12))  # "publish" or "unlock"
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(sa.String(300), default="")

    actor: Mapped[User | None] = relationship()


class Outcome(LabelledEnum):
    COMPLETED = "completed", _l("Completed")              # 结业
    DISTINCTION = "distinction", _l("Distinction")        # 优秀学员 (completed, and excelled)
    NOT_COMPLETED = "not_completed", _l("Not completed")  # 未结业


OUTCOME_LABELS = labels(Outcome)


class ResultRun(db.Model):
    """One computation of a cohort's results: a preview until published. Runs are kept; founders
    see the latest published run."""

    __tablename__ = "result_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    rules: Mapped[dict] = mapped_column(sa.JSON)
    enrolled: Mapped[int]                    # the count the top share is taken of
    lock_event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("grade_lock_events.id", ondelete="SET NULL"))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    computed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    results: Mapped[list[CohortResult]] = relationship(back_populates="run", order_by="CohortResult.id",
                                                       cascade="all, delete-orphan")
    computed_by: Mapped[User | None] = relationship(foreign_keys=[computed_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])


class CohortResult(db.Model):
    __tablename__ = "cohort_results"
    __table_args__ = (sa.UniqueConstraint("run_id", "enrolment_id"),
                      sa.Index("ix_cohort_results_enrolment", "enrolment_id", "run_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("result_runs.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"))
    attendance_rate: Mapped[float | None] = mapped_column(sa.Float)
    score: Mapped[float | None] = mapped_column(sa.Float)
    rank: Mapped[int | None]
    outcome: Mapped[str] = mapped_column(sa.String(16))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    run: Mapped[ResultRun] = relationship(back_populates="results")
    enrolment: Mapped[Enrolment] = relationship()  # noqa: F821 - resolved by name

    @property
    def outcome_enum(self) -> Outcome:
        return Outcome(self.outcome)
