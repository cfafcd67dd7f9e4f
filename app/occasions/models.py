"""What a programme's rows share with the occasion's event: a seat (the registration whose ticket
is the person's credential) and a meeting (an agenda session: its title, time and place are the
session's and are read from it, never copied)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.events.models import EventSession
from app.registrations.models import Registration
from app.transitions import transition_table


class Seat:
    """A person's place in an occasion: their confirmed registration of its event."""

    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id"), unique=True)

    @declared_attr
    def registration(cls) -> Mapped[Registration]:
        return relationship(Registration)


def _from_session(name: str, doc: str) -> property:
    return property(lambda self: getattr(self.session, name), doc=doc)


class Meeting:
    """A lesson or activity: one agenda session of the occasion's event."""

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("event_sessions.id", ondelete="CASCADE"), unique=True)

    @declared_attr
    def session(cls) -> Mapped[EventSession]:
        return relationship(EventSession)

    title = _from_session("title", "The session's title.")
    starts_at = _from_session("starts_at", "When the session starts (UTC).")
    ends_at = _from_session("ends_at", "When the session ends (UTC).")
    place = _from_session("room", "Where it is held (the session's room).")


def seat_transitions(seated, left) -> dict:
    """The moves of a seat's status: taken, left, and taken again (a founder back in the cycle,
    an apprentice taken on again)."""
    return transition_table({None: {seated}, seated: {left}, left: {seated}})
