"""The organisation pages' blueprint object (view modules import it; blueprint.py imports them)."""
from __future__ import annotations

from flask import Blueprint

from app.accounts.models import Role
from app.web import roles_required

bp = Blueprint("organisation_pages", __name__, url_prefix="/console/organisations")
staff = roles_required(Role.ADMIN, Role.ORGANISER)  # the registry's own check (require_staff) runs too
