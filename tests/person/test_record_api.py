"""GET /api/v1/people/{id}/record: the record's JSON for staff tokens, in the same scope as the
console page, masked, audited."""
from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEntry
from tests.fixtures.accounts import api_headers


def test_staff_tokens_read_the_record_in_their_scope(client, db_session, record_person, create_user):
    person = record_person.person
    answer = client.get(f"/api/v1/people/{person.id}/record", headers=api_headers(client, record_person.admin))
    assert answer.status_code == 200
    data = answer.get_json()
    assert data["schema"] == "minhang.talent-record" and len(data["items"]) == 9
    assert data["person"]["mobile_masked"] == person.mobile_masked and person.mobile not in answer.get_data(as_text=True)
    skills = create_user("organiser", department="skills")
    data = client.get(f"/api/v1/people/{person.id}/record", headers=api_headers(client, skills)).get_json()
    assert {i["kind"] for i in data["items"]} == {"competition", "studio"}
    views = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "person.record_view")).all()
    assert [v.actor_id for v in views] == [record_person.admin.id, skills.id]


def test_others_are_refused(client, db_session, record_person, create_user):
    person = record_person.person
    assert client.get(f"/api/v1/people/{person.id}/record").status_code == 401
    assert client.get(f"/api/v1/people/{person.id}/record",
                      headers=api_headers(client, person)).status_code == 403  # not even their own, here
    nothing_here = create_user("organiser", department="nkc_base")
    assert client.get(f"/api/v1/people/{person.id}/record",
                      headers=api_headers(client, nothing_here)).status_code == 404


def test_the_path_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/people/{user_id}/record" in spec["paths"] and "TalentRecord" in spec["components"]["schemas"]
