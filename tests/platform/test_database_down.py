"""While the database cannot be reached the app answers 503 with Retry-After (never a 500), in the
form the client reads; once PostgreSQL is back, the pool's dead connections are replaced before use
(pool_pre_ping), so the first request after a restart already succeeds."""
from __future__ import annotations

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
    assert options["pool_pre_ping"] is True
    assert 0 < options["pool_recycle"] <= 3600


@pytest.mark.skipif(BACKEND != "postgresql", reason="the server ends the connections: PostgreSQL only")
@pytest.mark.parametrize("pre_ping, after_restart", [(True, 200), (False, 503)])
def test_the_first_request_after_the_connections_died(app, database_url, tmp_path, pre_ping, after_restart):
    """The server ends every connection of this app (as a restart does). With pre-ping the next
    request reconnects and succeeds; without it the dead pooled connection fails the request
    (a 503, still not a 500)."""
    name = f"minhang-down-{'ping' if pre_ping else 'noping'}"
    options = {"pool_pre_ping": pre_ping, "pool_size": 2, "max_overflow": 0,
               "connect_args": {"application_name": name}}
    restarted = create_app("production", SQLALCHEMY_DATABASE_URI=database_url, SQLALCHEMY_ENGINE_OPTIONS=options,
                           UPLOAD_DIR=str(tmp_path), **PRODUCTION)
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
    response = client.get("/api/v1/events")
    assert response.status_code == after_restart
    if after_restart == 503:
        assert response.headers["Retry-After"] == "5"
        assert client.get("/api/v1/events").status_code == 200  # the dead connection was dropped
    with restarted.app_context():
        restarted.extensions["sqlalchemy"].engine.dispose()
