"""While the database cannot be reached the app answers 503 with Retry-After (never a 500), in the
form the client reads; once PostgreSQL is back, the pool's dead connections are replaced before use
(app/database_liveness.py), so the first request after a restart already succeeds."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from app import create_app
from tests.conftest import BACKEND, _pg_admin_engine

CLOSED_PORT_URL = "postgresql+psycopg://postgres@127.0.0.1:1/minhang"
PRODUCTION = {"SECRET_KEY": "database-down-test", "PUBLIC_BASE_URL": "http://localhost", "WEB_CONCURRENCY": "1"}


@pytest.fixture(scope="module")
def app_without_database(tmp_path_factory):
    """A production app pointed at a PostgreSQL port where nothing listens: the database is down."""
    return create_app("production", SQLALCHEMY_DATABASE_URI=CLOSED_PORT_URL, WTF_CSRF_ENABLED=False,
                      UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")), **PRODUCTION)


def _unavailable(response) -> None:
    assert response.status_code == 503, response.status_code
    assert response.headers["Retry-After"] == "5"


def test_a_page_answers_503_with_retry_after(app_without_database):
    page = app_without_database.test_client().get("/")
    _unavailable(page)
    assert page.mimetype == "text/html"
    assert "服务暂时不可用" in page.get_data(as_text=True)


def test_the_api_answers_503_in_json(app_without_database):
    client = app_without_database.test_client()
    listing = client.get("/api/v1/events")
    _unavailable(listing)
    assert listing.json["code"] == "unavailable"
    write = client.post("/api/v1/events/1/registrations", json={}, headers={"Authorization": "Bearer abc"})
    _unavailable(write)
    assert write.json["code"] == "unavailable"
    scan = client.post("/api/v1/checkins", json={"checkpoint": 1, "token": "x"},
                       headers={"Authorization": "Bearer abc"})
    _unavailable(scan)


def test_a_page_asked_for_json_answers_json(app_without_database):
    response = app_without_database.test_client().get("/", headers={"Accept": "application/json"})
    _unavailable(response)
    assert response.json["code"] == "unavailable"


def test_a_form_post_answers_503(app_without_database):
    """The sign-in form is rate limited: the limiter's Retry-After (its window) is not the answer's."""
    response = app_without_database.test_client().post("/login", data={"login": "13800000000", "password": "x" * 8})
    _unavailable(response)


def test_no_page_without_arguments_answers_500(app_without_database):
    client = app_without_database.test_client()
    answers = {}
    for rule in app_without_database.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods or rule.endpoint == "static":
            continue
        answers[rule.rule] = client.get(rule.rule).status_code
    assert len(answers) > 20
    assert 503 in answers.values()
    assert not [path for path, status in answers.items() if status >= 500 and status != 503], answers


def test_production_engine_checks_connections_before_use():
    app = create_app("production", SQLALCHEMY_DATABASE_URI=CLOSED_PORT_URL, **PRODUCTION)
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert "pool_pre_ping" not in options  # replaced by the idle-window test of app/database_liveness.py
    assert app.config["DATABASE_PING"] is True
    assert 0 < app.config["DATABASE_PING_AFTER_IDLE_SECONDS"] <= 1
    assert 0 < options["pool_recycle"] <= 3600


@pytest.mark.skipif(BACKEND != "postgresql", reason="the server ends the connections: PostgreSQL only")
@pytest.mark.parametrize("ping, idle_window, pause, after_restart", [
    (True, 0.0, 0.0, 200),  # every checkout tested
    (True, 0.2, 0.3, 200),  # idle past the window: tested, so the dead connection is replaced
    (True, 60.0, 0.0, 503),  # back in the pool moments ago: trusted, and it was dead
    (False, 0.0, 0.0, 503),
])
def test_the_first_request_after_the_connections_died(app, database_url, tmp_path, ping, idle_window, pause,
                                                      after_restart):
    """The server ends every connection of this app (as a restart does). A connection idle for
    longer than the window is tested and replaced, so the next request succeeds; a connection not
    tested (no ping, or used within the window) fails the request (a 503, still not a 500) and the
    pool replaces it for the one after."""
    name = f"minhang-down-{'ping' if ping else 'noping'}-{idle_window}"
    options = {"pool_pre_ping": ping, "pool_size": 2, "max_overflow": 0,
               "connect_args": {"application_name": name}}
    restarted = create_app("production", SQLALCHEMY_DATABASE_URI=database_url, SQLALCHEMY_ENGINE_OPTIONS=options,
                           DATABASE_PING_AFTER_IDLE_SECONDS=idle_window, UPLOAD_DIR=str(tmp_path), **PRODUCTION)
    client = restarted.test_client()
    assert client.get("/api/v1/events").status_code == 200
    admin = _pg_admin_engine()
    try:
        with admin.connect() as conn:
            ended = conn.execute(sa.text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                         "WHERE application_name = :name"), {"name": name}).scalar()
    finally:
        admin.dispose()
    assert ended >= 1
    time.sleep(pause)
    response = client.get("/api/v1/events")
    assert response.status_code == after_restart
    if after_restart == 503:
        assert response.headers["Retry-After"] == "5"
        assert client.get("/api/v1/events").status_code == 200  # the dead connection was dropped
    with restarted.app_context():
        restarted.extensions["sqlalchemy"].engine.dispose()
