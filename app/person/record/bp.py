"""The record's blueprint object (view modules import it; blueprint.py imports them)."""
from __future__ import annotations

from flask import Blueprint

from app.accounts.models import Role
from app.web import roles_required

bp = Blueprint("record", __name__)
staff = roles_required(Role.ADMIN, Role.ORGANISER)  # the service's own scope check (staff_scope) runs too
