"""The online blueprints: pages (join page, invitations, the organiser's online section) and the
heartbeat, a JSON endpoint whose credential is the join token in its path, never a cookie (so it
needs no CSRF token: app/__init__.py exempts `beat`)."""
from __future__ import annotations

from flask import Blueprint

from app.accounts.models import Role
from app.web import roles_required

bp = Blueprint("online", __name__)
beat = Blueprint("online_beat", __name__)
staff = roles_required(Role.ADMIN, Role.ORGANISER)
