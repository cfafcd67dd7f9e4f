from __future__ import annotations

from flask import Response, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import security_headers
from app.extensions import limiter
from app.registrations import services as reg
from app.tickets import queries, services
from app.tickets.bp import bp
from app.transaction import commit
from app.web import perform


def _no_store(response: Response) -> Response:
    # A private link: keep it out of shared caches and referrers.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/t/<secret>")
@security_headers.private_link
def show(secret: str):
    registration = reg.registration_by_secret(secret)
    token = services.ticket_token(registration) if services.has_ticket(registration) else None
    commit()  # the event's signing key may have just been created
    html = render_template("tickets/show.html", registration=registration, event=registration.event,
                           token=token, qr_src=services.qr_data_uri(token) if token else None,
                           position=reg.waitlist_position(registration),
                           bookings=reg.active_bookings(registration),
                           session_positions=reg.session_positions([registration]),
                           can_edit=reg.can_edit(registration),
                           owner=current_user.is_authenticated and current_user.id == registration.user_id)
    return _no_store(Response(html))


@bp.route("/t/<secret>/ticket.png")
@security_headers.private_link
def image(secret: str):
    registration = reg.registration_by_secret(secret)
    if not services.has_ticket(registration):
        abort(404)
    png = services.ticket_png(registration)
    commit()  # the event's signing key may have just been created
    response = Response(png, mimetype="image/png")
    filename = f"ticket-{registration.event_id}-{registration.id}.png"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_store(response)


@bp.route("/t/<secret>/resend", methods=["POST"])
@security_headers.private_link
@limiter.limit("3 per hour")
def resend(secret: str):
    registration = reg.registration_by_secret(secret)
    if registration.user.email:
        said, category = _("The ticket link has been sent to %(email)s.",
                           email=registration.user.email_masked), "success"
    else:
        said, category = _("Your account has no email address. Add one in your profile to receive ticket "
                           "links by email."), "info"
    return perform(lambda: services.resend(registration), success=said, category=category,
                   to=url_for("tickets.show", secret=registration.ticket_secret))


@bp.route("/me/registrations/<int:registration_id>/ticket/reset", methods=["POST"])
@login_required
def reset(registration_id: int):
    registration = queries.own_ticket(current_user, registration_id)
    return perform(lambda: services.reset(registration),
                   success=_("Your ticket has a new link and a new code; the old ones no longer work."),
                   to=lambda _none: url_for("tickets.show", secret=registration.ticket_secret))  # the new link
