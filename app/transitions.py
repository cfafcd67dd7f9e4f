"""One shape for every model with a status.

A stateful model mixes in `Stateful`, declares `TRANSITIONS` (old status → the statuses it may
become; `None` is a row being created) and changes its status only through `transition()`,
which refuses any other move and writes the history row in the same step. Models with a history
of their own (registrations, applications) write it in `record_transition`; the others append to
the shared, append-only `status_changes` table.
"""
from __future__ import annotations

from collections.abc import Mapping, Set
from datetime import datetime
from typing import ClassVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.errors import Conflict
from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class IllegalTransition(Conflict):
    code = "bad_transition"
    default_message = _l("This change of status is not allowed.")


class StatusChange(db.Model):
    """Append-only: a status change of a model without a history table of its own."""

    __tablename__ = "status_changes"
    __table_args__ = (sa.Index("ix_status_changes_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int]
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(300), default="")


def transition_table(moves: Mapping) -> dict[str | None, frozenset[str]]:
    """A table written with enum members, as plain strings (what the status columns hold)."""
    def plain(value):
        return getattr(value, "value", value)
    return {plain(old): frozenset(plain(n) for n in new) for old, new in moves.items()}


class Stateful:
    TRANSITIONS: ClassVar[Mapping[str | None, Set[str]]] = {}

    def can_become(self, new) -> bool:
        return getattr(new, "value", new) in self.TRANSITIONS.get(self.status, ())

    def refused_transition(self, old: str | None, new: str) -> Conflict:
        """The error for a move the table does not allow; models may say it in their own words."""
        return IllegalTransition(old=old, new=new)

    def transition(self, new, *, actor=None, note: str = "", at: datetime | None = None,
                   revise: bool = False) -> None:
        """The one place a status changes: refused unless `TRANSITIONS` allows it, recorded when done.

        With `revise`, the move this transaction made last is corrected instead of followed by a
        second one (a registration's guessed status, settled under the event lock): the table is
        asked about a move from the status before that move, and its history row is rewritten."""
        new = getattr(new, "value", new)
        old = self.revised_from() if revise else self.status
        if new not in self.TRANSITIONS.get(old, ()):
            raise self.refused_transition(old, new)
        self.status = new
        if revise:
            self.revise_recorded_transition(new)
        else:
            self.record_transition(old, new, actor=actor, note=note or "", at=at or utcnow())

    def revised_from(self) -> str | None:
        """The status before the last move of this transaction (models that can revise one say it)."""
        raise TypeError(f"{type(self).__name__} cannot revise a move")

    def revise_recorded_transition(self, new: str) -> None:
        raise TypeError(f"{type(self).__name__} cannot revise a move")

    def record_transition(self, old: str | None, new: str, *, actor, note: str, at: datetime) -> None:
        if self.id is None:  # a row being created: its history needs its id
            db.session.add(self)
            db.session.flush()
        db.session.add(StatusChange(subject_type=self.__tablename__, subject_id=self.id, from_status=old,
                                    to_status=new, at=at, actor_id=getattr(actor, "id", None), note=note[:300]))


def changes_of(subject) -> list[StatusChange]:
    """The recorded moves of a model that keeps its history in `status_changes`, oldest first."""
    return list(db.session.scalars(sa.select(StatusChange).where(
        StatusChange.subject_type == subject.__tablename__, StatusChange.subject_id == subject.id)
        .order_by(StatusChange.id)))
