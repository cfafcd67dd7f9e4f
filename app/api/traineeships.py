"""Traineeships in API v1: batches, their places and placements for the staff who run them, and
the host portal's applicants with accept and decline for a host company's contacts."""
from __future__ import annotations

from flask import g

from app.api.bp import bp
from app.api.payload import Payload, json_object
from app.api.views import committed, token_required
from app.errors import PermissionDenied
from app.timeutil import iso
from app.traineeships import batches, placements, review
from app.traineeships.models import ApplicationChoice, Placement, TraineeshipBatch, TraineeshipPlace


def place_json(place: TraineeshipPlace) -> dict:
    return {"id": place.id, "batch_id": place.batch_id, "host": {"id": place.host_id, "name": place.host.name},
            "position": place.position, "openings": place.openings, "months": place.months,
            "monthly_allowance": place.monthly_allowance, "status": place.status,
            "description": place.description, "requirements": place.requirements}


def batch_json(batch: TraineeshipBatch, detail: bool = False) -> dict:
    data = {"id": batch.id, "title": batch.title, "kind": batch.kind, "year": batch.year, "season": batch.season,
            "status": batch.status, "department": batch.department.name, "event_id": batch.event_id,
            "applications_open_at": iso(batch.applications_open_at),
            "applications_close_at": iso(batch.applications_close_at),
            "starts_on": batch.starts_on.isoformat(), "ends_on": batch.ends_on.isoformat(),
            "max_choices": batch.max_choices}
    if detail:
        data["eligibility"] = batch.eligibility or {}
        data["places"] = [place_json(p) for p in batch.places]
    return data


def placement_json(placement: Placement) -> dict:
    """A placement as every endpoint answers it (the bureau's reads and the host portal's actions)."""
    return {"id": placement.id, "status": placement.status, "place_id": placement.place_id,
            "host": {"id": placement.host_id, "name": placement.host.name},
            "trainee": {"id": placement.user_id, "name": placement.user.name,
                        "mobile_masked": placement.user.mobile_masked},
            "choice_rank": placement.choice.rank, "starts_on": placement.starts_on.isoformat(),
            "ends_on": placement.ends_on.isoformat(), "registration_id": placement.registration_id,
            "retained": placement.retained,
            "retained_from": placement.retained_from.isoformat() if placement.retained_from else None}


def applicant_json(choice: ApplicationChoice) -> dict:
    application = choice.application
    return {"choice_id": choice.id, "place_id": choice.place_id, "rank": choice.rank, "status": choice.status,
            "reason": choice.reason, "name": application.user.name, "mobile_masked": application.user.mobile_masked,
            "school": application.school_name, "major": application.major,
            "graduation_year": application.graduation_year, "application_status": application.status}


def _staff() -> None:
    if not g.api_user.is_staff:
        raise PermissionDenied()


@bp.route("/traineeships/batches")
@token_required
def traineeship_batches():
    _staff()
    return committed({"items": [batch_json(b) for b in batches.batches_for(g.api_user)]})


@bp.route("/traineeships/batches/<int:batch_id>")
@token_required
def traineeship_batch(batch_id: int):
    batch = batches.get_batch(batch_id)
    batches.require_run(g.api_user, batch)
    return committed(batch_json(batch, detail=True))


@bp.route("/traineeships/batches/<int:batch_id>/placements")
@token_required
def traineeship_placements(batch_id: int):
    batch = batches.get_batch(batch_id)
    batches.require_run(g.api_user, batch)
    return committed({"items": [placement_json(p) for p in placements.placements_of(batch)]})


@bp.route("/host/applicants")
@token_required
def host_applicants():
    """The applicants to the token's user's host companies' places (none for anybody else)."""
    return committed({"items": [applicant_json(c) for place in review.places_of(g.api_user)
                                for c in review.applicants(g.api_user, place)]})


@bp.route("/host/choices/<int:choice_id>/accept", methods=["POST"])
@token_required
def host_accept_api(choice_id: int):
    placement = review.accept(g.api_user, review.get_choice(choice_id))
    body = placement_json(placement)
    return committed(body, 201)


@bp.route("/host/choices/<int:choice_id>/decline", methods=["POST"])
@token_required
def host_decline_api(choice_id: int):
    choice = review.get_choice(choice_id)
    review.require_host(g.api_user, choice.place)
    p = Payload(json_object())
    reason = p.str("reason", required=True, max_length=300)
    p.done()
    review.decline(g.api_user, choice, reason=reason)
    return committed(applicant_json(choice))
