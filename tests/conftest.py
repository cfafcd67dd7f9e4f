"""Fixtures: a real database per test run (SQLite file or a fresh PostgreSQL database),
the schema built by the migrations, factories in the style of Indico's `create_event(**kw)`."""
from __future__ import annotations

import itertools
import os
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.timeutil import utcnow

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


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    yield
    if "app" not in request.fixturenames and "db_session" not in request.fixturenames:
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


# -- factories ----------------------------------------------------------------
_seq = itertools.count(1)
PASSWORD = "correct-horse-9"


@pytest.fixture
def departments(db_session):
    from app.accounts.services import ensure_departments

    result = {d.code: d for d in ensure_departments()}
    db_session.commit()
    return result


@pytest.fixture
def create_user(db_session, departments):
    from app.accounts.services import sign_up

    def _create(role: str = "participant", *, name: str | None = None, mobile: str | None = None,
                email: str | None = None, department: str | None = "talent_center", **kw):
        n = next(_seq)
        user = sign_up(name=name or f"测试用户{n}", password=PASSWORD,
                       mobile=mobile or f"139{n:08d}", email=email, **kw)
        if role != "participant":
            user.set_roles([role])
            if role == "organiser" and department:
                user.departments = [departments[department]]
        db_session.commit()
        return user

    return _create


@pytest.fixture
def create_event(db_session, departments, create_user):
    from app.events.models import Event, EventStatus
    from app.tickets.services import ensure_event_key

    def _create(**kw):
        start = kw.pop("starts_at", utcnow() + timedelta(days=7))
        event = Event(
            title=kw.pop("title", f"人才政策宣讲会 {next(_seq)}"),
            kind=kw.pop("kind", "policy_briefing"),
            department=kw.pop("department", departments["talent_center"]),
            venue=kw.pop("venue", "闵行区人才服务中心 报告厅"),
            address=kw.pop("address", "上海市闵行区沪闵路6258号"),
            starts_at=start, ends_at=kw.pop("ends_at", start + timedelta(hours=3)),
            status=kw.pop("status", EventStatus.PUBLISHED.value),
            **kw)
        db_session.add(event)
        db_session.flush()
        if event.status == EventStatus.PUBLISHED.value:
            ensure_event_key(event)
        db_session.commit()
        return event

    return _create


@pytest.fixture
def create_cohort(db_session, departments, create_user):
    """`create_cohort(tier="incubation", capacity=25, trainers=[...], cycle=None, **kw)`: a cohort of the
    entrepreneurship camp in a 2026–2027 cycle (made on first use), run by an organiser of 区就促中心,
    which is returned as `cohort.runner`."""
    from datetime import date

    from app.cohorts import services as cohorts
    from app.cohorts.models import Cycle

    runner = create_user("organiser", department="employment", name="就促中心组织者")

    def _create(tier: str = "incubation", cycle=None, trainers=None, **kw):
        programme = next(p for p in cohorts.ensure_programmes() if p.code == "startup-camp")
        if cycle is None:
            cycle = db_session.scalar(sa.select(Cycle).where(Cycle.programme_id == programme.id,
                                                             Cycle.name == "2026–2027"))
        if cycle is None:
            cycle = cohorts.create_cycle(runner, programme, name="2026–2027", starts_on=date(2026, 3, 1),
                                         ends_on=date(2027, 12, 31), intake=kw.pop("intake", 60))
        chosen = next(t for t in programme.tiers if t.code == tier)
        if trainers is None:
            trainers = [create_user("trainer", name=f"导师{next(_seq)}")]
        cohort = cohorts.create_cohort(runner, cycle, chosen, trainers=trainers, **kw)
        db_session.commit()
        cohort.runner = runner
        return cohort

    return _create


def login(client, user, password: str = PASSWORD):
    response = client.post("/login", data={"login": user.mobile or user.email, "password": password})
    assert response.status_code == 302, response.data[:500]
    return response


@pytest.fixture
def login_as(client):
    def _login(user):
        login(client, user)
        return client
    return _login
