"""An organisation's page across programmes, and the 引才合作站 counts with their export."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.organisation_pages import stations as station_queries
from app.organisation_pages.bp import bp, staff
from app.organisation_pages.sections import fill
from app.organisations import services as registry
from app.web import allowed, download


@bp.route("/<int:organisation_id>/overview")
@staff
def overview(organisation_id: int):
    organisation = allowed(registry.get_organisation(organisation_id), registry.require_staff)
    return render_template("organisation_pages/overview.html", organisation=organisation,
                           sections=fill(organisation))


@bp.route("/stations")
@staff
def stations():
    return render_template("organisation_pages/stations.html", stations=station_queries.station_counts(current_user))


@bp.route("/stations.xlsx")
@staff
def stations_export():
    return download(station_queries.export_xlsx(current_user), "stations.xlsx")
