"""API v1: an event's online part for its registrant, online attendance for its organisers."""
from __future__ import annotations

from tests.fixtures.accounts import api_headers
from tests.fixtures.online import ACCESS_CODE, STREAM


def test_registrant_sees_their_online_part(client, live_online_event, create_registration):
    event = live_online_event()
    registration = create_registration(event)
    answer = client.get(f"/api/v1/events/{event.id}/online", headers=api_headers(client, registration.user))
    assert answer.status_code == 200
    body = answer.json
    assert body["revealed"] and body["stream_url"] == STREAM and body["access_code"] == ACCESS_CODE
    assert "/online/j/" in body["join_url"] and body["attended_online"] is False
    assert client.get(f"/api/v1/events/{event.id}/online").status_code == 401


def test_online_attendance_for_its_organisers_only(client, live_online_event, create_registration, create_user,
                                                   create_organisation):
    from app.online import invitations

    event = live_online_event()
    create_registration(event)
    university = create_organisation(kind="university", name="上海交通大学")
    invitations.invite_universities(event.test_organiser, event, [university.id])
    from app.extensions import db

    db.session.commit()
    answer = client.get(f"/api/v1/events/{event.id}/online/attendance",
                        headers=api_headers(client, event.test_organiser))
    assert answer.status_code == 200
    assert answer.json["confirmed"] == 1 and answer.json["attended_online"] == 0
    assert [u["name"] for u in answer.json["universities"]] == ["上海交通大学"]
    other = create_user("organiser", department="employment")
    assert client.get(f"/api/v1/events/{event.id}/online/attendance",
                      headers=api_headers(client, other)).status_code == 403
    participant = create_user()
    assert client.get(f"/api/v1/events/{event.id}/online/attendance",
                      headers=api_headers(client, participant)).status_code == 403
