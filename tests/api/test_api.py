import re

import sqlalchemy as sa

from app.events import services as ev
from app.events.models import Event
from tests.fixtures.accounts import api_headers


def test_token_exchange(client, create_user):
    user = create_user()
    assert client.post("/api/v1/auth/token", json={"login": user.mobile, "password": "nope-nope"}).status_code == 401
    assert client.post("/api/v1/auth/token", data="not json").status_code == 422
    assert client.post("/api/v1/auth/token", json={"login": 5, "password": []}).status_code == 422
    assert api_headers(client, user)


def test_reading_published_events_needs_no_token(client, create_event):
    published = create_event(title="闵而好才·校园招聘 上海交大专场")
    draft = create_event(status="draft")
    listing = client.get("/api/v1/events").json
    assert [e["id"] for e in listing["items"]] == [published.id] and listing["total"] == 1
    detail = client.get(f"/api/v1/events/{published.id}").json
    assert detail["title"] == "闵而好才·校园招聘 上海交大专场" and detail["starts_at"].endswith("+08:00")
    assert client.get(f"/api/v1/events/{draft.id}").status_code == 404
    assert client.get("/api/v1/events/999999").json["code"] == "not_found"


def test_create_event(client, db_session, create_user):
    organiser = create_user("organiser")
    headers = api_headers(client, organiser)
    body = {"title": "技能人才座谈会", "kind": "symposium", "department": "区人才中心", "venue": "南科创实训基地",
            "starts_at": "2026-12-20T14:00:00+08:00", "ends_at": "2026-12-20T16:00:00", "capacity": 40,
            "requires_approval": True, "status": "published"}
    assert client.post("/api/v1/events", json=body).status_code == 401
    response = client.post("/api/v1/events", json=body, headers=headers)
    assert response.status_code == 201, response.json
    created = response.json
    assert created["id"] and created["status"] == "published" and created["capacity"] == 40
    assert created["ends_at"] == "2026-12-20T16:00:00+08:00"
    bad = dict(body, starts_at="next tuesday", capacity="many", kind="party")
    response = client.post("/api/v1/events", json=bad, headers=headers)
    assert response.status_code == 422 and {"starts_at", "capacity"} <= set(response.json["fields"])
    response = client.post("/api/v1/events", json=dict(body, department="职业能力建设科"), headers=headers)
    assert response.status_code == 422  # not the organiser's department
    participant = api_headers(client, create_user())
    assert client.post("/api/v1/events", json=body, headers=participant).status_code == 403
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1


def test_register_statuses_and_errors(client, db_session, create_event, create_user):
    event = create_event(capacity=1)
    q = ev.save_question(create_user("admin"), event, label="单位类型", kind="single", required=True,
                         choices=ev.parse_choices("企业\n高校"))
    db_session.commit()
    url = f"/api/v1/events/{event.id}/registrations"
    first, second = api_headers(client, create_user()), api_headers(client, create_user())

    assert client.post(url, json={"answers": {}}).status_code == 401
    response = client.post(url, json={"answers": {str(q.id): "农场"}}, headers=first)
    assert response.status_code == 422 and f"answers.{q.id}" in response.json["fields"]
    assert client.post(url, json=["not", "an", "object"], headers=first).status_code == 422

    response = client.post(url, json={"answers": {str(q.id): "企业"}}, headers=first)
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "confirmed" and body["waitlist_position"] is None
    secret = body["ticket_url"].rsplit("/", 1)[1]
    assert client.get(f"/t/{secret}").status_code == 200

    response = client.post(url, json={"answers": {str(q.id): "企业"}}, headers=first)
    assert response.status_code == 409 and response.json["code"] == "already_registered"

    response = client.post(url, json={"answers": {str(q.id): "高校"}}, headers=second)
    assert response.status_code == 201 and response.json["status"] == "waitlisted"
    assert response.json["waitlist_position"] == 1

    closed = create_event(status="cancelled")
    response = client.post(f"/api/v1/events/{closed.id}/registrations", json={}, headers=first)
    assert response.status_code == 403 and response.json["code"] == "registration_closed"


def test_pending_when_approval_needed(client, create_event, create_user):
    event = create_event(requires_approval=True)
    response = client.post(f"/api/v1/events/{event.id}/registrations", json={},
                           headers=api_headers(client, create_user()))
    assert response.status_code == 201 and response.json["status"] == "pending"


def test_organiser_lists_registrations_paginated_and_masked(client, db_session, create_event, create_user):
    from app.registrations import services as reg

    event = create_event()
    people = [create_user() for _ in range(5)]
    for person in people:
        reg.register(person, event)
    db_session.commit()
    organiser = api_headers(client, create_user("organiser"))
    url = f"/api/v1/events/{event.id}/registrations"
    page = client.get(url + "?per_page=2&page=2", headers=organiser).json
    assert page["total"] == 5 and page["pages"] == 3 and len(page["items"]) == 2
    attendee = page["items"][0]["attendee"]
    assert "*" in attendee["mobile_masked"] and "mobile" not in attendee
    assert client.get(url, headers=api_headers(client, people[0])).status_code == 403
    assert client.get(url + "?page=abc", headers=organiser).status_code == 422


def test_cancel_via_api_promotes(client, db_session, create_event, create_user):
    event = create_event(capacity=1)
    a, b = create_user(), create_user()
    ta, tb = api_headers(client, a), api_headers(client, b)
    url = f"/api/v1/events/{event.id}/registrations"
    rid = client.post(url, json={}, headers=ta).json["id"]
    client.post(url, json={}, headers=tb)
    assert client.post(f"/api/v1/registrations/{rid}/cancel", headers=tb).status_code == 403
    assert client.post(f"/api/v1/registrations/{rid}/cancel", headers=ta).json["status"] == "cancelled"
    mine = client.get("/api/v1/me/registrations", headers=tb).json["items"]
    assert mine[0]["status"] == "confirmed"
    assert client.post(f"/api/v1/registrations/{rid}/cancel", headers=ta).status_code == 409


def test_session_cookie_never_authenticates_the_api(client, create_event, create_user):
    from tests.conftest import login

    user = create_user()
    login(client, user)
    event = create_event()
    response = client.post(f"/api/v1/events/{event.id}/registrations", json={})
    assert response.status_code == 401


def test_the_api_neither_reads_nor_writes_a_browsers_session(client, create_event, create_user):
    """app/cookie_sessions.py: with a signed-in browser's cookies, an API answer sets no cookie and does not
    vary by them (the session it sees is empty and never saved); the pages still read the session."""
    from tests.conftest import login

    user = create_user()
    login(client, user, remember=True)
    event = create_event()
    answers = [client.get("/api/v1/events"),
               client.post(f"/api/v1/events/{event.id}/registrations", json={}, headers=api_headers(client, user))]
    assert [a.status_code for a in answers] == [200, 201]
    for answer in answers:
        assert "Set-Cookie" not in answer.headers and "cookie" not in answer.vary, answer.headers
    page = client.get("/me/registrations")
    assert page.status_code == 200 and "cookie" in page.vary


def test_openapi_documents_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule[len("/api/v1"):].replace("<int:event_id>", "{id}") \
                .replace("<int:registration_id>", "{id}").replace("<int:checkpoint_id>", "{id}") \
                .replace("<int:organisation_id>", "{id}") \
                .replace("<code>", "{code}")
            path = re.sub(r"<int:(\w+)>", r"{\1}", path)  # newer routes name their ids (traineeships)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method))
    assert routes == documented
    # every $ref resolves
    import json

    text = json.dumps(spec)
    for ref in {part.split('"')[0] for part in text.split('"$ref": "#/components/schemas/')[1:]}:
        assert ref in spec["components"]["schemas"], ref
