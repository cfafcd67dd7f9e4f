"""The job fairs blueprint object, its access decorator and labels (view modules import this
module; app/jobfairs/blueprint.py imports them). Three audiences: the bureau's console
(/console/jobfairs), the employers' contacts (/employer/jobfairs) and job seekers (the booth's
link /jobfairs/b/<code>, and /me/jobfairs)."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from app.accounts.models import Role
from app.jobfairs import portal
from app.jobfairs.models import EDUCATION_LABELS, INTEREST_STATUS_LABELS, OUTCOME_LABELS
from app.web import roles_required

bp = Blueprint("jobfairs", __name__)
staff = roles_required(Role.ADMIN, Role.ORGANISER)  # the services check the fair's department too


@bp.app_context_processor
def _jobfair_labels():
    return {"FAIR_EDUCATION": EDUCATION_LABELS, "INTEREST_STATUSES": INTEREST_STATUS_LABELS,
            "OUTCOMES": OUTCOME_LABELS, "is_fair_employer": lambda: portal.is_employer_contact(current_user)}
