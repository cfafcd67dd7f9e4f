"""The session: a real database per test run (SQLite file or a fresh PostgreSQL database), the
schema built by the migrations, the app, a request context, the database session and a client.

Everything a test builds (people, events, cohorts, competitions, ...) comes from the per-domain
fixture modules under tests/fixtures/, loaded here as plugins."""
from __future__ import annotations

import os
import secrets

import pytest
import sqlalchemy as sa

pytest.register_assert_rewrite("tests.fixtures")  # before the import below: their asserts report values

from tests.fixtures.accounts import PASSWORD, login  # noqa: E402, F401 - test files import them from here

pytest_plugins = [
    "tests.fixtures.platform",
    "tests.fixtures.accounts",
    "tests.fixtures.events",
    "tests.fixtures.registrations",
    "tests.fixtures.checkin",
    "tests.fixtures.venue_codes",
    "tests.fixtures.cohorts",
    "tests.fixtures.competitions",
    "tests.fixtures.pitch",
    "tests.fixtures.studios",
    "tests.fixtures.organisations",
    "tests.fixtures.traineeships",
    "tests.fixtures.jobfairs",
    "tests.fixtures.rosters",
    "tests.fixtures.traineeship_placements",
    "tests.fixtures.certificates",
    "tests.fixtures.notifications",
    "tests.fixtures.online",
    "tests.fixtures.followups",
    "tests.fixtures.satisfaction",
    "tests.fixtures.merge",
    "tests.fixtures.rights",
    "tests.fixtures.person_codes",
    "tests.fixtures.person_record",
    "tests.fixtures.plans",
    "tests.fixtures.world",
    "tests.fixtures.queries",
]

BACKEND = os.environ.get("TEST_DATABASE", "sqlite")
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _pg_admin_engine():
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    if BACKEND != "postgresql":
        raise RuntimeError(f"TEST_DATABASE must be sqlite or postgresql, not {BACKEND!r}")
    name = f"minhang_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    from app import create_app

    application = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url,
                             SQLALCHEMY_ENGINE_OPTIONS=_engine_options(database_url),
                             UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")),
                             CERTIFICATE_PRINT_DIR=str(tmp_path_factory.mktemp("prints")))
    with application.app_context():
        upgrade()

    @application.before_request
    def _isolate_requests():
        # Tests keep a request context open for factories, and Flask reuses its app context
        # (and `g`) for client requests; drop per-request state so one request's login or
        # queued mail never leaks into the next.
        from flask import g

        g.pop("_login_user", None)
        g.pop("outbox_pending", None)
        g.pop("sms_pending", None)
        g.pop("_flask_babel", None)

    application.before_request_funcs[None].insert(0, application.before_request_funcs[None].pop())
    yield application


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_size": 20, "max_overflow": 60, "pool_pre_ping": True}


def pytest_configure(config):
    config.addinivalue_line("markers", "module_world: the module builds one data set for all its tests "
                                       "(tests/fixtures/world.py); its tests do not empty the tables")


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    yield
    if "app" not in request.fixturenames and "db_session" not in request.fixturenames:
        return
    if request.node.get_closest_marker("module_world"):
        return
    truncate_all(app)


def truncate_all(app) -> None:
    """Empty every table (modules that build one data set for all their tests call it themselves)."""
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def db_session(app, ctx):
    from app.extensions import db

    yield db.session
    db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()
