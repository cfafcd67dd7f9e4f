"""Who attended an event, for its attendance certificates: the people with an accepted entry at
its whole-event door, in order of arrival, found in SQL (one row per person) whatever the size of
the event; never its scans loaded into Python."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.checkin.models import DOOR, Checkpoint, Scan
from app.checkin.services import accepted_entry, first_entries_query
from app.extensions import db
from app.registrations.models import Registration

def _door(event) -> sa.Select:
    """The event's whole-event door checkpoint(s), whose first entries say who attended."""
    return sa.select(Checkpoint.id).where(Checkpoint.event_id == event.id, Checkpoint.session_id.is_(None),
                                          Checkpoint.kind == DOOR)


def attending(event, *columns):
    """A select of `columns` over the event's registrations with a first accepted entry at its
    door, that entry joined as `Scan` (order by its scanned_at for the order of arrival)."""
    firsts = first_entries_query(_door(event))
    return (sa.select(*columns).select_from(Registration)
            .join(firsts, firsts.c.registration_id == Registration.id)
            .join(Scan, Scan.id == firsts.c.id)
            .where(Registration.event_id == event.id))


def attendees(event) -> list[User]:
    """Who attended: a first accepted entry at the event's whole-event checkpoint, in order of
    arrival. One statement (users joined), whatever the size of the event."""
    return list(db.session.scalars(attending(event, User).join(User, User.id == Registration.user_id)
                                   .order_by(Scan.scanned_at, Scan.id)))


def attendee_count(event) -> int:
    """How many `attendees` lists: those with any accepted entry at the door (then they have a
    first one), counted from the entries' index without ranking each person's entries."""
    came = sa.select(Scan.registration_id).where(Scan.checkpoint_id.in_(_door(event)), accepted_entry())
    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.id.in_(came))) or 0
