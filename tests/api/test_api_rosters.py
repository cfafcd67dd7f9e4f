"""The rosters and mentoring API: staff read the members they keep with their referral counts; a
mentor reads their own sessions; both are in the OpenAPI document."""
from __future__ import annotations

from datetime import date

from app.api.openapi import build as openapi_document
from app.mentoring import services as mentoring
from app.registrations import services as reg
from tests.fixtures.accounts import api_headers


def test_staff_read_roster_members_with_counts(client, db_session, appoint, create_user, create_event):
    ambassador = appoint("ambassador", user=create_user(name="赵赟"))
    appoint("mentor", organiser=ambassador.organiser)
    registration = reg.register(create_user(), create_event(), referral_code=ambassador.referral_code)
    db_session.commit()
    assert registration.referral_code == ambassador.referral_code
    headers = api_headers(client, ambassador.organiser)
    body = client.get("/api/v1/rosters?kind=ambassador", headers=headers).get_json()
    (item,) = body["items"]
    assert item["name"] == "赵赟" and item["referral_code"] == ambassador.referral_code
    assert item["counts"] == {"registrations": 1, "confirmed": 1, "attended": 0, "applications": 0, "admitted": 0}
    assert ambassador.user.mobile not in str(body) and "****" in item["mobile_masked"]
    assert len(client.get("/api/v1/rosters", headers=headers).get_json()["items"]) == 2
    bad = client.get("/api/v1/rosters?kind=guru", headers=headers)
    assert bad.status_code == 422 and "kind" in bad.get_json()["fields"]
    other = create_user("organiser", department="skills")
    assert client.get("/api/v1/rosters", headers=api_headers(client, other)).get_json()["items"] == []
    assert client.get("/api/v1/rosters", headers=api_headers(client, create_user())).status_code == 403
    assert client.get("/api/v1/rosters").status_code == 401


def test_a_mentor_reads_their_own_sessions(client, db_session, mentored_cohort):
    c = mentored_cohort
    pairing = mentoring.pair(c.runner, c, c.mentor, c.founders[0], started_on=date(2026, 3, 1))
    mentoring.log_session(c.mentor.user, pairing, held_on=date(2026, 4, 1), topic="股权激励", follow_up="提交方案")
    db_session.commit()
    (item,) = client.get("/api/v1/me/mentoring/sessions",
                         headers=api_headers(client, c.mentor.user)).get_json()["items"]
    assert item["founder"] == "张玥" and item["topic"] == "股权激励" and item["rating"] is None
    assert client.get("/api/v1/me/mentoring/sessions",
                      headers=api_headers(client, c.founders[1])).get_json()["items"] == []


def test_the_openapi_document_describes_them():
    paths = openapi_document()["paths"]
    assert "/rosters" in paths and "/me/mentoring/sessions" in paths
    assert paths["/rosters"]["get"]["responses"]["422"]
