"""The main blueprint object. View modules register their routes on it;
app/main/blueprint.py imports every view module, so the app sees all routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("main", __name__)
