from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.events.models import Event, EventSession, Question
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table


class RegStatus(LabelledEnum):
    PENDING = "pending", _l("Pending approval")
    CONFIRMED = "confirmed", _l("Confirmed")
    WAITLISTED = "waitlisted", _l("Waiting list")
    CANCELLED = "cancelled", _l("Cancelled")
    REJECTED = "rejected", _l("Rejected")


REG_STATUS_LABELS = labels(RegStatus)

# The history note of a rejection the organiser gave no reason for (a reason is shown to the person).
REJECTED_WITHOUT_REASON = "rejected"
ACTIVE_STATUSES = (RegStatus.PENDING.value, RegStatus.CONFIRMED.value, RegStatus.WAITLISTED.value)

# The one table of allowed moves; Registration.transition() enforces it.
TRANSITIONS = transition_table({
    None: {RegStatus.PENDING, RegStatus.CONFIRMED, RegStatus.WAITLISTED},
    RegStatus.PENDING: {RegStatus.CONFIRMED, RegStatus.WAITLISTED, RegStatus.REJECTED, RegStatus.CANCELLED},
    RegStatus.WAITLISTED: {RegStatus.CONFIRMED, RegStatus.CANCELLED, RegStatus.REJECTED},
    RegStatus.CONFIRMED: {RegStatus.CANCELLED},
    RegStatus.CANCELLED: {RegStatus.PENDING, RegStatus.CONFIRMED, RegStatus.WAITLISTED},
    RegStatus.REJECTED: {RegStatus.PENDING, RegStatus.CONFIRMED, RegStatus.WAITLISTED},
})


class Registration(Stateful, db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id"),
        sa.Index("ix_registrations_event_status_queue", "event_id", "status", "queued_at", "id"),
        sa.Index("ix_registrations_id_user", "id", "user_id"),  # the ledger: registration -> person, from the index
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the person joined the current queue: FIFO order of the waiting list.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ticket_secret: Mapped[str] = mapped_column(sa.String(64), unique=True)
    ticket_generation: Mapped[int] = mapped_column(default=1)
    # The referral link the person came through (app.referred); credited by the rosters, a higher layer.
    referral_code: Mapped[str | None] = mapped_column(sa.String(12), index=True)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship()
    answers: Mapped[list[RegistrationAnswer]] = relationship(cascade="all, delete-orphan",
                                                             back_populates="registration")
    bookings: Mapped[list[SessionBooking]] = relationship(cascade="all, delete-orphan",
                                                          back_populates="registration")
    history: Mapped[list[RegistrationHistory]] = relationship(
        order_by="RegistrationHistory.id", back_populates="registration")

    @property
    def status_enum(self) -> RegStatus:
        return RegStatus(self.status)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    TRANSITIONS = TRANSITIONS

    def record_transition(self, old, new, *, actor, note, at) -> None:
        self.status_changed_at = at
        if new in (RegStatus.WAITLISTED.value, RegStatus.PENDING.value) or old is None:
            self.queued_at = at
        self.history.append(RegistrationHistory(from_status=old, to_status=new, at=at,
                                                actor_id=getattr(actor, "id", None), note=note[:300]))

    def revised_from(self) -> str | None:
        return self.history[-1].from_status

    def revise_recorded_transition(self, new: str) -> None:
        self.history[-1].to_status = new  # not committed yet: still this transaction's row

    @property
    def rejection_reason(self) -> str:
        """What the organiser wrote when rejecting (empty when they gave no reason)."""
        if self.status != RegStatus.REJECTED.value:
            return ""
        entry = next((h for h in reversed(self.history) if h.to_status == self.status), None)
        return entry.note if entry is not None and entry.note != REJECTED_WITHOUT_REASON else ""

    def answer_map(self) -> dict[int, object]:
        return {a.question_id: a.value for a in self.answers}


class RegistrationAnswer(db.Model):
    __tablename__ = "registration_answers"

    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"),
                                             primary_key=True, index=True)
    value: Mapped[object] = mapped_column(sa.JSON)

    registration: Mapped[Registration] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


# A booking's status: the registration's own words, plus "requested" (the registration holds no
# seat yet, so neither does the session: decided when it is confirmed).
BOOKING_REQUESTED = "requested"
BOOKING_STATUS_LABELS = {
    BOOKING_REQUESTED: _l("To be arranged once your registration is confirmed"),
    RegStatus.CONFIRMED.value: _l("Seat booked"),
    RegStatus.WAITLISTED.value: _l("On the waiting list"),
    RegStatus.CANCELLED.value: _l("Cancelled"),
}


# A booking is made "requested" (in the constructor); the registration's seat decides it; a
# dropped session may be picked again. Moves are recorded in status_changes.
BOOKING_TRANSITIONS = transition_table({
    None: {BOOKING_REQUESTED},
    BOOKING_REQUESTED: {RegStatus.CONFIRMED, RegStatus.WAITLISTED, RegStatus.CANCELLED},
    RegStatus.WAITLISTED: {RegStatus.CONFIRMED, RegStatus.CANCELLED},
    RegStatus.CONFIRMED: {RegStatus.CANCELLED},
    RegStatus.CANCELLED: {BOOKING_REQUESTED},
})


class SessionBooking(Stateful, db.Model):
    """A registrant's seat in one agenda session (sessions with a capacity keep their own queue)."""

    TRANSITIONS = BOOKING_TRANSITIONS

    __tablename__ = "session_bookings"
    __table_args__ = (
        sa.UniqueConstraint("registration_id", "session_id"),
        sa.Index("ix_session_bookings_session_status", "session_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("event_sessions.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(20))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="bookings")
    session: Mapped[EventSession] = relationship()

    @property
    def status_label(self) -> str:
        return str(BOOKING_STATUS_LABELS.get(self.status, self.status))


class RegistrationHistory(db.Model):
    """Append-only: every status change with who made it."""

    __tablename__ = "registration_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(300), default="")

    registration: Mapped[Registration] = relationship(back_populates="history")
