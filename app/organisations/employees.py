"""A person's employer in the registry. Accounts sit below organisations, so a user row cannot
point here; this table does: one employer per person, taken from the profile's free-text
employer when it matches the registry (linking.link_employer) or set by staff."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.organisations.models import Organisation
from app.timeutil import UTCDateTime, utcnow


class EmployerLink(db.Model):
    __tablename__ = "organisation_employees"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    # The profile's employer as it was when linked: a later change of the profile is seen as stale.
    employer: Mapped[str] = mapped_column(sa.String(120), default="")
    linked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship()
