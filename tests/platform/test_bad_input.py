"""Bad input is a 404 or a 4xx with a message and changes nothing, on SQLite and PostgreSQL
(issue 11, finding 8): huge ids in paths, query strings and JSON, NUL bytes, wrong JSON types,
over-long text and dates outside any sane range."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.timeutil import utcnow
from tests.conftest import PASSWORD
from tests.fixtures.accounts import api_headers

HUGE = [2 ** 31, 99999999999, 24018411884370006016, 879788954083549651661883357467246592]


def _counts() -> dict:
    from app.extensions import db

    # A sign-in inside a test writes its session row; that is the login's doing, not the bad input's.
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables if t.name != "user_sessions"}


@pytest.fixture
def world(client, db_session, create_event, create_user):
    """An event with a checkpoint and a registration, an organiser's token and a scanner's token."""
    from app.checkin.services import ensure_checkpoints
    from app.registrations import services as reg

    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    checkpoint = ensure_checkpoints(event)[0]
    registration = reg.register(create_user(), event)
    db_session.commit()
    organiser = create_user("organiser")
    world = {"event": event.id, "registration": registration.id, "secret": registration.ticket_secret,
             "organiser": organiser, "headers": api_headers(client, organiser)}
    world["checkpoint"] = checkpoint.id
    world["before"] = _counts()
    return world


def _unchanged(world):
    from app.extensions import db

    db.session.rollback()
    after = _counts()
    # Signing in with a token writes its last use; nothing else may move.
    assert {k: v for k, v in after.items() if v != world["before"][k]} == {}


def _has_message(response):
    if response.is_json:
        body = response.json
        assert body.get("message") or body.get("fields"), body
    else:
        assert response.data.strip()


# -- ids out of range -------------------------------------------------------------------------
@pytest.mark.parametrize("n", HUGE)
@pytest.mark.parametrize("path", ["/events/{n}", "/api/v1/events/{n}", "/events/{n}/register",
                                  "/api/v1/events/{n}/registrations", "/console/events/{n}"])
def test_huge_ids_in_paths_are_not_found(client, world, path, n):
    login_client = client
    from tests.conftest import login

    login(login_client, world["organiser"])
    response = client.get(path.format(n=n), headers=world["headers"])
    assert response.status_code == 404
    _unchanged(world)


@pytest.mark.parametrize("n", HUGE)
def test_huge_ids_posted_to_paths_are_not_found(client, world, n):
    response = client.post(f"/api/v1/registrations/{n}/cancel", headers=world["headers"])
    assert response.status_code == 404
    response = client.post(f"/api/v1/events/{n}/registrations", json={}, headers=world["headers"])
    assert response.status_code == 404
    _unchanged(world)


@pytest.mark.parametrize("query", ["page={n}", "per_page={n}", "page=-{n}", "series={n}", "page=1e5"])
def test_huge_numbers_in_query_strings(client, world, query):
    for n in HUGE:
        response = client.get("/api/v1/events?" + query.format(n=n))
        assert response.status_code in (200, 422), response.data[:300]
        if response.status_code == 422:
            assert response.json["fields"]
        response = client.get(f"/api/v1/events/{world['event']}/registrations?" + query.format(n=n),
                              headers=world["headers"])
        assert response.status_code in (200, 422), response.data[:300]
        response = client.get("/?" + query.format(n=n))
        assert response.status_code in (200, 404), response.data[:300]
    _unchanged(world)


def test_huge_page_numbers_on_html_pages(client, world):
    from tests.conftest import login

    login(client, world["organiser"])
    for n in HUGE:
        for url in (f"/console/events/{world['event']}/registrations?page={n}", f"/console/events?series={n}",
                    f"/console/events?department={n}", f"/?series={n}"):
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.data[:300])
    _unchanged(world)


@pytest.mark.parametrize("field", ["checkpoint", "registration"])
@pytest.mark.parametrize("n", HUGE)
def test_huge_ids_in_json(client, world, field, n):
    body = {"checkpoint": world["checkpoint"], "registration": world["registration"]}
    body[field] = n
    response = client.post("/api/v1/checkins", json=body, headers=world["headers"])
    assert response.status_code in (404, 422), response.json
    _has_message(response)
    batch = client.post("/api/v1/checkins/batch", json={"scans": [dict(body, nonce="n1")]},
                        headers=world["headers"])
    assert batch.status_code in (404, 422), batch.json
    created = client.post("/api/v1/events", headers=world["headers"], json={
        "title": "T", "kind": "forum", "department": n, "venue": "V", "series": n,
        "starts_at": "2027-01-01T09:00:00+08:00", "ends_at": "2027-01-01T10:00:00+08:00"})
    assert created.status_code == 422 and created.json["fields"]
    created = client.post("/api/v1/events", headers=world["headers"], json={
        "title": "T", "kind": "forum", "department": "区人才中心", "venue": "V", "capacity": n,
        "starts_at": "2027-01-01T09:00:00+08:00", "ends_at": "2027-01-01T10:00:00+08:00"})
    assert created.status_code == 422 and "capacity" in created.json["fields"]
    _unchanged(world)


# -- NUL bytes and control characters ---------------------------------------------------------
@pytest.mark.parametrize("url", ["/t/a%00b", "/t/a%00b/ticket.png", "/series/a%00b",
                                 "/?status=%00x", "/?q=%00", "/api/v1/events?kind=%00x",
                                 "/api/v1/events?series=a%00", "/certificates/verify/a%00b",
                                 "/api/v1/certificates/verify/a%00b", "/?lang=%01"])
def test_nul_bytes_in_urls(client, world, url):
    response = client.get(url)
    assert response.status_code in (400, 404, 422), response.data[:300]
    _has_message(response)
    _unchanged(world)


def test_nul_bytes_in_query_strings_of_api_lists(client, world):
    response = client.get(f"/api/v1/events/{world['event']}/registrations?status=%00x", headers=world["headers"])
    assert response.status_code in (400, 422) and response.json["message"]
    _unchanged(world)


@pytest.mark.parametrize("form", [
    {"login": "139\x0000000", "password": PASSWORD},
    {"login": "13900000000", "password": "a\x00b"},
])
def test_nul_bytes_in_the_login_form(client, world, form):
    response = client.post("/login", data=form)
    assert response.status_code in (400, 422) and response.data.strip()
    _unchanged(world)


@pytest.mark.parametrize("field", ["name", "mobile", "email", "employer", "id_number", "password"])
def test_nul_bytes_in_the_signup_form(client, world, field):
    form = {"name": "张三", "mobile": "13812340000", "email": "", "employer": "", "id_number": "",
            "password": "long-enough-1", "password2": "long-enough-1"}
    form[field] = form[field] + "\x00x" if form[field] else "a\x00b"
    response = client.post("/signup", data=form)
    assert response.status_code in (400, 422) and response.data.strip()
    _unchanged(world)


def test_nul_bytes_in_the_registration_form(client, world):
    from tests.conftest import login

    login(client, world["organiser"])
    response = client.post(f"/events/{world['event']}/register", data={"note": "a\x00b"})
    assert response.status_code in (400, 422)
    _unchanged(world)


@pytest.mark.parametrize("body", [
    {"login": "139\x0000000", "password": PASSWORD},
    {"login": "13900000000", "password": "x\x00"},
])
def test_nul_bytes_in_api_logins(client, world, body):
    response = client.post("/api/v1/auth/token", json=body)
    assert response.status_code in (400, 422) and response.json["message"]
    _unchanged(world)


def test_nul_bytes_in_api_bodies(client, world):
    body = {"title": "讲座\x00", "kind": "forum", "department": "区人才中心", "venue": "V",
            "starts_at": "2027-01-01T09:00:00+08:00", "ends_at": "2027-01-01T10:00:00+08:00"}
    response = client.post("/api/v1/events", json=body, headers=world["headers"])
    assert response.status_code == 422 and response.json["message"]
    response = client.post("/api/v1/checkins", headers=world["headers"],
                           json={"token": "ab\x00c", "checkpoint": world["checkpoint"]})
    assert response.status_code == 422
    response = client.post(f"/api/v1/events/{world['event']}/registrations", headers=world["headers"],
                           json={"answers": {"1": "\x00"}})
    assert response.status_code == 422
    _unchanged(world)


def test_tabs_and_newlines_are_still_text(client, world):
    response = client.get("/?q=a%09b%0Ac")
    assert response.status_code == 200


# -- wrong JSON types -------------------------------------------------------------------------
EVENT = {"title": "技能人才座谈会", "kind": "symposium", "department": "区人才中心", "venue": "南科创实训基地",
         "starts_at": "2027-01-20T14:00:00+08:00", "ends_at": "2027-01-20T16:00:00+08:00"}


@pytest.mark.parametrize("change", [
    {"kind": []}, {"kind": {}}, {"kind": 5}, {"status": [None, None]}, {"status": {"a": 1}},
    {"title": ["x"]}, {"title": 5}, {"venue": {}}, {"description": 1.5}, {"capacity": "10"},
    {"capacity": 1.5}, {"capacity": True}, {"requires_approval": "yes"}, {"department": []},
    {"department": None}, {"series": []}, {"series": {"id": 1}}, {"series": 1.5}, {"starts_at": 5},
    {"starts_at": []}, {"ends_at": {}}, {"registration_opens_at": True}, {"kind": "party"},
    {"status": "gone"}, {"title": None}, {"title": ""},
])
def test_event_create_with_wrong_types(client, world, change):
    response = client.post("/api/v1/events", json=dict(EVENT, **change), headers=world["headers"])
    assert response.status_code == 422, response.json
    assert response.json["fields"], response.json
    _unchanged(world)


@pytest.mark.parametrize("body", [
    {"token": [], "checkpoint": 1}, {"token": "abc", "checkpoint": "1"}, {"token": "abc", "checkpoint": [1]},
    {"token": "abc", "checkpoint": 1.5}, {"token": "abc", "checkpoint": 1, "direction": []},
    {"token": "abc", "checkpoint": 1, "scanned_at": []}, {"token": "abc", "checkpoint": 1, "scanned_at": 5},
    {"token": "abc", "checkpoint": 1, "nonce": 5}, {"token": "abc", "checkpoint": 1, "device": []},
    {"registration": "1", "checkpoint": 1}, {"token": {"a": 1}, "checkpoint": 1},
    {"token": "abc", "checkpoint": 1, "device": "d" * 10000}, {"token": "a" * 100000, "checkpoint": 1},
    {"token": "abc", "checkpoint": 1, "scanned_at": "0001-01-01T00:00:00"},
    {"token": "abc", "checkpoint": 1, "scanned_at": "9999-12-31T23:59:59-12:00"},
])
def test_checkin_with_wrong_types(client, world, body):
    body = {k: (world["checkpoint"] if k == "checkpoint" and v == 1 else v) for k, v in body.items()}
    response = client.post("/api/v1/checkins", json=body, headers=world["headers"])
    assert response.status_code == 422, response.json
    assert response.json["fields"]
    response = client.post("/api/v1/checkins/batch", json={"scans": [dict({"nonce": "n"}, **body)]},
                           headers=world["headers"])
    assert response.status_code == 422, response.json
    _unchanged(world)


@pytest.mark.parametrize("body", [
    {"scans": {}}, {"scans": "x"}, {"scans": [1]}, {"scans": [None]}, {"scans": [[]]},
    {"scans": [{"token": "a", "checkpoint": 1, "nonce": "n"}], "device": []},
])
def test_checkin_batch_with_wrong_types(client, world, body):
    response = client.post("/api/v1/checkins/batch", json=body, headers=world["headers"])
    assert response.status_code == 422 and response.json["fields"], response.json
    _unchanged(world)


@pytest.mark.parametrize("body", [
    {"login": [], "password": "x"}, {"login": "x", "password": None}, {"login": {"a": 1}, "password": 1},
    {"login": "x" * 10000, "password": "y"}, {"login": "13900000000", "password": "y" * 10000},
])
def test_token_with_wrong_types(client, world, body):
    response = client.post("/api/v1/auth/token", json=body)
    assert response.status_code in (401, 422), response.json
    _unchanged(world)


@pytest.mark.parametrize("body", [
    {"answers": []}, {"answers": "x"}, {"answers": {"1": {"a": 1}}}, {"sessions": "x"},
    {"sessions": [[]]}, {"sessions": [2 ** 40]}, {"sessions": {}}, {"answers": {"abc": "x"}},
    {"answers": {str(2 ** 40): "x"}},
])
def test_registration_with_wrong_types(client, world, body):
    response = client.post(f"/api/v1/events/{world['event']}/registrations", json=body, headers=world["headers"])
    assert response.status_code == 422, response.json
    assert response.json["fields"]
    _unchanged(world)


# -- text too long for its column -------------------------------------------------------------
def test_over_long_title_through_the_api(client, world):
    response = client.post("/api/v1/events", json=dict(EVENT, title="长" * 10000), headers=world["headers"])
    assert response.status_code == 422 and "title" in response.json["fields"]
    response = client.post("/api/v1/events", json=dict(EVENT, venue="v" * 201), headers=world["headers"])
    assert response.status_code == 422 and "venue" in response.json["fields"]
    _unchanged(world)


def test_the_service_refuses_text_longer_than_its_column(app, db_session, world):
    """SQLite does not enforce VARCHAR lengths: the check is ours, at the flush, for every model."""
    from app.errors import InvalidInput
    from app.events import services as ev
    from app.events.models import Event

    limit = Event.__table__.c.title.type.length
    event = db_session.get(Event, world["event"])
    with pytest.raises(InvalidInput) as refused:
        ev.update_event(world["organiser"], event, title="长" * (limit + 1))
        db_session.flush()
    assert "title" in refused.value.fields
    db_session.rollback()
    assert db_session.get(Event, world["event"]).title != "长" * (limit + 1)


# -- dates out of range -----------------------------------------------------------------------
@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59",
                                  "9999-12-31T23:59:59-12:00", "1899-01-01T00:00:00+08:00",
                                  "2200-01-01T00:00:00+08:00"])
@pytest.mark.parametrize("field", ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"])
def test_api_dates_out_of_range(client, world, when, field):
    response = client.post("/api/v1/events", json=dict(EVENT, **{field: when}), headers=world["headers"])
    assert response.status_code == 422 and field in response.json["fields"], response.json
    _unchanged(world)


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:00"])
def test_form_dates_out_of_range(client, world, when):
    from tests.conftest import login

    login(client, world["organiser"])
    page = client.get("/console/events/new")
    assert page.status_code == 200
    from app.events.models import Series  # noqa: F401

    data = {"title": "讲座", "kind": "forum", "series_id": "0", "department_id": "",
            "venue": "V", "starts_at": when, "ends_at": "2027-01-01T10:00", "wall_names": "masked"}
    from app.accounts.models import Department
    from app.extensions import db

    data["department_id"] = str(db.session.scalar(sa.select(Department.id).where(Department.code == "talent_center")))
    response = client.post("/console/events/new", data=data)
    assert response.status_code == 200  # the form again, with the field's message
    assert "2000-01-01" in response.get_data(as_text=True)  # the field says which years it takes
    _unchanged(world)


def test_a_form_number_past_its_column_is_the_fields_message(client, world):
    """The question form has no range on its order field: the column check at the flush (shared by
    forms and API) turns 99999999999 into that field's message on the form, on both backends."""
    from tests.conftest import login

    admin_client = client
    from app.accounts.models import User
    from app.extensions import db

    organiser = db.session.get(User, world["organiser"].id)
    organiser.set_roles(["admin"])
    db.session.commit()
    world["before"] = _counts()
    login(admin_client, organiser)
    response = client.post(f"/console/events/{world['event']}/questions/new",
                           data={"label": "单位", "kind": "text", "position": "99999999999"})
    assert response.status_code == 200
    assert "数字过大" in response.get_data(as_text=True) or "too large" in response.get_data(as_text=True)
    _unchanged(world)
