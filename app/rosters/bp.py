"""The rosters blueprint objects: the console pages (organisers), and the people's own pages and
the public referral link (view modules import this module; app/rosters/blueprint.py imports them)."""
from __future__ import annotations

from flask import Blueprint

from app.rosters.models import KIND_LABELS, STATUS_LABELS

bp = Blueprint("rosters", __name__)


@bp.app_context_processor
def _roster_labels():
    return {"ROSTER_KINDS": KIND_LABELS, "ROSTER_STATUSES": STATUS_LABELS}
