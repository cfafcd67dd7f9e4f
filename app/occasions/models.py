"""What a programme's rows share with the occasion's event: a seat (the registration whose ticket
is the person's credential) and a meeting (an agenda session: its title, time and place are the
session's and are read from it, never copied)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.events.models import EventSession
from app.registrations.models import Registration


class Seat:
    """A person's place in an occasion: their confirmed registration of its event."""

    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id"), unique=True)

    @declared_attr
    def registration(cls) -> Mapped[Registration]:
        return relationship(Registration)


class Meeting:
    """A lesson or activity: one agenda session of the occasion's event."""

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("event_sessions.id", ondelete="CASCADE"), unique=True)

    @declared_attr
    def session(cls) -> Mapped[EventSession]:
        return relationship(EventSession)

    @property
    def title(self) -> str:
        return self.session.title

    @property
    def starts_at(self) -> datetime:
        return self.session.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.session.ends_at

    @property
    def place(self) -> str:
        return self.session.room
