from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class Erasure(db.Model):
    """That a person's data was erased, when, on whose request and why — without any personal value
    (the person is only their account id; `kept` counts what stayed, by kind)."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # "self" (the person), "admin" (on their request) or "retention" (the scheduled job)
    via: Mapped[str] = mapped_column(sa.String(12))
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    kept: Mapped[dict] = mapped_column(sa.JSON, default=dict)
