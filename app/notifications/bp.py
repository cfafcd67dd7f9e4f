"""The notifications blueprint objects. View modules register their routes on them;
app/notifications/blueprint.py imports every view module, so the app sees all routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inbox", __name__)
sms = Blueprint("sms", __name__, url_prefix="/sms")
