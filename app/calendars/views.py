from __future__ import annotations

from flask import Response, abort
from flask_login import current_user

from app import security_headers
from app.calendars import services
from app.calendars.bp import bp
from app.events.services import get_series
from app.registrations.services import get_public_event


def _ics(body: bytes, filename: str, private: bool = False) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response


@bp.route("/events/<int:event_id>.ics")
def event(event_id: int):
    viewer = current_user if current_user.is_authenticated else None
    return _ics(services.event_ics(get_public_event(event_id, viewer)), f"event-{event_id}.ics")


@bp.route("/series/<slug>.ics")
def series(slug: str):
    return _ics(services.series_ics(get_series(slug)), f"{slug}.ics")


@bp.route("/feed/<token>.ics")
@security_headers.private_link
def feed(token: str):
    user = services.user_for_feed(token)
    if user is None:
        abort(404)
    return _ics(services.personal_ics(user), "minhang-talent.ics", private=True)
