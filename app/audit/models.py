from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """Append-only record of sensitive actions: exports, full-value views, role changes."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    subject_type: Mapped[str | None] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(sa.String(45))
