"""The public event pages: an event and a series."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.events import queries
from app.events.models import EVENT_ORGANISATION_ROLE_LABELS
from app.events.organisations import organisations_of
from app.event_pages.bp import bp
from app.events.services import can_manage, get_series
from app.registrations import services as reg


@bp.route("/events/<int:event_id>")
def detail(event_id: int):
    viewer = current_user if current_user.is_authenticated else None
    event = reg.get_public_event(event_id, viewer)
    mine = reg.registration_of(viewer, event) if viewer is not None else None
    return render_template("events/detail.html", event=event, mine=mine,
                           position=reg.waitlist_position(mine) if mine else None,
                           seats_left=reg.seats_left(event),
                           session_counts=reg.session_confirmed_counts(event) if event.sessions else {},
                           manage=can_manage(viewer, event), organisations=organisations_of(event),
                           ORGANISATION_ROLES=EVENT_ORGANISATION_ROLE_LABELS)


@bp.route("/series/<slug>")
def series(slug: str):
    s = get_series(slug)
    return render_template("events/series.html", series=s, events=queries.series_events(s))
