"""Check-in endpoints of API v1: single scans from online scanners, batches from offline ones."""
from __future__ import annotations

import json

from flask import current_app, g, jsonify
from flask_babel import gettext as _

from app.api.views import _json_body, bp, token_required
from app.checkin import services as checkin
from app.errors import InvalidInput, PermissionDenied
from app.events.services import can_manage
from app.timeutil import iso, parse_iso
from app.transaction import commit

MAX_BATCH = 500


def _decision_json(decision: checkin.Decision) -> dict:
    body = {"result": decision.result.value, "message": decision.message, "scan_id": decision.scan.id}
    if decision.registration is not None:
        user = decision.registration.user
        body["attendee"] = {"name": user.name, "mobile_masked": user.mobile_masked}
    if decision.first is not None:
        body["first_checked_in_at"] = iso(decision.first.scanned_at)
        body["first_device"] = decision.first.device
    return body


def _parse_scan(item, errors: dict, prefix: str = "") -> dict | None:
    if not isinstance(item, dict):
        errors[prefix or "body"] = _("Each scan is a JSON object.")
        return None
    parsed = {}
    token, checkpoint = item.get("token"), item.get("checkpoint")
    if not isinstance(token, str) or not token:
        errors[prefix + "token"] = _("The scanned code is missing.")
    if not isinstance(checkpoint, int) or isinstance(checkpoint, bool):
        errors[prefix + "checkpoint"] = _("Give the checkpoint id.")
    direction = item.get("direction", "in")
    if direction not in ("in", "out"):
        errors[prefix + "direction"] = _("Direction is in or out.")
    scanned_at = None
    if item.get("scanned_at"):
        try:
            scanned_at = parse_iso(str(item["scanned_at"]))
        except ValueError:
            errors[prefix + "scanned_at"] = _("Use an ISO 8601 time such as 2026-05-18T09:00:00+08:00.")
    nonce, device = item.get("nonce"), item.get("device", "")
    if nonce is not None and (not isinstance(nonce, str) or not 1 <= len(nonce) <= 64):
        errors[prefix + "nonce"] = _("A nonce is a string of at most 64 characters.")
    if not isinstance(device, str):
        errors[prefix + "device"] = _("Must be a string.")
    parsed.update(token=token, checkpoint=checkpoint, direction=direction, scanned_at=scanned_at,
                  nonce=nonce, device=device if isinstance(device, str) else "")
    return parsed


def _checkpoint_for(checkpoint_id: int):
    checkpoint = checkin.get_checkpoint(checkpoint_id)
    if not can_manage(g.api_user, checkpoint.event):
        raise PermissionDenied()
    return checkpoint


def _decide(item: dict) -> checkin.Decision:
    return checkin.scan(_checkpoint_for(item["checkpoint"]), item["token"], direction=item["direction"],
                        scanned_at=item["scanned_at"], nonce=item["nonce"], device=item["device"],
                        scanner=g.api_user)


@bp.route("/checkins", methods=["POST"])
@token_required
def checkin_one():
    errors: dict = {}
    item = _parse_scan(_json_body(), errors)
    if errors:
        raise InvalidInput(fields=errors, code="malformed")
    decision = _decide(item)
    body = _decision_json(decision)  # before the commit expires what it reads
    commit()
    return jsonify(body)


@bp.route("/checkins/batch", methods=["POST"])
@token_required
def checkin_batch():
    """A device's queued offline scans, in the order it made them; idempotent by nonce."""
    body = _json_body()
    scans, device = body.get("scans"), body.get("device", "")
    if not isinstance(scans, list) or not 1 <= len(scans) <= MAX_BATCH:
        raise InvalidInput(fields={"scans": _("Send between 1 and %(n)s scans.", n=MAX_BATCH)}, code="malformed")
    errors: dict = {}
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
        decision = _decide(item)
        result = _decision_json(decision) | {"nonce": item["nonce"]}
        if checkin.is_conflict(decision):
            result["conflict"] = True
            conflicts.append({"nonce": item["nonce"], "attendee": result.get("attendee"),
                              "first_device": decision.first.device,
                              "first_checked_in_at": iso(decision.first.scanned_at)})
        results.append(result)
    commit()
    return jsonify(results=results, conflicts=conflicts)


@bp.route("/checkpoints/<int:checkpoint_id>/roster", methods=["GET"])
@token_required
def checkpoint_roster(checkpoint_id: int):
    data = checkin.roster(_checkpoint_for(checkpoint_id))
    commit()  # the event's key pair may have just been created
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    return response
