"""A stamp per event that changes whenever the rows an offline roster's entries are built from
change, so app.checkin.roster may keep the built entries and skip the 10,000-row join while the
stamp stands.

PostgreSQL keeps it, by triggers (migration hh19ro000002), not the services: a registration
inserted, deleted or changed in its event, user, status or ticket generation; a person's name or
mobile changed; a session booking made, changed or dropped. A trigger also sees bulk SQL, merges
and erasures, which a counter bumped by each service would have to remember. The stamp is random
rather than counted, so a rolled-back change or another database (tests) never brings an old value
back. An event with no row has had none of those changes since the migration: its entries are not
kept. SQLite (development) has the table but no triggers, and keeps no entries.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class RosterVersion(db.Model):
    __tablename__ = "roster_versions"

    # No foreign key: a trigger on a registration deleted with its event would otherwise insert a
    # row for an event that is going; a stale row of a deleted event is harmless.
    event_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    stamp: Mapped[int] = mapped_column(sa.BigInteger)


def stamp(event_id: int) -> int | None:
    return db.session.scalar(sa.select(RosterVersion.stamp).where(RosterVersion.event_id == event_id))
