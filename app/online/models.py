"""An event's online part (stream or meeting, shown to confirmed registrants only), the time each
person stayed online, and the invitations of partner universities and listed people."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.events.models import Event
from app.extensions import db
from app.organisations.models import Organisation
from app.registrations.models import Registration
from app.timeutil import UTCDateTime, utcnow


class OnlinePart(db.Model):
    """One per online or hybrid event. The stream URL and access code are private: only the join
    page of a confirmed registration shows them, and only from `reveal_minutes` before the start."""

    __tablename__ = "online_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    stream_url: Mapped[str] = mapped_column(sa.String(500), default="")
    access_code: Mapped[str] = mapped_column(sa.String(40), default="")
    reveal_minutes: Mapped[int] = mapped_column(default=30)
    # Minutes online that count as attended (the organiser's rule, e.g. 30).
    attended_minutes: Mapped[int] = mapped_column(default=30)
    replay_url: Mapped[str] = mapped_column(sa.String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()


class OnlinePresence(db.Model):
    """How long a registration was online: the join page's heartbeats add the time since the one
    before, at most one interval and its grace each (a closed tab earns nothing)."""

    __tablename__ = "online_presence"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 unique=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seconds: Mapped[int] = mapped_column(default=0)

    registration: Mapped[Registration] = relationship()


class UniversityInvitation(db.Model):
    """A partner university invited to an event: its own link (code) that its career office
    forwards to students; registrations through it are counted for the university."""

    __tablename__ = "online_university_invitations"
    __table_args__ = (sa.UniqueConstraint("event_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    opens: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    organisation: Mapped[Organisation] = relationship()


class PersonInvitation(db.Model):
    """A person invited to an event: by the organiser's list, or by registering through a
    university's link (then `university_invitation_id` says which)."""

    __tablename__ = "online_person_invitations"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    university_invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("online_university_invitations.id", ondelete="SET NULL"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    university_invitation: Mapped[UniversityInvitation | None] = relationship()
