"""Online job fairs (直播带岗): the stream page shows the fair's employers and positions beside the
stream, each employer with its "express interest" link, which is its booth code's link: the same
page, form and consent as scanning the booth's QR at a venue."""
from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from app.events.models import Event
from app.jobfairs.fairs import employers_of
from app.urls import public_url


def positions_panel(event: Event) -> Markup:
    """The panel's HTML (empty for an event without employers)."""
    employers = [e for e in employers_of(event) if e.positions]
    if not employers:
        return Markup("")
    links = {e.id: public_url("jobfairs.booth", code=e.booth_code) for e in employers}
    return Markup(render_template("jobfairs/_positions_panel.html", employers=employers, links=links))
