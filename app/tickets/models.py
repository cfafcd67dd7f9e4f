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
