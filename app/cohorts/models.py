"""Training cohorts: programmes (创业人才梯度培育计划, 职业见习, 人才研修班), their tiers, cycles and
cohorts, the people enrolled, and the cohort's lessons.

A cohort runs on an invitation-only event: its lessons are that event's agenda sessions, an
enrolment is a confirmed registration, and the founder's QR credential is that registration's
ticket. So lessons are checked in by the same scan service, scanner and roster as any event.
What differs between programmes and tiers (capacity, completion rules, who may apply) is data
on Tier and Cohort, not code.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Department, User
from app.cohorts.grading_models import (  # noqa: F401 - re-exported: grading models live there
    AssessmentKind,
    ASSESSMENT_KIND_LABELS,
    Assessment,
    RubricCriterion,
    RubricLevel,
    Grade,
    GradeChange,
    CohortGrading,
    GradeLockEvent,
    Outcome,
    OUTCOME_LABELS,
    ResultRun,
    CohortResult,
)
from app.events.models import Event
from app.extensions import db
from app.occasions.models import Meeting, Seat
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table


class ProgrammeKind(str, enum.Enum):
    CAMP = "camp"                # 创业营: tiered entrepreneurship camps
    TRAINEESHIP = "traineeship"  # 职业见习 / 大学生社会实践 batches
    SEMINAR = "seminar"          # 人才研修班

    @property
    def label(self) -> str:
        return str(PROGRAMME_KIND_LABELS[self])


PROGRAMME_KIND_LABELS = {
    ProgrammeKind.CAMP: _l("Entrepreneurship camp"),
    ProgrammeKind.TRAINEESHIP: _l("Traineeship"),
    ProgrammeKind.SEMINAR: _l("Seminar"),
}

# Completion rules of a cohort, fixed when its first result is published. Shares are 0..1.
DEFAULT_RULES = {
    "min_attendance": 0.8,         # 结业: attendance rate at least this …
    "min_score": 60.0,             # … and weighted score at least this
    "distinction_score": 85.0,     # 优秀学员: score at least this …
    "distinction_top_share": 0.2,  # … and within the top share of the cohort
}


class AttendanceBasis(str, enum.Enum):
    HELD = "held"            # lessons held so far
    SCHEDULED = "scheduled"  # every scheduled lesson

    @property
    def label(self) -> str:
        return str(BASIS_LABELS[self])


BASIS_LABELS = {
    AttendanceBasis.HELD: _l("Lessons held so far"),
    AttendanceBasis.SCHEDULED: _l("All scheduled lessons"),
}


class Programme(db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(20))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    department: Mapped[Department] = relationship()
    tiers: Mapped[list[Tier]] = relationship(back_populates="programme", order_by="Tier.rank")


class Tier(db.Model):
    """A level of a programme (创业孵化营 → 创业成长营 → 创业加速营), in order of `rank`; a
    graduate of one rank may be invited to the next. Its rules are the defaults of its cohorts."""

    __tablename__ = "tiers"
    __table_args__ = (sa.UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(80))
    rank: Mapped[int] = mapped_column(default=1)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    default_capacity: Mapped[int] = mapped_column(default=20)
    rules: Mapped[dict] = mapped_column(sa.JSON, default=lambda: dict(DEFAULT_RULES))

    programme: Mapped[Programme] = relationship(back_populates="tiers")


class Cycle(db.Model):
    """One round of a programme (for example 2026–2027) with its total intake."""

    __tablename__ = "cycles"
    __table_args__ = (sa.UniqueConstraint("programme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    intake: Mapped[int] = mapped_column(default=60)
    applications_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    applications_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship()
    cohorts: Mapped[list[Cohort]] = relationship(back_populates="cycle", order_by="Cohort.id")

    def applications_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return (self.applications_open_at is not None and self.applications_open_at <= now
                and (self.applications_close_at is None or now < self.applications_close_at))

    def applications_phase(self, now: datetime | None = None) -> str:
        """Where the application window stands: not_announced, upcoming, open or closed."""
        now = now or utcnow()
        if self.applications_open_at is None:
            return "not_announced"
        if now < self.applications_open_at:
            return "upcoming"
        return "open" if self.applications_open(now) else "closed"


cohort_trainers = sa.Table(
    "cohort_trainers",
    db.metadata,
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    tier_id: Mapped[int] = mapped_column(sa.ForeignKey("tiers.id"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    capacity: Mapped[int]
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    attendance_basis: Mapped[str] = mapped_column(sa.String(12), default=AttendanceBasis.HELD.value)
    late_after_minutes: Mapped[int] = mapped_column(default=10)  # grace period before "late"
    rules: Mapped[dict] = mapped_column(sa.JSON, default=lambda: dict(DEFAULT_RULES))
    rules_fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycle: Mapped[Cycle] = relationship(back_populates="cohorts")
    tier: Mapped[Tier] = relationship()
    event: Mapped[Event] = relationship()
    trainers: Mapped[list[User]] = relationship(secondary=cohort_trainers, order_by=User.id)
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="cohort", order_by="Enrolment.id")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="cohort", order_by="Lesson.id")


class EnrolmentStatus(str, enum.Enum):
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"


# A founder withdrawn from a cycle may come back (into the same or another cohort of it).
ENROLMENT_TRANSITIONS = transition_table({
    None: {EnrolmentStatus.ENROLLED},
    EnrolmentStatus.ENROLLED: {EnrolmentStatus.WITHDRAWN},
    EnrolmentStatus.WITHDRAWN: {EnrolmentStatus.ENROLLED},
})


class Enrolment(Stateful, Seat, db.Model):
    """A person in a cohort. At most one cohort per cycle: the unique key is on the cycle."""

    __tablename__ = "enrolments"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycles.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default=EnrolmentStatus.ENROLLED.value)
    company: Mapped[str] = mapped_column(sa.String(200), default="")
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdraw_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    # The application this enrolment came from (admitted through selection), if any.
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("applications.id", ondelete="SET NULL"))

    cohort: Mapped[Cohort] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship()

    TRANSITIONS = ENROLMENT_TRANSITIONS

    @property
    def active(self) -> bool:
        return self.status == EnrolmentStatus.ENROLLED.value


# -- applications and selection -------------------------------------------------


class ApplicationStatus(str, enum.Enum):
    SUBMITTED = "submitted"
    ADMITTED = "admitted"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(APPLICATION_STATUS_LABELS[self])


# An application is submitted, then decided; undecided, waitlisted or rejected ones can still be
# decided otherwise or withdrawn; admission is final here (leaving a camp is the enrolment's
# withdrawal); a withdrawn application is submitted again by applying again.
APPLICATION_TRANSITIONS = transition_table({
    None: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.ADMITTED, ApplicationStatus.WAITLISTED,
                                  ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.WAITLISTED: {ApplicationStatus.ADMITTED, ApplicationStatus.REJECTED,
                                   ApplicationStatus.WITHDRAWN},
    ApplicationStatus.REJECTED: {ApplicationStatus.ADMITTED, ApplicationStatus.WAITLISTED,
                                 ApplicationStatus.WITHDRAWN},
    ApplicationStatus.ADMITTED: set(),
    ApplicationStatus.WITHDRAWN: {ApplicationStatus.SUBMITTED},
})

APPLICATION_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.ADMITTED: _l("Admitted"),
    ApplicationStatus.WAITLISTED: _l("Waiting list"),
    ApplicationStatus.REJECTED: _l("Not admitted"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
}

# Choice lists of the application form: stored codes, translated labels.
INDUSTRIES = {
    "ai": _l("Artificial intelligence"),
    "ic": _l("Integrated circuits"),
    "biomed": _l("Biomedicine"),
    "it": _l("Next-generation information technology"),
    "equipment": _l("High-end equipment"),
    "materials": _l("New materials"),
    "energy": _l("New energy"),
    "digital": _l("Digital economy and internet"),
    "culture": _l("Culture and creative industries"),
    "services": _l("Modern services"),
    "consumer": _l("Consumer goods and retail"),
    "other": _l("Other industry"),
}

FUNDING_STAGES = {
    "none": _l("Not yet funded"),
    "angel": _l("Angel round"),
    "pre_a": _l("Pre-A round"),
    "a": _l("Series A"),
    "b_plus": _l("Series B or later"),
}


class Application(Stateful, db.Model):
    """A founder's application to a tier of a cycle, with a snapshot of the details given then.
    One per person per cycle; status moves only through `applications.decide` / `withdraw`, and
    each move is a row of ApplicationHistory."""

    __tablename__ = "applications"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "user_id"),
                      sa.Index("ix_applications_cycle_tier_status", "cycle_id", "tier_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycles.id", ondelete="CASCADE"))
    tier_id: Mapped[int] = mapped_column(sa.ForeignKey("tiers.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    mobile: Mapped[str] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    id_number: Mapped[str | None] = mapped_column(sa.String(18))
    company_name: Mapped[str] = mapped_column(sa.String(200))
    uscc: Mapped[str] = mapped_column(sa.String(18))  # 统一社会信用代码
    founded_on: Mapped[date]
    industry: Mapped[str] = mapped_column(sa.String(20))
    team_size: Mapped[int]
    funding_stage: Mapped[str] = mapped_column(sa.String(12))
    business_plan: Mapped[str] = mapped_column(sa.Text)
    pitch_deck: Mapped[str | None] = mapped_column(sa.String(64))  # file name in the private upload folder
    status: Mapped[str] = mapped_column(sa.String(12), default=ApplicationStatus.SUBMITTED.value)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(sa.String(500), default="")

    cycle: Mapped[Cycle] = relationship()
    tier: Mapped[Tier] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    history: Mapped[list[ApplicationHistory]] = relationship(
        back_populates="application", order_by="ApplicationHistory.id")

    TRANSITIONS = APPLICATION_TRANSITIONS

    def record_transition(self, old, new, *, actor, note, at) -> None:
        self.history.append(ApplicationHistory(actor_id=getattr(actor, "id", None), old_status=old,
                                               new_status=new, note=note[:500], created_at=at))

    @property
    def status_enum(self) -> ApplicationStatus:
        return ApplicationStatus(self.status)

    @property
    def industry_label(self) -> str:
        return str(INDUSTRIES.get(self.industry, self.industry))

    @property
    def funding_stage_label(self) -> str:
        return str(FUNDING_STAGES.get(self.funding_stage, self.funding_stage))


class ApplicationHistory(db.Model):
    """Append-only: every status change of an application (who, when, old → new, note)."""

    __tablename__ = "application_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    old_status: Mapped[str | None] = mapped_column(sa.String(12))
    new_status: Mapped[str] = mapped_column(sa.String(12))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


class ReviewCriterion(db.Model):
    """One line of a cycle's rubric: applications are scored 0..max_score on it, and it counts
    with `weight` in the weighted total."""

    __tablename__ = "review_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    weight: Mapped[int] = mapped_column(default=1)
    max_score: Mapped[int] = mapped_column(default=10)
    position: Mapped[int] = mapped_column(default=0)


class ReviewScore(db.Model):
    """A reviewer's score of an application on one criterion (kept up to date; changes audited)."""

    __tablename__ = "review_scores"
    __table_args__ = (sa.UniqueConstraint("application_id", "reviewer_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("review_criteria.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(sa.Float)
    comment: Mapped[str] = mapped_column(sa.String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reviewer: Mapped[User] = relationship()
    criterion: Mapped[ReviewCriterion] = relationship()



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

    cohort: Mapped[Cohort] = relationship(back_populates="lessons")
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
