from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class EventKey(db.Model):
    """Ed25519 key pair of one event: the private half signs tickets, the public half
    lets a paired scanner verify them without the server."""

    __tablename__ = "event_keys"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    private_key: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    public_key: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CodeAuthorityKey(db.Model):
    """The platform's Ed25519 key pair that signs personal-code credentials (app.tickets.personal_codes).
    Kept with an id so it can rotate: a scanner's roster lists every key still vouching for a
    live credential, and the credential names the key that signed it."""

    __tablename__ = "code_authority_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    private_key: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    public_key: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PhoneKey(db.Model):
    """One phone (browser) of a person: the public half of the key pair the phone made for its
    personal code; the private half never leaves the phone. Revoked when the phone is lost:
    online scans refuse it at once, offline scanners with their next roster."""

    __tablename__ = "phone_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    public_key: Mapped[bytes] = mapped_column(sa.LargeBinary(32), unique=True)
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(sa.String(200), default="")
    # The sign-in (user_sessions.id) the phone last asked from: revoking a lost phone ends it, or
    # whoever holds the phone could sign the person's code anew from the still-open session.
    session_key: Mapped[str | None] = mapped_column(sa.String(43))
