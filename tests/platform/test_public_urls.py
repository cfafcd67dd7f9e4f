"""Links in notices, tickets, certificates and API answers come from PUBLIC_BASE_URL, never from the
request's Host; unknown hosts are refused (issue 11, finding 3)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.notifications.models import OutboxMessage
from app.notifications.services import message_body
from app.registrations import services as reg
from tests.fixtures.accounts import PASSWORD, api_headers

EVIL = {"Host": "evil.example"}


@pytest.fixture
def any_host(app, monkeypatch):
    """The Host check off, as with an operator who left TRUSTED_HOSTS empty: links must still hold."""
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)


def test_a_promotion_notice_mailed_from_a_forged_host_links_to_the_site(app, client, db_session, any_host,
                                                                         create_event, create_user):
    event = create_event(capacity=1)
    first, second = create_user(), create_user()
    mine = reg.register(first, event)
    waiting = reg.register(second, event)
    db_session.commit()

    response = client.post(f"/api/v1/registrations/{mine.id}/cancel", headers=api_headers(client, first) | EVIL)
    assert response.status_code == 200

    db_session.expire_all()
    assert waiting.status == "confirmed"
    notice = db_session.scalars(sa.select(OutboxMessage).where(OutboxMessage.user_id == second.id,
                                                               OutboxMessage.kind == "promoted")).one()
    body = message_body(notice)
    assert f"http://localhost/t/{waiting.ticket_secret}" in body
    assert "evil.example" not in body


def test_the_api_ticket_url_ignores_the_host(client, db_session, any_host, create_event, create_user):
    event, person = create_event(), create_user()
    headers = api_headers(client, person) | EVIL
    response = client.post(f"/api/v1/events/{event.id}/registrations", json={}, headers=headers)
    assert response.status_code == 201
    assert response.json["ticket_url"].startswith("http://localhost/t/")
    listed = client.get("/api/v1/me/registrations", headers=headers).json["items"]
    assert listed and all(item["ticket_url"].startswith("http://localhost/t/") for item in listed)
    assert client.get("/api/v1/openapi.json", headers=EVIL).json["servers"] == [{"url": "http://localhost/api/v1"}]


def test_links_built_in_a_request_from_a_forged_host_use_the_configured_base(app):
    from app.urls import public_url

    with app.test_request_context("/", base_url="http://evil.example"):
        assert public_url("tickets.show", secret="abc") == "http://localhost/t/abc"
        assert public_url("calendars.feed", token="tok") == "http://localhost/calendar/feed/tok.ics"
        assert public_url("verify.show", code="X7") == "http://localhost/verify/X7"


def test_an_unknown_host_is_refused(client):
    assert client.get("/", headers=EVIL).status_code == 400
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"Host": "127.0.0.1:5000"}).status_code == 200


def _settings(tmp_path, **overrides):
    return dict(SECRET_KEY="s" * 32, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.sqlite3'}",
                UPLOAD_DIR=str(tmp_path / "uploads"), WEB_CONCURRENCY="1", **overrides)


def test_production_refuses_to_start_without_public_base_url(tmp_path):
    from app import create_app

    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app("production", **_settings(tmp_path, PUBLIC_BASE_URL=None))
    production = create_app("production", **_settings(tmp_path, PUBLIC_BASE_URL="https://rencai.minhang.example/"))
    assert production.config["PUBLIC_BASE_URL"] == "https://rencai.minhang.example"
    assert production.config["TRUSTED_HOSTS"] == ["rencai.minhang.example"]


def test_development_falls_back_to_the_local_address(tmp_path):
    from app import create_app

    development = create_app("development", **_settings(tmp_path, PUBLIC_BASE_URL=None, TRUSTED_HOSTS=None))
    assert development.config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"
    assert set(development.config["TRUSTED_HOSTS"]) == {"127.0.0.1", "localhost"}


OFF_SITE = ["https://evil.example/", "//evil.example/x", "/\\evil.example/x", "/\t/evil.example/x",
            "/\\/evil.example", "http:/evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_redirect_after_login_never_leaves_the_site(client, create_user, target):
    """The `next` a login form carries is a page of this site or nothing: a browser reads /\\host as
    //host, another site."""
    user = create_user()
    response = client.post("/login", query_string={"next": target},
                           data={"login": user.mobile or user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"] and "javascript" not in response.headers["Location"]


def test_a_page_of_the_site_is_where_login_returns(client, create_user):
    user = create_user()
    response = client.post("/login", query_string={"next": "/me/registrations?x=1"},
                           data={"login": user.mobile or user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/me/registrations?x=1")
