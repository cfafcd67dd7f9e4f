"""What the registration pages read beyond one registration: counts for the event list, the
waiting list's order, the registrations an organiser ticked."""
from __future__ import annotations

import sqlalchemy as sa

from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration, RegStatus


def status_counts_by_event(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """{event id: {status: number of registrations}} for the console's event list."""
    counts: dict[int, dict[str, int]] = {}
    if not event_ids:
        return counts
    result = db.session.execute(
        sa.select(Registration.event_id, Registration.status, sa.func.count())
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id, Registration.status))
    for event_id, status, n in result:
        counts.setdefault(event_id, {})[status] = n
    return counts


def waitlist_positions(event: Event, registration_ids: list[int]) -> dict[int, int]:
    """{registration id: its place on the event's waiting list, from 1}, for the waiting ones
    among `registration_ids` (a page of a list): numbered in SQL, only those rows returned."""
    if not registration_ids:
        return {}
    queue = (sa.select(Registration.id, sa.func.row_number().over(
        order_by=(Registration.queued_at, Registration.id)).label("position"))
        .where(Registration.event_id == event.id, Registration.status == RegStatus.WAITLISTED.value)
        .subquery())
    return dict(db.session.execute(sa.select(queue.c.id, queue.c.position)
                                   .where(queue.c.id.in_(registration_ids))).all())


def chosen_registrations(event: Event, ids: list[int]) -> list[Registration]:
    """The registrations of `event` among `ids` (ids of other events are ignored)."""
    return list(db.session.scalars(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.id.in_(ids))))
