"""Venue codes in the demo: the next two open events allow self check-in at their doors — the
first shows its code on a screen, the second has a printed poster (its first printout) — so
the attendance page's screen and poster links have something to show."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.checkin import self_check_in
from app.checkin import services as checkin
from app.demo.context import DemoRun
from app.events.models import Event, EventStatus, Places
from app.events.services import can_manage
from app.extensions import db


def load_venue_codes(run: DemoRun) -> None:
    upcoming = db.session.scalars(sa.select(Event).where(
        Event.status == EventStatus.PUBLISHED.value, Event.places == Places.OPEN.value, Event.starts_at > run.now)
        .order_by(Event.starts_at, Event.id).limit(2)).all()
    staff = [db.session.get(User, user_id) for user_id in run.staff_ids.values()]
    for n, event in enumerate(upcoming):
        door = checkin.event_checkpoint(event)
        organiser = next((u for u in staff if u is not None and can_manage(u, event)), None)
        if door.self_check_in or organiser is None:
            continue  # loaded by an earlier run (or nobody runs it)
        checkin.update_checkpoint(organiser, door, opens_at=door.opens_at, closes_at=door.closes_at,
                                  allow_reentry=door.allow_reentry, admit_pending=door.admit_pending,
                                  self_check_in=True)
        if n == 1:
            self_check_in.print_anew(organiser, door)
    db.session.commit()
    run.echo(f"demo: self check-in with a venue code at {len(upcoming)} upcoming events")
