"""Security headers on every kind of page (issue 11, finding 6): a public page, a console page, the
scanner, an API answer, a private link; HSTS and Secure cookies in production."""
from __future__ import annotations

import pytest

from app.registrations import services as reg
from tests.conftest import PASSWORD, login

BASE = {
    "X-Content-Type-Options": "nosniff",
}


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in policy.split("; ")}


def assert_strict(response, *, referrer="same-origin", camera=False, frame_ancestors="'none'"):
    csp = _csp(response)
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert csp["img-src"] == "'self' data:" and csp["font-src"] == "'self'" and csp["connect-src"] == "'self'"
    assert csp["frame-ancestors"] == frame_ancestors
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == referrer
    permissions = dict(item.split("=") for item in response.headers["Permissions-Policy"].split(", "))
    assert permissions["camera"] == ("(self)" if camera else "()")
    assert permissions["microphone"] == permissions["geolocation"] == "()"
    assert "Strict-Transport-Security" not in response.headers  # testing: plain HTTP


def test_a_public_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_strict(response)
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_console_page_and_the_wall(client, create_user, create_event):
    organiser, event = create_user("organiser"), create_event()
    login(client, organiser)
    response = client.get(f"/console/events/{event.id}")
    assert response.status_code == 200
    assert_strict(response)
    wall = client.get(f"/console/events/{event.id}/wall")
    assert wall.status_code == 200
    assert_strict(wall, frame_ancestors="'self'")  # a dashboard of this site may frame it
    assert wall.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_scanner_may_use_the_camera_and_no_other_page_may(client):
    response = client.get("/scan/")
    assert response.status_code == 200
    assert_strict(response, camera=True, referrer="no-referrer")
    assert client.get("/scan/sw.js").headers["X-Content-Type-Options"] == "nosniff"


def test_an_api_answer(client, create_event):
    create_event()
    response = client.get("/api/v1/events")
    assert response.status_code == 200
    assert_strict(response)
    assert client.get("/api/v1/events/999999").headers["X-Content-Type-Options"] == "nosniff"


def test_private_links_send_no_referrer(client, db_session, create_user, create_event):
    registration = reg.register(create_user(), create_event())
    db_session.commit()
    ticket = client.get(f"/t/{registration.ticket_secret}")
    assert ticket.status_code == 200
    assert_strict(ticket, referrer="no-referrer")
    assert client.get(f"/t/{registration.ticket_secret}/ticket.png").headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/calendar/feed/unknown-token.ics").headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/verify/UNKNOWN").headers["Referrer-Policy"] == "no-referrer"


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert_strict(response)


def test_no_template_has_inline_script_handlers_or_styles():
    """What the policy would block, caught before a browser does (JSON data blocks are not scripts)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    found = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            found.append(f"{path.relative_to(root)}: {match.group(0)}")
        for match in re.finditer(r"\s(on[a-z]+|style)=[\"']", text):
            found.append(f"{path.relative_to(root)}: {match.group(0).strip()}")
        if "javascript:" in text:
            found.append(f"{path.relative_to(root)}: javascript: URL")
    assert found == []


@pytest.fixture
def production(tmp_path):
    from app import create_app

    return create_app("production", SECRET_KEY="s" * 32, PUBLIC_BASE_URL="https://rencai.minhang.example",
                      SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.sqlite3'}",
                      UPLOAD_DIR=str(tmp_path / "uploads"), SESSION_COOKIE_SECURE=True,
                      REMEMBER_COOKIE_SECURE=True, WEB_CONCURRENCY="1")


def test_production_sends_hsts_and_secure_cookies(production):
    client = production.test_client()
    response = client.get("/lang/en", base_url="https://rencai.minhang.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=") and "Secure" in cookie and "HttpOnly" in cookie
    assert production.config["SESSION_COOKIE_SECURE"] and production.config["REMEMBER_COOKIE_SECURE"]
    assert production.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert production.config["SESSION_COOKIE_SAMESITE"] == "Lax"
