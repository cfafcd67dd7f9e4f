"""The 感受度 surveys' blueprint object, its access decorators and labels (view modules import this
module; app/satisfaction/blueprint.py imports them). Two audiences: the people asked (/s/<token>,
/me/surveys) and the bureau's console (/console/satisfaction)."""
from __future__ import annotations

from flask import Blueprint

from app.accounts.models import Role
from app.satisfaction.models import ASKED_LABELS, KIND_LABELS
from app.web import roles_required

bp = Blueprint("satisfaction", __name__)
staff = roles_required(Role.ADMIN, Role.ORGANISER)  # the services check the occasion's department too
admins = roles_required(Role.ADMIN)


@bp.app_context_processor
def _satisfaction_labels():
    return {"SATISFACTION_KINDS": KIND_LABELS, "SATISFACTION_ASKED": ASKED_LABELS}
