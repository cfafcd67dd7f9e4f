"""Venue code pages: the screen that shows a checkpoint's rotating code, the printed poster and its
reprint, and /c/<code>, which a person's phone opens on scanning either.

/c/<code> checks the person in on GET, as the camp lessons' projected code always did: a QR
scanned in WeChat opens a page, and one more tap would be one more thing to go wrong at a
crowded door. That is safe enough for this one action: it is idempotent in effect (a repeat is
`already_checked_in`, recorded but counting nothing twice), it only ever checks in the person
signed in, for a code that is theirs to scan, and the session cookie is SameSite=Lax, so
another site can trigger it only by sending the person to the page, never silently (an image
or a frame gets no cookie).
"""
from __future__ import annotations

import time

from flask import current_app, jsonify, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import security_headers
from app.checkin import self_check_in as self_service
from app.checkin import services as checkin
from app.checkin import venue_codes, venue_screen
from app.checkin.bp import bp
from app.checkin.models import ScanResult
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.events import services as ev
from app.timeutil import utcnow
from app.transaction import commit
from app.web import perform, roles_required
from app.accounts.models import Role

staff_only = roles_required(Role.ADMIN, Role.ORGANISER)
# A code read before signing in still counts when the person signs in within this many seconds:
# they were at the venue when they scanned it, however long the sign-in takes.
SIGN_IN_GRACE = 600
_SEEN = "venue_code_seen"


def _managed_checkpoint(checkpoint_id: int):
    checkpoint = checkin.get_checkpoint(checkpoint_id)
    ev.require_manage(current_user, checkpoint.event)
    return checkpoint


# -- the screen ---------------------------------------------------------------
@bp.route("/console/checkpoints/<int:checkpoint_id>/screen")
@staff_only
def venue_screen_page(checkpoint_id: int):
    checkpoint = _managed_checkpoint(checkpoint_id)
    return render_template("checkin/venue_screen.html", title=checkpoint.name, subtitle=checkpoint.event.title,
                           data=venue_screen.screen_data(checkpoint), rotate=venue_codes.ROTATE_SECONDS,
                           json_url=url_for("checkin.venue_screen_json", checkpoint_id=checkpoint.id))


@bp.route("/console/checkpoints/<int:checkpoint_id>/screen.json")
@staff_only
def venue_screen_json(checkpoint_id: int):
    response = jsonify(venue_screen.screen_data(_managed_checkpoint(checkpoint_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


# -- the printed poster -------------------------------------------------------
@bp.route("/console/checkpoints/<int:checkpoint_id>/poster")
@staff_only
def venue_poster(checkpoint_id: int):
    checkpoint = _managed_checkpoint(checkpoint_id)
    response = current_app.make_response(render_template(
        "checkin/venue_poster.html", checkpoint=checkpoint, event=checkpoint.event,
        poster=venue_screen.poster_data(checkpoint)))
    response.headers["Cache-Control"] = "no-store"  # the page holds a code that works until reprinted
    return response


@bp.route("/console/checkpoints/<int:checkpoint_id>/poster", methods=["POST"])
@staff_only
def venue_poster_print(checkpoint_id: int):
    checkpoint = _managed_checkpoint(checkpoint_id)
    return perform(lambda: self_service.print_anew(current_user, checkpoint),  # CSRFProtect guards every POST
                   success=_("A new printed code is ready: print it now. Copies printed before no longer work."),
                   to=url_for("checkin.venue_poster", checkpoint_id=checkpoint.id))


# -- the person's phone -------------------------------------------------------
def _read_at(code: str) -> float | None:
    """When the person first read this code, if they read it before signing in, not long ago."""
    seen = session.pop(_SEEN, None)
    if isinstance(seen, dict) and seen.get("code") == code and isinstance(seen.get("at"), (int, float)):
        if 0 <= time.time() - seen["at"] <= SIGN_IN_GRACE:
            return float(seen["at"])
    return None


@bp.route("/c/<code>")
@security_headers.private_link
def self_check_in(code: str):
    if not current_user.is_authenticated:
        try:
            venue_codes.read(code)
            session[_SEEN] = {"code": code, "at": time.time()}  # a good code: it is honoured after sign-in
        except InvalidInput:
            pass  # the page tells them once they are signed in
        return current_app.login_manager.unauthorized()
    decision, error, status = None, None, 200
    try:
        decision = self_service.self_check_in(current_user, code, at=_read_at(code))
    except (InvalidInput, NotFound) as exc:
        error, status = exc, 400
    except PermissionDenied as exc:
        error, status = exc, 403
    body = render_template("checkin/self_check_in.html", decision=decision, error=error,
                           checkpoint=decision.scan.checkpoint if decision else None, now=utcnow(),
                           ok=ScanResult.OK, again=ScanResult.ALREADY_CHECKED_IN)
    if decision is not None:
        commit()  # the scan, accepted or refused; a refused code leaves nothing to keep
    return body, status
