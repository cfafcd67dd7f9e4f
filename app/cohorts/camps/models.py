"""Camps and cycles: programmes (创业人才梯度培育计划, 职业见习, 人才研修班), their tiers, cycles and
cohorts, and the people enrolled.

A cohort runs on an invitation-only event (app.occasions): its lessons are that event's agenda
sessions, an enrolment is a confirmed registration, and the founder's QR credential is that
registration's ticket. What differs between programmes and tiers (capacity, completion rules,
who may apply) is data on Tier and Cohort, not code.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Department, User
from app.events.models import Event
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.organisations.models import Organisation
from app.organisations.refs import organisation_ref
from app.occasions.models import Seat, seat_transitions
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful


class ProgrammeKind(LabelledEnum):
    CAMP = "camp", _l("Entrepreneurship camp")      # 创业营: tiered entrepreneurship camps
    TRAINEESHIP = "traineeship", _l("Traineeship")  # 职业见习 / 大学生社会实践 batches
    SEMINAR = "seminar", _l("Seminar")              # 人才研修班


PROGRAMME_KIND_LABELS = labels(ProgrammeKind)

# Completion rules of a cohort, fixed when its first result is published. Shares are 0..1.
DEFAULT_RULES = {
    "min_attendance": 0.8,         # 结业: attendance rate at least this …
    "min_score": 60.0,             # … and weighted score at least this
    "distinction_score": 85.0,     # 优秀学员: score at least this …
    "distinction_top_share": 0.2,  # … and within the top share of the cohort
}


class AttendanceBasis(LabelledEnum):
    HELD = "held", _l("Lessons held so far")
    SCHEDULED = "scheduled", _l("All scheduled lessons")


BASIS_LABELS = labels(AttendanceBasis)


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
    # .lessons: declared by Lesson (app.cohorts.lessons), which sits above camps


class EnrolmentStatus(str, enum.Enum):
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"


# A founder withdrawn from a cycle may come back (into the same or another cohort of it).
ENROLMENT_TRANSITIONS = seat_transitions(EnrolmentStatus.ENROLLED, EnrolmentStatus.WITHDRAWN)


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
    # The founder's company in the registry (from the application, or corrected by staff), or None.
    organisation_id: Mapped[int | None] = organisation_ref()
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdraw_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    # The application this enrolment came from (admitted through selection), if any.
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("applications.id", ondelete="SET NULL"))

    cohort: Mapped[Cohort] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    TRANSITIONS = ENROLMENT_TRANSITIONS

    @property
    def active(self) -> bool:
        return self.status == EnrolmentStatus.ENROLLED.value
