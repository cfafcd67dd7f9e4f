"""Check-in pages: the scanner (for volunteers with a scanner link), scanner links and checkpoint
rules in the console, and the live check-in wall for a projector."""
from __future__ import annotations

from flask import current_app, jsonify, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app import security_headers
from app.accounts.models import Role
from app.checkin import links, wall
from app.checkin import services as checkin
from app.checkin.bp import bp
from app.checkin.forms import CheckpointForm, ScannerLinkForm
from app.checkin.models import SCAN_MESSAGES
from app.events import queries as event_queries
from app.events import services as ev
from app.tickets.services import qr_data_uri
from app.timeutil import local_to_utc, to_local, utcnow
from app.urls import public_url
from app.web import perform, roles_required

staff_only = roles_required(Role.ADMIN, Role.ORGANISER)
_NEW_LINK = "new_scanner_link"


def _managed_event(event_id: int):
    return event_queries.managed_event(current_user, event_id)


def scanner_url(secret: str) -> str:
    # The secret travels in the fragment: browsers never send it to the server or in Referer.
    return public_url("checkin.scanner", _anchor="k=" + secret)


# -- the scanner page ---------------------------------------------------------
@bp.route("/scan/")
@security_headers.camera
@security_headers.private_link
def scanner():
    """One static page for every scanner link; the link's secret in the fragment says what it
    may scan. The page works offline once it has loaded its roster."""
    messages = {result.value: str(message) for result, message in SCAN_MESSAGES.items()}
    return render_template("checkin/scanner.html", scan_messages=messages)


@bp.route("/scan/sw.js")
def service_worker():
    # Served from /scan/ (not /static/) so that its scope covers the scanner page.
    response = current_app.send_static_file("js/offline-sw.js")
    response.headers["Cache-Control"] = "no-cache"
    return response


# -- scanner links (console) --------------------------------------------------
@bp.route("/console/events/<int:event_id>/scanners", methods=["GET", "POST"])
@staff_only
def scanner_links(event_id: int):
    event = _managed_event(event_id)
    points = checkin.door_checkpoints(event)
    form = ScannerLinkForm()
    form.checkpoint_id.choices = [SelectChoice(0, _("Any checkpoint of this event"))] + [
        SelectChoice(c.id, c.name) for c in points]

    def create():
        checkpoint = next((c for c in points if c.id == form.checkpoint_id.data), None)
        link, secret = links.create_link(current_user, event, label=form.label.data, hours=form.hours.data,
                                         checkpoint=checkpoint)
        session[_NEW_LINK] = {"id": link.id, "secret": secret}
        return link

    if form.validate_on_submit() and (done := perform(
            create, form=form, success=_("Scanner link created. Show or print its QR code now: it is shown only once."),
            to=lambda link: url_for("checkin.scanner_link", link_id=link.id))):
        return done
    return render_template("checkin/links.html", event=event, form=form, links=links.event_links(event),
                           now=utcnow())


@bp.route("/console/scanner-links/<int:link_id>")
@staff_only
def scanner_link(link_id: int):
    link = links.get_link(link_id)
    ev.require_manage(current_user, link.event)
    fresh = session.pop(_NEW_LINK, None)
    url = scanner_url(fresh["secret"]) if fresh and fresh["id"] == link.id else None
    return render_template("checkin/link.html", link=link, event=link.event, url=url,
                           qr_src=qr_data_uri(url) if url else None)


@bp.route("/console/scanner-links/<int:link_id>/revoke", methods=["POST"])
@staff_only
def scanner_link_revoke(link_id: int):
    link = links.get_link(link_id)
    return perform(lambda: links.revoke_link(current_user, link),  # CSRFProtect guards every POST
                   success=_("The link is revoked: its scanner stops working at its next scan."), category="info",
                   to=url_for("checkin.scanner_links", event_id=link.event_id))


@bp.route("/console/events/<int:event_id>/scanner", methods=["POST"])
@staff_only
def own_scanner(event_id: int):
    event = _managed_event(event_id)
    return perform(lambda: links.own_scanner(current_user, event), success="", to=scanner_url,
                   refused_to=url_for("checkin.scanner_links", event_id=event.id))


# -- checkpoint rules ---------------------------------------------------------
@bp.route("/console/checkpoints/<int:checkpoint_id>", methods=["GET", "POST"])
@staff_only
def checkpoint_settings(checkpoint_id: int):
    checkpoint = checkin.get_checkpoint(checkpoint_id)
    ev.require_manage(current_user, checkpoint.event)
    form = CheckpointForm(obj=checkpoint)
    if not form.is_submitted():
        form.opens_at.data = to_local(checkpoint.opens_at).replace(tzinfo=None) if checkpoint.opens_at else None
        form.closes_at.data = to_local(checkpoint.closes_at).replace(tzinfo=None) if checkpoint.closes_at else None
    if form.validate_on_submit() and (done := perform(
            lambda: checkin.update_checkpoint(
                current_user, checkpoint,
                opens_at=local_to_utc(form.opens_at.data),
                closes_at=local_to_utc(form.closes_at.data),
                allow_reentry=form.allow_reentry.data, admit_pending=form.admit_pending.data,
                self_check_in=form.self_check_in.data, venue_code=form.venue_code.data),
            form=form, success=_("Check-in rules saved."),
            to=url_for("console.attendance", event_id=checkpoint.event_id))):
        return done
    opens, closes = checkin.window(checkpoint)
    return render_template("checkin/checkpoint_form.html", form=form, checkpoint=checkpoint,
                           event=checkpoint.event, opens=opens, closes=closes)


# -- live wall ----------------------------------------------------------------
@bp.route("/console/events/<int:event_id>/wall")
@security_headers.frameable
@staff_only
def wall_page(event_id: int):
    event = _managed_event(event_id)
    return render_template("checkin/wall.html", event=event, data=wall.wall_data(event))


@bp.route("/console/events/<int:event_id>/wall.json")
@staff_only
def wall_json(event_id: int):
    response = jsonify(wall.wall_data(_managed_event(event_id)))
    response.headers["Cache-Control"] = "no-store"
    return response
