"""What the registration pages read beyond one registration: counts for the event list, the
waiting list's order, the registrations an organiser ticked."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration, RegStatus, SessionBooking


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


def places_of_a_person(registrations: list[Registration]) -> tuple[dict[int, int], dict[int, int]]:
    """A person's places in the queues they wait in, for "my registrations": ({registration id:
    place on its event's waiting list}, {booking id: place on its session's}), one statement each
    however many events, each place counted as in seats.queue_position (the same index bounds it)."""
    waiting = [r.id for r in registrations if r.status == RegStatus.WAITLISTED.value]
    booked = [b.id for r in registrations for b in r.bookings if b.status == RegStatus.WAITLISTED.value]
    return (_places(Registration, Registration.event_id, waiting),
            _places(SessionBooking, SessionBooking.session_id, booked))


def _places(model, queue_column, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    other = aliased(model)
    ahead = (sa.select(sa.func.count()).select_from(other)
             .where(getattr(other, queue_column.key) == queue_column, other.status == RegStatus.WAITLISTED.value,
                    sa.tuple_(other.queued_at, other.id) < sa.tuple_(model.queued_at, model.id))
             .correlate(model).scalar_subquery())
    return {row_id: n + 1 for row_id, n in db.session.execute(sa.select(model.id, ahead).where(model.id.in_(ids)))}
