"""The certificates blueprint objects. View modules register their routes on them;
app/certificates/blueprint.py imports every view module, so the app sees all routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("certificates", __name__, url_prefix="/console/certificates")
public = Blueprint("verify", __name__)
