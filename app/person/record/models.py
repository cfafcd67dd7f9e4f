"""A printed record (参与证明汇总): what was printed, kept so the QR on the paper can be checked
against it later, whatever the record says by then."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class RecordStatement(db.Model):
    __tablename__ = "record_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)  # unguessable, in the QR link
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    snapshot: Mapped[dict] = mapped_column(sa.JSON)  # the name and items as printed (see statements.snapshot)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
