"""The organisations API: staff read the registry (kind filter, search through normalisation) and
an organisation with its links and station counts; contacts masked; others refused; bad input 422."""
from __future__ import annotations

from datetime import date

import pytest

from app.events import organisations as eo
from app.timeutil import to_local
from tests.fixtures.accounts import api_headers


@pytest.fixture
def registry(db_session, create_organisation, create_user, create_event):
    company = create_organisation(name="上海某某科技有限公司", contact_name="李经理", contact_phone="13812345678",
                                  contact_email="li@example.com")
    university = create_organisation(kind="university", name="上海交通大学", station_signed_on=date(2025, 3, 1),
                                     station_contact="王老师")
    event = create_event(title="校园招聘会", kind="campus_recruiting")
    organiser = create_user("organiser")
    eo.add_organisation(organiser, event, university.id, "host_university")
    eo.add_organisation(organiser, event, company.id, "participant")
    db_session.commit()
    return company, university, event, organiser


def test_staff_list_filter_and_search(client, registry):
    company, university, _event, organiser = registry
    headers = api_headers(client, organiser)
    everything = client.get("/api/v1/organisations", headers=headers).json
    assert everything["total"] == 2 and {o["name"] for o in everything["items"]} == {company.name, university.name}
    universities = client.get("/api/v1/organisations?kind=university", headers=headers).json
    assert [o["id"] for o in universities["items"]] == [university.id]
    found = client.get("/api/v1/organisations", query_string={"q": "上海某某科技（上海）有限公司"}, headers=headers).json
    assert [o["id"] for o in found["items"]] == [company.id]
    item = found["items"][0]
    assert item["contact"]["phone_masked"] == "138****5678" and "13812345678" not in str(found)
    assert "li@example.com" not in str(found)


def test_detail_with_links_and_station_counts(client, registry):
    company, university, event, organiser = registry
    headers = api_headers(client, organiser)
    detail = client.get(f"/api/v1/organisations/{university.id}", headers=headers).json
    assert detail["station"] == {"signed_on": "2025-03-01", "contact": "王老师"}
    assert detail["links"]["events"]["count"] == 1 and detail["links"]["events"]["items"][0]["title"] == "校园招聘会"
    assert detail["station_counts"] == [{"year": to_local(event.starts_at).year, "events": 1, "registered": 0,
                                         "attended": 0}]
    other = client.get(f"/api/v1/organisations/{company.id}", headers=headers).json
    assert other["station_counts"] is None and other["links"]["events"]["items"][0]["group"] == "参会企业"
    assert set(other["links"]) == {"people", "events", "cohorts", "trainees", "awards"}


def test_refusals_and_bad_input(client, registry, create_user):
    company = registry[0]
    assert client.get("/api/v1/organisations").status_code == 401
    participant = api_headers(client, create_user())
    assert client.get("/api/v1/organisations", headers=participant).status_code == 403
    assert client.get(f"/api/v1/organisations/{company.id}", headers=participant).status_code == 403
    staff = api_headers(client, registry[3])
    for query in ({"kind": "bank"}, {"q": "x" * 101}, {"page": "0"}, {"per_page": "abc"}):
        response = client.get("/api/v1/organisations", query_string=query, headers=staff)
        assert response.status_code == 422 and response.json["code"] == "invalid_input"
    assert client.get("/api/v1/organisations/99999999", headers=staff).status_code == 404
    assert client.get("/api/v1/organisations/99999999999999999999", headers=staff).status_code == 404
