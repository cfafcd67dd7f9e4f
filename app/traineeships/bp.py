"""The traineeships blueprint object, its access decorator and labels (view modules import this
module; app/traineeships/blueprint.py imports them). One blueprint, three audiences: the bureau's
console (/console/traineeships), the host companies' portal (/host) and the young people's
pages (/traineeships, /me/traineeships)."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from app.accounts.models import Role
from app.traineeships import review
from app.traineeships.applying import EDUCATION_LABELS
from app.traineeships.models import (
    APPLICATION_STATUS_LABELS,
    BATCH_STATUS_LABELS,
    CHOICE_STATUS_LABELS,
    KIND_LABELS,
    PLACE_STATUS_LABELS,
    PLACEMENT_STATUS_LABELS,
    SEASON_LABELS,
)
from app.web import roles_required

bp = Blueprint("traineeships", __name__)
staff = roles_required(Role.ADMIN, Role.ORGANISER)  # the services check the batch's department too


@bp.app_context_processor
def _traineeship_labels():
    return {"TRAINEESHIP_KINDS": KIND_LABELS, "SEASONS": SEASON_LABELS, "BATCH_STATUSES": BATCH_STATUS_LABELS,
            "PLACE_STATUSES": PLACE_STATUS_LABELS, "APPLICATION_STATUSES": APPLICATION_STATUS_LABELS,
            "CHOICE_STATUSES": CHOICE_STATUS_LABELS, "PLACEMENT_STATUSES": PLACEMENT_STATUS_LABELS,
            "EDUCATION_LABELS": EDUCATION_LABELS, "is_host_contact": lambda: review.is_contact(current_user)}
