"""The competitions blueprint object, its access decorators and the lookups its view modules
share (they import this module; app/competitions/blueprint.py imports them)."""
from __future__ import annotations

from flask import Blueprint

from app.accounts.models import Role
from app.competitions import services as cs
from app.competitions.models import (
    ASPECT_KIND_LABELS,
    AWARD_LABELS,
    COMPETITION_STATUS_LABELS,
    LEVEL_LABELS,
    Category,
    Competition,
)
from app.web import allowed, roles_required

bp = Blueprint("competitions", __name__)
staff = roles_required(Role.ADMIN, Role.ORGANISER)
judges_only = roles_required(Role.JUDGE)


def run_competition(competition_id: int) -> Competition:
    """The competition the URL names, for one who runs it."""
    return allowed(cs.get_competition(competition_id), cs.require_run)


def run_category(category_id: int) -> Category:
    """The category the URL names, for one who runs its competition."""
    return allowed(cs.get_category(category_id), cs.require_run, lambda c: c.competition)


@bp.app_context_processor
def _competition_labels():
    return {"AWARD_LABELS": AWARD_LABELS, "COMPETITION_STATUS_LABELS": COMPETITION_STATUS_LABELS,
            "LEVEL_LABELS": LEVEL_LABELS, "ASPECT_KIND_LABELS": ASPECT_KIND_LABELS}
