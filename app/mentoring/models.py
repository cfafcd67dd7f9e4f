"""A mentor's pairing with a founder of a cohort, and the mentoring sessions held in it."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.cohorts.camps.models import Cohort
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.rosters.models import RosterMember
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table


class PairingStatus(LabelledEnum):
    ACTIVE = "active", _l("Active")
    ENDED = "ended", _l("Ended")


PAIRING_STATUS_LABELS = labels(PairingStatus)
PAIRING_TRANSITIONS = transition_table({
    None: {PairingStatus.ACTIVE},
    PairingStatus.ACTIVE: {PairingStatus.ENDED},
    PairingStatus.ENDED: set(),
})
_ACTIVE = sa.text("status = 'active'")

RATING_MIN, RATING_MAX = 1, 5


class Pairing(Stateful, db.Model):
    """One mentor with one founder of a cohort; a founder has one active mentor per cohort."""

    __tablename__ = "mentor_pairings"
    __table_args__ = (
        sa.Index("uq_mentor_pairings_active_founder", "cohort_id", "founder_id", unique=True,
                 postgresql_where=_ACTIVE, sqlite_where=_ACTIVE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("roster_members.id", ondelete="CASCADE"), index=True)
    founder_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default=PairingStatus.ACTIVE.value)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    end_note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship()
    mentor: Mapped[RosterMember] = relationship()
    founder: Mapped[User] = relationship(foreign_keys=[founder_id])
    sessions: Mapped[list[MentoringSession]] = relationship(back_populates="pairing",
                                                            order_by="MentoringSession.held_on")

    TRANSITIONS = PAIRING_TRANSITIONS

    @property
    def active(self) -> bool:
        return self.status == PairingStatus.ACTIVE.value

    @property
    def status_label(self) -> str:
        return PairingStatus.label_of(self.status)


class MentoringSession(db.Model):
    """A 延伸服务 session: when, on what, its minutes and the follow-up agreed; rated once by the founder."""

    __tablename__ = "mentoring_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(sa.ForeignKey("mentor_pairings.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    topic: Mapped[str] = mapped_column(sa.String(200))
    minutes: Mapped[str] = mapped_column(sa.Text, default="")  # 纪要: what was discussed
    follow_up: Mapped[str] = mapped_column(sa.Text, default="")
    logged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rating: Mapped[int | None]
    rating_comment: Mapped[str] = mapped_column(sa.String(500), default="")
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    pairing: Mapped[Pairing] = relationship(back_populates="sessions")
    logged_by: Mapped[User | None] = relationship()
