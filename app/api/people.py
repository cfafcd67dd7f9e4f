"""A person's talent record for machines: GET /api/v1/people/{id}/record — the record's JSON
(app.person.record.export) within the token user's scope (administrators: everything; organisers:
their departments' items, and nobody without one), contact details masked; each reading audited."""
from __future__ import annotations

from flask import g

from app.api.bp import bp
from app.api.views import committed, token_required
from app.person.record import export, people


@bp.route("/people/<int:user_id>/record", methods=["GET"])
@token_required
def person_record(user_id: int):
    page = people.person_record(g.api_user, user_id)
    body = export.as_json(page.person, page.record)
    body["person"].update(mobile_masked=page.mobile, id_number_masked=page.id_number, email_masked=page.email)
    return committed(body)  # the audit row of the reading
