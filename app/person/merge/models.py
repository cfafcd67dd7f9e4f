"""One merge of two accounts, with everything it changed, so that undoing it is exact."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class AccountMerge(db.Model):
    """`moves` holds every changed row as {"t": table, "pk": {column: value before}, "c": column,
    "old": absorbed/survivor id before, "new": id after, "swap": n (the two rows of one swapped
    pair)}; `contacts` the contact fields the survivor took over ({"field", "value"}) and whether
    the absorbed account was active."""

    __tablename__ = "account_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    absorbed_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    merged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(sa.String(300))
    moves: Mapped[list] = mapped_column(sa.JSON, default=list)
    contacts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    survivor: Mapped[User] = relationship(foreign_keys=[survivor_id])
    absorbed: Mapped[User] = relationship(foreign_keys=[absorbed_id])
    merged_by: Mapped[User | None] = relationship(foreign_keys=[merged_by_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])
