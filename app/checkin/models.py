from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.events.models import Event, EventSession
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.timeutil import UTCDateTime, utcnow


class ScanResult(LabelledEnum):
    OK = "ok", _l("Welcome!")
    ALREADY_CHECKED_IN = "already_checked_in", _l("Already checked in.")
    NOT_REGISTERED = "not_registered", _l("This ticket is for another event or session.")
    NOT_CONFIRMED = "not_confirmed", _l("This registration is not confirmed.")
    INVALID = "invalid", _l("Not a valid ticket.")
    OUTSIDE_WINDOW = "outside_window", _l("Check-in is not open at this time.")
    REVOKED = "revoked", _l("This ticket has been replaced or revoked.")
    # a personal code (我的码) more than a minute old, e.g. a screenshot, or a day's credential run out
    EXPIRED = "expired", _l("This code has expired: ask for the fresh code on the phone.")
    # an exit scan with no entry before it
    NOT_CHECKED_IN = "not_checked_in", _l("This person has not checked in, so cannot check out.")

    @property
    def message(self) -> str:
        return self.label


SCAN_MESSAGES = labels(ScanResult)


# A checkpoint's kind: a door where tickets are scanned, or an event's online part, where the
# personal join link records the entry (app.online).
DOOR, ONLINE = "door", "online"

# How a checkpoint's venue code (场所码) is shown, for people to check themselves in with their own
# phone: on a screen, rotating every 30 seconds, or printed, static until it is reprinted.
SCREEN, PRINTED = "screen", "print"


class Checkpoint(db.Model):
    """Where scans are counted: a whole event or one session of its agenda (later also a camp
    lesson or a studio activity). Its window and admission rules are settings, not code."""

    __tablename__ = "checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_sessions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    allow_reentry: Mapped[bool] = mapped_column(default=True)
    admit_pending: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str] = mapped_column(sa.String(8), default=DOOR, server_default=DOOR)
    # Self check-in: a signed-in person scans the venue code with their own phone (app.checkin.venue_codes).
    self_check_in: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    venue_code: Mapped[str] = mapped_column(sa.String(6), default=SCREEN, server_default=SCREEN)
    # A printed code names its generation: printing anew voids every copy of the one before.
    print_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    session: Mapped[EventSession | None] = relationship()

    # A whole event's checkpoints have no session, which the constraint lets repeat (NULLs differ):
    # an event's one online checkpoint is held to one by its own index.
    __table_args__ = (sa.UniqueConstraint("event_id", "session_id"),
                      sa.Index("uq_checkpoints_online_event", "event_id", unique=True,
                               postgresql_where=sa.text("kind = 'online'"), sqlite_where=sa.text("kind = 'online'")))


class Scan(db.Model):
    """Append-only: every scan, accepted or not, with the time the device saw it and the time
    the server decided it."""

    __tablename__ = "scans"
    __table_args__ = (
        sa.Index("ix_scans_checkpoint_registration", "checkpoint_id", "registration_id", "id"),
        # The plan's ledger reads accepted entries only (app/plans/ledger/sources/events.py): read from the index alone.
        sa.Index("ix_scans_entries", "registration_id", "checkpoint_id", "scanned_at",
                 postgresql_where=sa.text("result = 'ok' AND direction = 'in'"),
                 sqlite_where=sa.text("result = 'ok' AND direction = 'in'")),
        # Each registration's first accepted entry at a checkpoint (checkin.first_entries_query) and
        # the counts the wall and scanners poll: read in this order from the index alone.
        sa.Index("ix_scans_first_entries", "checkpoint_id", "registration_id", "id", "scanned_at",
                 postgresql_where=sa.text("result = 'ok' AND direction = 'in'"),
                 sqlite_where=sa.text("result = 'ok' AND direction = 'in'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("checkpoints.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(sa.String(3), default="in")
    result: Mapped[str] = mapped_column(sa.String(24), index=True)
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    device: Mapped[str] = mapped_column(sa.String(80), default="")
    scanner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    scanner_link_id: Mapped[int | None] = mapped_column(sa.ForeignKey("scanner_links.id", ondelete="SET NULL"))
    nonce: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    checkpoint: Mapped[Checkpoint] = relationship()
    registration: Mapped["Registration | None"] = relationship("Registration")  # noqa: F821


class ScannerLink(db.Model):
    """A volunteer's credential: whoever holds the link may scan at one event (or one of its
    checkpoints) until it expires or is revoked, and do nothing else. Only a hash of the
    secret is kept, so the link is shown once, when it is made."""

    __tablename__ = "scanner_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    checkpoint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("checkpoints.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    checkpoint: Mapped[Checkpoint | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
