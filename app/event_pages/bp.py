"""The events area's blueprint objects: `bp` for the public event pages, `console` for the
organiser's event management under /console (its name stays "console": templates and links
use endpoints such as console.event). View modules register their routes on them;
app/event_pages/blueprint.py imports every view module, so the app sees all routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("events", __name__)
console = Blueprint("console", __name__, url_prefix="/console")
