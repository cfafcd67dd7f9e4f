"""Skills master studios (技能大师工作室): a master passes a craft on to apprentices (传帮带).

Like a camp cohort, a studio runs on an invitation-only event: its activities (training
sessions, 技能攻关, visits) are that event's agenda sessions, and an apprentice's place is a
confirmed registration whose ticket is their QR credential — so activities are checked in by the
same scan service and scanner as everything else.
"""
from __future__ import annotations

from datetime import date, datetime

import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Department, User
from app.events.models import Event
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.organisations.models import Organisation
from app.organisations.refs import organisation_ref
from app.occasions.models import Meeting, Seat, seat_transitions
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table

# The action plan opens about five new studios a year.
YEARLY_TARGET = 5


class StudioLevel(LabelledEnum):
    DISTRICT = "district", _l("District level")
    CITY = "city", _l("City level")


LEVEL_LABELS = labels(StudioLevel)


class StudioStatus(LabelledEnum):
    ACTIVE = "active", _l("In operation")
    SUSPENDED = "suspended", _l("Suspended")
    CLOSED = "closed", _l("Closed")


STATUS_LABELS = labels(StudioStatus)

# Organisers may set any of the three (a closed studio can be reopened); the move is recorded.
STUDIO_TRANSITIONS = transition_table({None: set(StudioStatus)} | {
    status: set(StudioStatus) - {status} for status in StudioStatus})


class ActivityKind(LabelledEnum):
    TRAINING = "training", _l("Training session")
    PROBLEM_SOLVING = "problem_solving", _l("Technical problem-solving")  # 技能攻关
    VISIT = "visit", _l("Visit")
    OTHER = "other", _l("Other")


ACTIVITY_LABELS = labels(ActivityKind)


class PairStatus(str, enum.Enum):
    ACTIVE = "active"
    ENDED = "ended"


# An apprentice whose pairing ended may be taken on again by the studio.
PAIR_TRANSITIONS = seat_transitions(PairStatus.ACTIVE, PairStatus.ENDED)


class AchievementKind(LabelledEnum):
    COMPETITION_AWARD = "competition_award", _l("Competition award")
    SKILL_LEVEL = "skill_level", _l("New skill level")
    OTHER = "other", _l("Other")


ACHIEVEMENT_LABELS = labels(AchievementKind)


class Studio(Stateful, db.Model):
    __tablename__ = "studios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    master_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # The master's employer in the registry (from their profile's employer, or set by staff), or None.
    master_organisation_id: Mapped[int | None] = organisation_ref()
    trade: Mapped[str] = mapped_column(sa.String(80))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"))
    level: Mapped[str] = mapped_column(sa.String(10), default=StudioLevel.DISTRICT.value)
    founded_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(10), default=StudioStatus.ACTIVE.value)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    master: Mapped[User] = relationship(foreign_keys=[master_id])
    master_organisation: Mapped[Organisation | None] = relationship()
    department: Mapped[Department] = relationship()
    event: Mapped[Event] = relationship()
    apprenticeships: Mapped[list[Apprenticeship]] = relationship(back_populates="studio",
                                                                  order_by="Apprenticeship.id")
    activities: Mapped[list[Activity]] = relationship(back_populates="studio", order_by="Activity.id")

    TRANSITIONS = STUDIO_TRANSITIONS


class Apprenticeship(Stateful, Seat, db.Model):
    """A 传帮带 pair: an apprentice learning from a master of the studio, from a start date, towards goals."""

    __tablename__ = "apprenticeships"
    __table_args__ = (sa.UniqueConstraint("studio_id", "apprentice_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    studio_id: Mapped[int] = mapped_column(sa.ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    apprentice_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    master_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    started_on: Mapped[date]
    goals: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(10), default=PairStatus.ACTIVE.value)
    ended_on: Mapped[date | None]
    end_note: Mapped[str] = mapped_column(sa.String(300), default="")

    studio: Mapped[Studio] = relationship(back_populates="apprenticeships")
    apprentice: Mapped[User] = relationship(foreign_keys=[apprentice_id])
    master: Mapped[User] = relationship(foreign_keys=[master_id])
    achievements: Mapped[list[Achievement]] = relationship(back_populates="apprenticeship",
                                                           order_by="Achievement.achieved_on")

    TRANSITIONS = PAIR_TRANSITIONS

    @property
    def active(self) -> bool:
        return self.status == PairStatus.ACTIVE.value


class Activity(Meeting, db.Model):
    """A scheduled occasion of a studio, on its event's agenda (time, place, check-in)."""

    __tablename__ = "studio_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    studio_id: Mapped[int] = mapped_column(sa.ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default=ActivityKind.TRAINING.value)
    summary: Mapped[str] = mapped_column(sa.Text, default="")

    studio: Mapped[Studio] = relationship(back_populates="activities")


class Achievement(db.Model):
    """What an apprentice achieved: a competition award, a new skill level (技能等级), …"""

    __tablename__ = "apprentice_achievements"

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(sa.ForeignKey("apprenticeships.id", ondelete="CASCADE"),
                                                   index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(200))
    achieved_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    apprenticeship: Mapped[Apprenticeship] = relationship(back_populates="achievements")
