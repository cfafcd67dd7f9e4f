"""Traineeships in API v1: the host portal's actions on a placement under way (confirm a month,
evaluate, decide 留用) by a contact of the host, and the bureau's reads (a batch's months not
confirmed, 留用率 with the flagged hosts). The same services as the pages decide who may."""
from __future__ import annotations

from datetime import date

from flask import g, jsonify
from flask_babel import gettext as _

from app.api.bp import bp
from app.api.payload import Payload, json_object
from app.api.traineeships import placement_json
from app.api.views import committed, token_required
from app.errors import PermissionDenied
from app.traineeships import batches, evaluations, months, retention
from app.traineeships.evaluations import STAGES
from app.traineeships.models import Placement
from app.traineeships.scope import get_placement, require_contact_of


def _own(placement_id: int) -> Placement:
    placement = get_placement(placement_id)
    require_contact_of(g.api_user, placement)
    return placement


def _date(p: Payload, key: str) -> date | None:
    value = p.str(key, max_length=10)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        p.error(key, _("A date such as 2026-10-01."))
        return None


@bp.route("/host/placements/<int:placement_id>/months", methods=["POST"])
@token_required
def traineeship_month(placement_id: int):
    placement = _own(placement_id)
    p = Payload(json_object())
    month = p.str("month", required=True, max_length=7)
    present, absent = p.int("present_days", required=True, maximum=31), p.int("absent_days", maximum=31, default=0)
    note = p.str("note", max_length=300, default="")
    p.done()
    row = months.confirm_month(g.api_user, placement, month, present_days=present, absent_days=absent, note=note)
    body = {"placement": placement.id, "month": row.month.isoformat()[:7], "present_days": row.present_days,
            "absent_days": row.absent_days, "note": row.note}
    return committed(body)


@bp.route("/host/placements/<int:placement_id>/evaluations", methods=["POST"])
@token_required
def traineeship_evaluate(placement_id: int):
    placement = _own(placement_id)
    p = Payload(json_object())
    stage = p.choice("stage", STAGES, required=True)
    scores = p.object("scores", required=True)
    comment = p.str("comment", max_length=2000, default="")
    p.done()
    evaluation = evaluations.evaluate(g.api_user, placement, stage, scores, comment=comment)
    body = {"placement": placement.id, "stage": evaluation.stage, "scores": evaluation.scores,
            "total": evaluations.total(evaluation), "comment": evaluation.comment}
    return committed(body, 201)


@bp.route("/host/placements/<int:placement_id>/retention", methods=["POST"])
@token_required
def traineeship_retention(placement_id: int):
    placement = _own(placement_id)
    p = Payload(json_object())
    retained = p.body.get("retained")
    if not isinstance(retained, bool):
        p.error("retained", _("Must be true or false."))
    retained_from = _date(p, "retained_from")
    p.done()
    retention.decide(g.api_user, placement, retained=retained, retained_from=retained_from)
    return committed(placement_json(placement))


@bp.route("/traineeships/batches/<int:batch_id>/unconfirmed-months", methods=["GET"])
@token_required
def traineeship_unconfirmed_months(batch_id: int):
    batch = batches.get_batch(batch_id)
    batches.require_run(g.api_user, batch)
    missing = months.unconfirmed_months(Placement.batch_id == batch.id, first=batch.starts_on)
    return jsonify(items=[{"placement": m.placement.id, "host": {"id": m.host.id, "name": m.host.name},
                           "month": m.month.isoformat()[:7], "due": m.due.isoformat(), "overdue": m.overdue}
                          for m in missing])


@bp.route("/traineeships/retention", methods=["GET"])
@token_required
def traineeship_retention_rates():
    if not g.api_user.is_staff:
        raise PermissionDenied()
    rows = retention.rates()
    return jsonify(
        threshold=float(retention.THRESHOLD),
        items=[{"host": {"id": r.host_id, "name": r.host_name}, "year": r.year, "completed": r.completed,
                "retained": r.retained, "rate": round(float(r.rate), 4), "low": r.low} for r in rows],
        flagged=[{"host": {"id": f.host_id, "name": f.host_name}, "years": [y.year for y in f.years]}
                 for f in retention.flagged(rows)])
