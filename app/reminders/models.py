from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.timeutil import UTCDateTime, utcnow

SCHEDULED, SENT, DROPPED = "scheduled", "sent", "dropped"
DAY, TWO_HOURS = "1d", "2h"


class Reminder(db.Model):
    """One reminder: a person × an occasion (an event, or one session of an invitation-only event:
    a camp lesson, a studio activity) × a slot ("1d" or "2h"), for the start time it was computed
    for. scheduled → sent (exactly once: a conditional UPDATE) | dropped (place or time changed)."""

    __tablename__ = "reminders"
    __table_args__ = (
        # The same reminder cannot exist twice, whoever (web, worker, sweep) computes it.
        sa.UniqueConstraint("user_id", "occasion", "slot", "starts_at", name="uq_reminders_person_occasion_slot"),
        sa.Index("ix_reminders_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 index=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_sessions.id", ondelete="SET NULL"))
    # "event:12" or "session:34": a plain key, so the unique constraint holds (a NULL session id
    # would make every event-level row distinct).
    occasion: Mapped[str] = mapped_column(sa.String(40))
    slot: Mapped[str] = mapped_column(sa.String(4))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(10), default=SCHEDULED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dropped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    registration = relationship("Registration")
    event = relationship("Event")
    session = relationship("EventSession")
