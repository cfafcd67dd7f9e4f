"""Skills master studios (技能大师工作室): a master passes a craft on to apprentices (传帮带).

Like a camp cohort, a studio runs on an invitation-only event: its activities (training
sessions, 技能攻关, visits) are that event's agenda sessions, and an apprentice's place is a
confirmed registration whose ticket is their QR credential — so activities are checked in by the
same scan service and scanner as everything else.
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
from app.occasions.models import Meeting, Seat, seat_transitions
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table

# The action plan opens about five new studios a year.
YEARLY_TARGET = 5


class StudioLevel(str, enum.Enum):
    DISTRICT = "district"
    CITY = "city"

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS[self])


LEVEL_LABELS = {StudioLevel.DISTRICT: _l("District level"), StudioLevel.CITY: _l("City level")}


class StudioStatus(str, enum.Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {StudioStatus.ACTIVE: _l("In operation"), StudioStatus.SUSPENDED: _l("Suspended"),
                 StudioStatus.CLOSED: _l("Closed")}

# Organisers may set any of the three (a closed studio can be reopened); the move is recorded.
STUDIO_TRANSITIONS = transition_table({None: set(StudioStatus)} | {
    status: set(StudioStatus) - {status} for status in StudioStatus})


class ActivityKind(str, enum.Enum):
    TRAINING = "training"
    PROBLEM_SOLVING = "problem_solving"  # 技能攻关
    VISIT = "visit"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(ACTIVITY_LABELS[self])


ACTIVITY_LABELS = {ActivityKind.TRAINING: _l("Training session"),
                   ActivityKind.PROBLEM_SOLVING: _l("Technical problem-solving"),
                   ActivityKind.VISIT: _l("Visit"), ActivityKind.OTHER: _l("Other")}


class PairStatus(str, enum.Enum):
    ACTIVE = "active"
    ENDED = "ended"


# An apprentice whose pairing ended may be taken on again by the studio.
PAIR_TRANSITIONS = seat_transitions(PairStatus.ACTIVE, PairStatus.ENDED)


class AchievementKind(str, enum.Enum):
    COMPETITION_AWARD = "competition_award"
    SKILL_LEVEL = "skill_level"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(ACHIEVEMENT_LABELS[self])


ACHIEVEMENT_LABELS = {AchievementKind.COMPETITION_AWARD: _l("Competition award"),
                      AchievementKind.SKILL_LEVEL: _l("New skill level"), AchievementKind.OTHER: _l("Other")}


class Studio(Stateful, db.Model):
    __tablename__ = "studios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    master_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    trade: Mapped[str] = mapped_column(sa.String(80))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"))
    level: Mapped[str] = mapped_column(sa.String(10), default=StudioLevel.DISTRICT.value)
    founded_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(10), default=StudioStatus.ACTIVE.value)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    master: Mapped[User] = relationship(foreign_keys=[master_id])
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
