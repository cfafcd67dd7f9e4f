"""Rosters and mentoring for machines (read only): GET /api/v1/rosters — the roster members a staff
member keeps, with what came through their referral links; GET /api/v1/me/mentoring/sessions —
the sessions of the token user's mentoring pairs, as their mentor."""
from __future__ import annotations

from dataclasses import asdict

from flask import g, jsonify, request
from flask_babel import gettext as _

from app.api.bp import bp
from app.api.views import token_required
from app.errors import InvalidInput, PermissionDenied
from app.mentoring import queries as mentoring
from app.rosters import referrals
from app.rosters import services as rosters
from app.rosters.models import RosterKind


def member_json(member, credit) -> dict:
    return {
        "id": member.id, "kind": member.kind, "name": member.user.name, "mobile_masked": member.user.mobile_masked,
        "organisation": member.organisation.name if member.organisation else None,
        "expertise": member.expertise, "department": member.department.name,
        "term_from": member.term_from.isoformat(), "term_to": member.term_to.isoformat(),
        "status": member.status, "expired": member.expired, "referral_code": member.referral_code,
        "counts": asdict(credit),
    }


@bp.route("/rosters", methods=["GET"])
@token_required
def rosters_list():
    user = g.api_user
    if not user.is_staff:
        raise PermissionDenied()
    kind = request.args.get("kind")
    if kind is not None and kind not in {k.value for k in RosterKind}:
        raise InvalidInput(fields={"kind": _("Choose mentor, ambassador or officer.")}, code="invalid_input")
    members = rosters.members_for(user, RosterKind(kind) if kind else None)
    credit = referrals.credits(members)
    return jsonify(items=[member_json(m, credit[m.id]) for m in members])


@bp.route("/me/mentoring/sessions", methods=["GET"])
@token_required
def my_mentoring_sessions():
    return jsonify(items=[{
        "id": s.id, "pairing": s.pairing_id, "cohort": s.pairing.cohort.name, "founder": s.pairing.founder.name,
        "held_on": s.held_on.isoformat(), "topic": s.topic, "minutes": s.minutes, "follow_up": s.follow_up,
        "rating": s.rating, "rating_comment": s.rating_comment,
    } for s in mentoring.sessions_of_mentor(g.api_user)])
