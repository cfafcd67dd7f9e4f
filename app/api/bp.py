"""The api blueprint object. View modules register their routes on it;
app/api/blueprint.py imports every view module, so the app sees all routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
