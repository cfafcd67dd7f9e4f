"""The cohorts blueprint object. View modules register their routes on it;
app/cohorts/blueprint.py imports every view module, so the app sees all routes."""

from __future__ import annotations

from flask import Blueprint

from app.accounts.models import Role
from app.web import roles_required

bp = Blueprint("cohorts", __name__)

# Who may open the cohorts console pages at all (each page then asks the services who may do what).
staff = roles_required(Role.ADMIN, Role.ORGANISER, Role.TRAINER)
