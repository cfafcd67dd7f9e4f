"""Online events in API v1: an event's online part as the calling registrant sees it (the stream
only when their join page would show it), and the organisers' online attendance with the
per-university figures. The same services as the pages decide."""
from __future__ import annotations

from flask import g, jsonify

from app.api.bp import bp
from app.api.views import token_required
from app.errors import NotFound
from app.events.queries import managed_event
from app.events.services import get_event
from app.online import figures, presence
from app.registrations.join_links import join_url
from app.online.parts import stream_for
from app.registrations import services as reg
from app.timeutil import iso


@bp.route("/events/<int:event_id>/online", methods=["GET"])
@token_required
def online_part(event_id: int):
    event = get_event(event_id)
    registration = reg.registration_of(g.api_user, event)
    if registration is None or not event.has_online or not event.is_published:
        raise NotFound(code="not_registered")  # as absent as an event without an online part
    view = stream_for(registration)
    stay = presence.presence_of(registration)
    part = view.part
    threshold = part.attended_minutes if part else None
    return jsonify({
        "event_id": event.id, "format": event.format, "status": registration.status,
        "confirmed": view.confirmed, "reveal_at": iso(view.reveal_at), "revealed": view.revealed,
        "ended": view.ended, "stream_url": view.stream_url, "access_code": view.access_code,
        "replay_url": view.replay_url, "join_url": join_url(registration) if view.confirmed else None,
        "attended_minutes": threshold, "online_seconds": stay.seconds if stay else 0,
        "attended_online": bool(stay and threshold and stay.seconds >= threshold * 60),
    })


@bp.route("/events/<int:event_id>/online/attendance", methods=["GET"])
@token_required
def online_attendance(event_id: int):
    event = managed_event(g.api_user, event_id)
    summary = figures.summary(event)
    universities = [{"organisation_id": row.invitation.organisation_id, "name": row.name, "link_opens": row.opens,
                     "people": row.people, "registered": row.registered, "attended_onsite": row.onsite,
                     "attended_online": row.online} for row in figures.university_rows(g.api_user, event)]
    return jsonify({
        "event_id": event.id, "format": event.format, "attended_minutes": summary.threshold_minutes,
        "confirmed": summary.confirmed, "attended_onsite": summary.onsite, "joined_online": summary.joined_online,
        "attended_online": summary.online, "attended_either": summary.either, "universities": universities,
    })
