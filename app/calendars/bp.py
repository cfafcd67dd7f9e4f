"""The calendars blueprint object. View modules register their routes on it;
app/calendars/blueprint.py imports every view module, so the app sees all routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("calendars", __name__, url_prefix="/calendar")
