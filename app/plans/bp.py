"""The plan's blueprint object and access decorators (view modules import this module;
app/plans/blueprint.py imports them). Readers: administrators, bureau leaders and department heads
(the services narrow a head to their departments); the plan's figures are entered by administrators
and the organisers of a target's 责任部门."""
from __future__ import annotations

from flask import Blueprint

from app.accounts.models import Role
from app.web import roles_required

bp = Blueprint("plans", __name__)
readers = roles_required(Role.ADMIN, Role.LEADER, Role.HEAD)
staff = roles_required(Role.ADMIN, Role.ORGANISER)
