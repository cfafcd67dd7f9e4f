"""The pitch competitions' blueprint object and the lookups its view modules share (they import
this module; app/pitch/blueprint.py imports them)."""
from __future__ import annotations

from flask import Blueprint

from app.accounts.models import Role
from app.pitch import services as ps
from app.pitch.models import PITCH_STATUS_LABELS, ROUND_KIND_LABELS, ROUND_STATUS_LABELS, PitchCompetition
from app.web import allowed, roles_required

bp = Blueprint("pitch", __name__)
staff = roles_required(Role.ADMIN, Role.ORGANISER)
judges_only = roles_required(Role.JUDGE)


def run_competition(pitch_id: int) -> PitchCompetition:
    return allowed(ps.get_competition(pitch_id), ps.require_run)


@bp.app_context_processor
def _pitch_labels():
    return {"PITCH_STATUS_LABELS": PITCH_STATUS_LABELS, "ROUND_KIND_LABELS": ROUND_KIND_LABELS,
            "ROUND_STATUS_LABELS": ROUND_STATUS_LABELS}
