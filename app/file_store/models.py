"""The database backend's tables: one row per stored file, its bytes in bounded chunks."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class StoredFile(db.Model):
    __tablename__ = "stored_files"

    name: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    content_type: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoredChunk(db.Model):
    """Rows of at most CHUNK_BYTES, read one at a time: a 200 MB batch never sits in memory."""

    __tablename__ = "stored_file_chunks"

    name: Mapped[str] = mapped_column(sa.ForeignKey("stored_files.name", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
