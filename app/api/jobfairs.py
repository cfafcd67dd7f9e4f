"""Job fairs in API v1: a published fair's employers and positions (public, as its booths show
them), and for an employer's contact the candidates at their booths whose consent stands, with
outcome marks. Nobody else's candidates, and never a pending or withdrawn one."""
from __future__ import annotations

from flask import g

from app.api.bp import bp
from app.api.payload import Payload, json_object
from app.api.views import committed, envelope, page_of, token_required
from app.jobfairs import consent, fairs, portal
from app.jobfairs.models import FairEmployer, Interest, Outcome, Position
from app.timeutil import iso


def position_json(position: Position) -> dict:
    return {"id": position.id, "title": position.title, "openings": position.openings,
            "education": position.education, "major": position.major, "salary_min": position.salary_min,
            "salary_max": position.salary_max, "location": position.location}


def employer_json(employer: FairEmployer) -> dict:
    return {"id": employer.id, "booth": employer.booth,
            "organisation": {"id": employer.organisation_id, "name": employer.organisation.name},
            "positions": [position_json(p) for p in employer.positions]}


def candidate_json(interest: Interest, standings: dict | None = None) -> dict:
    """`standings`: consent.standing_of() the list the interest is in (portal.mobile_shown)."""
    return {"id": interest.id, "event_id": interest.employer.event_id, "booth": interest.employer.booth,
            "organisation_id": interest.employer.organisation_id, "name": interest.name,
            "mobile": portal.mobile_shown(interest, standings), "education": interest.education,
            "school": interest.school, "major": interest.major, "positions": [p.id for p in interest.positions],
            "has_cv": bool(interest.cv_file), "shared_at": iso(interest.created_at),
            "outcome": portal.outcome_of(interest)}


@bp.route("/jobfairs/<int:event_id>/positions")
def jobfair_positions(event_id: int):
    event = fairs.get_shown_fair(event_id)
    return committed({"event_id": event.id, "title": event.title, "kind": event.kind,
                      "items": [employer_json(e) for e in fairs.employers_of(event)]})


@bp.route("/employer/interests")
@token_required
def employer_interests():
    """A page of the candidates at the token user's employers' booths (consent standing), newest
    first; audited when a full mobile number is in the answer."""
    found = page_of(portal.visible_interests_query(g.api_user))
    shown = found.items
    standings = consent.standing_of(shown)
    body = envelope(found, [candidate_json(i, standings) for i in shown])
    portal.audit_view(g.api_user, shown, "api", standings)
    return committed(body)


@bp.route("/employer/interests/<int:interest_id>/outcome", methods=["POST"])
@token_required
def employer_interest_outcome(interest_id: int):
    interest = portal.get_visible(g.api_user, interest_id)
    p = Payload(json_object())
    outcome = p.choice("outcome", [o.value for o in Outcome if o is not Outcome.NONE], required=True)
    note = p.str("note", max_length=300, default="")
    p.done()
    portal.mark(g.api_user, interest, outcome, note or "")
    return committed(candidate_json(interest))
