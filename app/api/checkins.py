"""Check-in endpoints of API v1: single scans from online scanners, batches from offline ones."""
from __future__ import annotations

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _

from app.api.bp import bp
from app.api.payload import Payload, json_object
from app.api.views import committed, scanner_required
from app.checkin import roster as rosters
from app.checkin import services as checkin
from app.checkin import ticket_scan
from app.checkin.models import Scan
from app.errors import InvalidInput, PermissionDenied
from app.timeutil import iso
from app.transaction import commit

MAX_BATCH = 500
MAX_TOKEN = 300  # a ticket code is 100 characters, a personal code (我的码) 242


def _decision_json(decision: checkin.Decision) -> dict:
    body = {"result": decision.result.value, "message": decision.message, "scan_id": decision.scan.id,
            "direction": decision.scan.direction}
    if decision.registration is not None:
        user = decision.registration.user
        body["attendee"] = {"name": user.name, "mobile_masked": user.mobile_masked}
    if decision.first is not None:
        body["first_checked_in_at"] = iso(decision.first.scanned_at)
        body["first_device"] = decision.first.device
        body["first_place"] = checkin.door_name(decision.first)
    if decision.entry is not None:
        body["entered_at"] = iso(decision.entry.scanned_at)
    return body


def _parse_scan(item, errors: dict, prefix: str = "") -> dict | None:
    if not isinstance(item, dict):
        errors[prefix.rstrip(".") or "body"] = _("Each scan is a JSON object.")
        return None
    p = Payload(item, prefix=prefix, errors=errors)
    token = p.str("token", max_length=MAX_TOKEN)
    registration = p.id("registration")  # a manual check-in, picked from the list by name
    if registration is not None and token is not None:
        p.error("registration", _("Give either the scanned code or a registration id."))
    elif registration is None and item.get("registration") is None and not token:
        p.error("token", _("The scanned code is missing."))
    checkpoint = p.id("checkpoint", required=True)
    direction = p.choice("direction", ["in", "out"], default="in")
    scanned_at = p.datetime("scanned_at")
    nonce = p.str("nonce", max_length=Scan.nonce.type.length, allow_empty=False)
    device = p.str("device", column=Scan.device, default="")
    return {"token": token, "registration": registration, "checkpoint": checkpoint, "direction": direction,
            "scanned_at": scanned_at, "nonce": nonce, "device": device}


def _checkpoint_for(checkpoint_id: int):
    checkpoint = checkin.get_checkpoint(checkpoint_id)
    if not g.scanner.allows(checkpoint):
        raise PermissionDenied()
    return checkpoint


def _decide(item: dict) -> checkin.Decision:
    return checkin.scan(_checkpoint_for(item["checkpoint"]), item["token"], direction=item["direction"],
                        scanned_at=item["scanned_at"], nonce=item["nonce"], device=item["device"],
                        scanner=g.scanner.user, link=g.scanner.link, registration_id=item["registration"])


def _ticket_json(decision: ticket_scan.TicketDecision) -> dict:
    """_decision_json of the same scan decided by services.scan() (an entry, with its attendee)."""
    body = {"result": decision.result.value, "message": decision.result.message, "scan_id": decision.scan_id,
            "direction": checkin.IN, "attendee": {"name": decision.name, "mobile_masked": decision.mobile_masked}}
    if decision.first is not None:
        body["first_checked_in_at"] = iso(decision.first.scanned_at)
        body["first_device"] = decision.first.device
        body["first_place"] = decision.first_place
    return body


def _decide_ticket(item: dict) -> ticket_scan.TicketDecision | None:
    """A plain ticket scanned in (most of a door's scans) decided in Core statements, or None
    for services.scan() to decide (app.checkin.ticket_scan)."""
    if item["registration"] is not None:
        return None
    ticket = ticket_scan.ticket_at(item["checkpoint"], item["token"], item["direction"])
    if ticket is None:
        return None
    point = ticket.point
    if not g.scanner.allows_at(point.id, point.event_id, point.department_id):
        raise PermissionDenied()
    decision = ticket_scan.scan_ticket(ticket, scanned_at=item["scanned_at"], nonce=item["nonce"],
                                       device=item["device"], scanner_id=getattr(g.scanner.user, "id", None),
                                       link_id=getattr(g.scanner.link, "id", None))
    return decision


@bp.route("/checkins", methods=["POST"])
@scanner_required
def checkin_one():
    errors: dict = {}
    item = _parse_scan(json_object(), errors)
    if errors:
        raise InvalidInput(fields=errors, code="malformed")
    ticket = _decide_ticket(item)
    return committed(_ticket_json(ticket) if ticket is not None else _decision_json(_decide(item)))


@bp.route("/checkins/batch", methods=["POST"])
@scanner_required
def checkin_batch():
    """A device's queued offline scans, in the order it made them; idempotent by nonce."""
    body = json_object()
    scans = body.get("scans")
    if not isinstance(scans, list) or not 1 <= len(scans) <= MAX_BATCH:
        raise InvalidInput(fields={"scans": _("Send between 1 and %(n)s scans.", n=MAX_BATCH)}, code="malformed")
    errors: dict = {}
    device = Payload(body, errors=errors).str("device", column=Scan.device, default="")
    items = []
    for n, raw in enumerate(scans):
        if isinstance(raw, dict) and device and not raw.get("device"):
            raw = dict(raw, device=device)
        item = _parse_scan(raw, errors, prefix=f"scans.{n}.")
        if item is not None and not item["nonce"]:
            errors[f"scans.{n}.nonce"] = _("Queued scans need a nonce, so a retried upload is not counted twice.")
        items.append(item)
    if errors:
        raise InvalidInput(fields=errors, code="malformed")
    results, conflicts = [], []
    for item in items:
        ticket = _decide_ticket(item)
        if ticket is not None:
            result, first, conflict = _ticket_json(ticket), ticket.first, ticket.conflict
        else:
            decision = _decide(item)
            result, first, conflict = _decision_json(decision), decision.first, checkin.is_conflict(decision)
        result["nonce"] = item["nonce"]
        if conflict:
            result["conflict"] = True
            conflicts.append({"nonce": item["nonce"], "attendee": result.get("attendee"),
                              "first_device": first.device, "first_checked_in_at": iso(first.scanned_at)})
        results.append(result)
    return committed({"results": results, "conflicts": conflicts})


@bp.route("/checkpoints/<int:checkpoint_id>/roster", methods=["GET"])
@scanner_required
def checkpoint_roster(checkpoint_id: int):
    """The roster with a strong ETag: a scanner polling with If-None-Match gets 304 and no body
    while nothing in it changed."""
    body = rosters.roster_body(_checkpoint_for(checkpoint_id))
    commit()  # the event's key pair may have just been created
    if body.etag in request.if_none_match:
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(body.text, mimetype="application/json")
    response.set_etag(body.etag)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/checkpoints/<int:checkpoint_id>/stats", methods=["GET"])
@scanner_required
def checkpoint_stats(checkpoint_id: int):
    summary = checkin.checkpoint_attendance(_checkpoint_for(checkpoint_id))
    return jsonify(checkpoint=checkpoint_id, expected=summary.expected, checked_in=summary.checked_in)


@bp.route("/scanner", methods=["GET"])
@scanner_required
def scanner_setup():
    """What the scanner page needs after opening a link: the event and the checkpoints it may scan."""
    link = g.scanner.link
    if link is None:
        raise InvalidInput(_("Open the scanner through a scanner link."), code="not_a_scanner_link")
    event = link.event
    points = []
    for c in g.scanner.checkpoints(checkin.door_checkpoints(event)):
        opens, closes = checkin.window(c)
        points.append({"id": c.id, "name": c.name, "session": c.session_id, "opens_at": iso(opens),
                       "closes_at": iso(closes), "allow_reentry": c.allow_reentry,
                       "self_check_in": c.self_check_in})
    return jsonify(label=link.label, expires_at=iso(link.expires_at),
                   event={"id": event.id, "title": event.title, "venue": event.venue,
                          "starts_at": iso(event.starts_at)},
                   checkpoints=points)
