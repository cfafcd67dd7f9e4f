"""The organisations registry for staff integrations (read only): the list with its kind filter and
search, and an organisation with what links to it (the sections of its console page) and, for a
university with a 引才合作站, its station counts by year. Contacts' phones and mail are masked."""
from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from app.api.bp import bp
from app.api.views import _paged, token_required
from app.errors import InvalidInput
from app.organisation_pages import stations
from app.organisation_pages.sections import fill
from app.organisations import services as registry
from app.organisations.models import Organisation, OrganisationKind
from app.privacy import mask_email, mask_phone
from app.timeutil import iso

KINDS = [k.value for k in OrganisationKind]


def organisation_json(o: Organisation) -> dict:
    return {
        "id": o.id, "kind": o.kind, "name": o.name, "uscc": o.uscc, "district": o.district,
        "in_minhang": o.in_minhang, "industries": list(o.industries or []), "size": o.size, "status": o.status,
        "merged_into": o.merged_into_id,
        "contact": {"name": o.contact_name, "phone_masked": mask_phone(o.contact_phone) if o.contact_phone else "",
                    "email_masked": mask_email(o.contact_email) if o.contact_email else ""},
        "station": {"signed_on": o.station_signed_on.isoformat(), "contact": o.station_contact}
        if o.station_signed_on else None,
        "host_base": {"approved_on": o.base_approved_on.isoformat() if o.base_approved_on else None,
                      "places_per_year": o.base_places_per_year, "status": o.base_status}
        if o.kind == OrganisationKind.HOST_COMPANY.value else None,
    }


def _when(value):
    if value is None:
        return None
    return iso(value) if hasattr(value, "hour") else value.isoformat()


@bp.route("/organisations", methods=["GET"])
@token_required
def organisations_list():
    registry.require_staff(g.api_user)
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise InvalidInput(fields={"kind": _("Choose the kind of organisation.")}, code="invalid_input")
    q = request.args.get("q") or ""
    if len(q) > 100:
        raise InvalidInput(fields={"q": _("At most %(n)s characters.", n=100)}, code="invalid_input")
    return _paged(registry.search_query(q, kind), organisation_json)


@bp.route("/organisations/<int:organisation_id>", methods=["GET"])
@token_required
def organisation_detail(organisation_id: int):
    registry.require_staff(g.api_user)
    organisation = registry.get_organisation(organisation_id)
    data = organisation_json(organisation)
    data["links"] = {
        filled.section.key: {"count": filled.count, "items": [
            {"group": row.group, "title": row.title, "detail": row.detail, "when": _when(row.when)}
            for group in filled.groups for row in group.rows]}
        for filled in fill(organisation)}
    data["station_counts"] = None
    if organisation.station_signed_on and not organisation.merged:
        station = stations.station_counts(g.api_user, [organisation])[0]
        data["station_counts"] = [{"year": y.year, "events": y.events, "registered": y.registered,
                                   "attended": y.attended} for y in station.years]
    return jsonify(data)
