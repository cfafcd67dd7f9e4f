"""The follow-up surveys' blueprint object, its access decorator and labels (view modules import
this module; app/followups/blueprint.py imports them). Two audiences: the people asked (/f/<token>,
/me/followups) and the bureau's console (/console/followups)."""
from __future__ import annotations

from flask import Blueprint

from app.accounts.models import Role
from app.followups.models import KIND_LABELS, STATUS_LABELS, WORKING_LABELS
from app.web import roles_required

bp = Blueprint("followups", __name__)
staff = roles_required(Role.ADMIN, Role.ORGANISER)  # the services check the programme's department too


@bp.app_context_processor
def _followup_labels():
    return {"FOLLOWUP_KINDS": KIND_LABELS, "FOLLOWUP_STATUSES": STATUS_LABELS, "FOLLOWUP_WORKING": WORKING_LABELS}
