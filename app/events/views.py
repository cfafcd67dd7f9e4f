from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user

from app.events.models import Event, EventStatus
from app.events.services import can_manage, get_series
from app.extensions import db
from app.registrations import services as reg
from app.registrations.models import Registration

bp = Blueprint("events", __name__)


@bp.route("/events/<int:event_id>")
def detail(event_id: int):
    viewer = current_user if current_user.is_authenticated else None
    event = reg.get_public_event(event_id, viewer)
    mine = None
    if viewer is not None:
        mine = db.session.scalar(sa.select(Registration).where(
            Registration.event_id == event.id, Registration.user_id == viewer.id))
    return render_template("events/detail.html", event=event, mine=mine,
                           position=reg.waitlist_position(mine) if mine else None,
                           seats_left=reg.seats_left(event),
                           session_counts=reg.session_confirmed_counts(event) if event.sessions else {},
                           manage=can_manage(viewer, event))


@bp.route("/series/<slug>")
def series(slug: str):
    s = get_series(slug)
    events = db.session.scalars(sa.select(Event).where(
        Event.series_id == s.id, Event.status.in_((EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value)))
        .order_by(Event.starts_at)).all()
    return render_template("events/series.html", series=s, events=events)
