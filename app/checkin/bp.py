"""The checkin blueprint object. View modules register their routes on it;
app/checkin/blueprint.py imports every view module, so the app sees all routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("checkin", __name__)
