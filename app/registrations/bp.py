"""The registrations blueprint object. View modules register their routes on it;
app/registrations/blueprint.py imports every view module, so the app sees all routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("registrations", __name__)
