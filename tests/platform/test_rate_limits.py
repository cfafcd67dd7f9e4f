"""Rate limits shared by every worker, behind a proxy, keyed by account and address (issue 11,
finding 7), and sign-up throttled like login (finding 13).

These run against the real Redis the production setup uses (TEST_REDIS_URL), each test under
its own key prefix, removed afterwards."""
from __future__ import annotations

import logging

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import request

from app.config import Config
from tests.conftest import PASSWORD
from tests.fixtures.platform import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_LIMITS = {"LOGIN_RATE_LIMIT": Config.LOGIN_RATE_LIMIT,
                     "LOGIN_ACCOUNT_RATE_LIMIT": getattr(Config, "LOGIN_ACCOUNT_RATE_LIMIT", None)}


@pytest.fixture
def redis_prefix(redis_client):
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"minhang-test-{secrets.token_hex(6)}"
    yield prefix
    for key in redis_client.scan_iter(match=f"*{prefix}*", count=500):
        redis_client.delete(key)


@pytest.fixture
def worker(app, database_url, redis_prefix, tmp_path):
    """`worker(**config)`: an app built like one gunicorn worker in production (create_app,
    limits in Redis). The limiter is one object per process, so it is put back afterwards."""
    from app import create_app
    from app.extensions import db, limiter

    saved = (limiter._storage, limiter._limiter, limiter._key_prefix)
    built = []

    def _build(**config):
        settings = {"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_DIR": str(tmp_path / "uploads"),
                    "RATELIMIT_STORAGE_URI": REDIS_URL, **PRODUCTION_LIMITS, **config}
        instance = create_app("testing", **settings)
        limiter._key_prefix = redis_prefix
        built.append(instance)
        return instance

    yield _build
    limiter._storage, limiter._limiter, limiter._key_prefix = saved
    for instance in built:
        with instance.app_context():
            db.engine.dispose()


def _people(db_session, count: int, start: int = 0):
    """`count` participants sharing one password hash (hashing 300 passwords would only slow the test)."""
    from app.accounts.models import User
    from werkzeug.security import generate_password_hash

    digest = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    base = 13600000000 + secrets.randbelow(10**6) * 1000 + start
    users = [User(name=f"参会者{i}", mobile=str(base + i), password_hash=digest) for i in range(count)]
    db_session.add_all(users)
    db_session.commit()
    return [u.mobile for u in users]


def test_a_venue_of_300_people_signs_in_from_one_address(worker, db_session):
    instance = worker()
    mobiles = _people(db_session, 300)
    codes = [instance.test_client().post("/login", data={"login": m, "password": PASSWORD},
                                         environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code
             for m in mobiles]
    assert codes == [302] * 300


def test_wrong_passwords_from_many_addresses_pause_that_account_only(worker, db_session):
    instance = worker(PROXY_FIX_X_FOR=1)
    victim, neighbour = _people(db_session, 2)

    def attempt(login, password, address):
        return instance.test_client().post("/login", data={"login": login, "password": password},
                                           headers={"X-Forwarded-For": address})

    codes = [attempt(victim, f"guess-{i}", f"198.51.100.{i + 1}").status_code for i in range(20)]
    assert codes == [200] * 20
    paused = attempt(victim, PASSWORD, "198.51.100.1")
    assert paused.status_code == 429
    assert "错误密码次数过多" in paused.get_data(as_text=True)
    # However it is typed, it is the same account.
    assert attempt("+86 " + victim, PASSWORD, "198.51.100.50").status_code == 429
    # The same address (a venue's) still lets another person in.
    assert attempt(neighbour, PASSWORD, "198.51.100.1").status_code == 302
    # The API token exchange counts against the same account.
    api = instance.test_client().post("/api/v1/auth/token", json={"login": victim, "password": PASSWORD},
                                      headers={"X-Forwarded-For": "198.51.100.60"})
    assert api.status_code == 429 and api.json["code"] == "rate_limited"


def test_refused_sign_ins_per_address_are_limited(worker, db_session, caplog):
    caplog.set_level(logging.INFO, logger="flask-limiter")
    instance = worker(LOGIN_RATE_LIMIT="5 per minute")
    mobiles = _people(db_session, 7)
    client = instance.test_client()
    # Five different accounts, one wrong password each: the address is now paused, for any
    # account, while the accounts themselves are not.
    assert [client.post("/login", data={"login": m, "password": "wrong-one"}).status_code
            for m in mobiles[:5]] == [200] * 5
    assert client.post("/login", data={"login": mobiles[5], "password": PASSWORD}).status_code == 429
    # The refusal is logged, without the address it was keyed by (personal data).
    tripped = [r.getMessage() for r in caplog.records if r.name == "flask-limiter"]
    assert tripped and all("127.0.0.1" not in line and "***" in line for line in tripped), tripped
    elsewhere = instance.test_client().post("/login", data={"login": mobiles[0], "password": PASSWORD},
                                            environ_base={"REMOTE_ADDR": "192.0.2.99"})
    assert elsewhere.status_code == 302


def test_sign_up_probes_are_limited_per_address(worker, db_session):
    """Finding 13: sign-up says whether a mobile number is registered; probing it is counted
    with the failed sign-ins of that address, while people who sign up are not."""
    instance = worker(LOGIN_RATE_LIMIT="5 per minute")
    registered = _people(db_session, 5)
    client = instance.test_client()
    new_people = [client.post("/signup", data={"name": f"新用户{i}", "mobile": f"1370000{i:04d}",
                                              "password": PASSWORD, "consent": "y"}).status_code for i in range(8)]
    assert new_people == [302] * 8
    probes = [instance.test_client().post("/signup", data={"name": "x", "mobile": m, "password": PASSWORD,
                                                                    "consent": "y"})
              for m in registered]
    assert [p.status_code for p in probes] == [200] * 5
    assert "该手机号已注册" in probes[0].get_data(as_text=True)  # kept: people need to know to sign in instead
    blocked = instance.test_client().post("/signup", data={"name": "x", "mobile": "13700009999",
                                                           "password": PASSWORD})
    assert blocked.status_code == 429
    # Shared with login: the same address's failed logins are paused too.
    assert instance.test_client().post("/login", data={"login": registered[0], "password": "nope-nope"}
                                       ).status_code == 429


WORKER_SCRIPT = """
import json, sys
from app import create_app
from app.extensions import limiter
settings, prefix, login, count = json.loads(sys.argv[1])
app = create_app("testing", **settings)
limiter._key_prefix = prefix
client = app.test_client()
codes = [client.post("/login", data={"login": login, "password": f"wrong-{i}"}).status_code
         for i in range(count)]
print(json.dumps(codes))
"""


def test_two_workers_count_together(worker, db_session, database_url, redis_prefix, tmp_path):
    """Two processes, as gunicorn's workers are, share one count in Redis."""
    instance = worker()
    (victim,) = _people(db_session, 1)
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_DIR": str(tmp_path / "uploads"),
                "RATELIMIT_STORAGE_URI": REDIS_URL, **PRODUCTION_LIMITS}
    other = subprocess.run([sys.executable, "-c", WORKER_SCRIPT, json.dumps([settings, redis_prefix, victim, 10])],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert other.returncode == 0, other.stderr[-2000:]
    assert json.loads(other.stdout.strip().splitlines()[-1]) == [200] * 10
    client = instance.test_client()
    assert [client.post("/login", data={"login": victim, "password": f"again-{i}"}).status_code
            for i in range(10)] == [200] * 10
    assert client.post("/login", data={"login": victim, "password": PASSWORD}).status_code == 429


def test_production_refuses_per_process_limits_with_several_workers(database_url, tmp_path):
    from app import create_app

    settings = {"SECRET_KEY": "s" * 32, "SQLALCHEMY_DATABASE_URI": database_url, "PUBLIC_BASE_URL": "https://x.example",
                "UPLOAD_DIR": str(tmp_path / "uploads"), "RATELIMIT_STORAGE_URI": "memory://"}
    for workers in ("4", None):
        with pytest.raises(RuntimeError, match="REDIS_URL"):
            create_app("production", WEB_CONCURRENCY=workers, **settings)
    create_app("production", WEB_CONCURRENCY="1", **settings)  # a single process may count alone
    create_app("production", WEB_CONCURRENCY="4", **{**settings, "RATELIMIT_STORAGE_URI": REDIS_URL})


def test_proxy_fix_only_when_configured(worker):
    def seen(instance, forwarded="203.0.113.9"):
        instance.add_url_rule("/_seen", "seen", lambda: f"{request.remote_addr} {request.scheme}")
        return instance.test_client().get("/_seen", headers={"X-Forwarded-For": forwarded,
                                                              "X-Forwarded-Proto": "https"},
                                          environ_base={"REMOTE_ADDR": "10.0.0.2"}).get_data(as_text=True)

    assert seen(worker()) == "10.0.0.2 http"  # default: nobody's header is believed
    assert seen(worker(PROXY_FIX_X_FOR=1)) == "203.0.113.9 https"
    # One trusted proxy: what a client wrote in front of the proxy's own entry is ignored.
    assert seen(worker(PROXY_FIX_X_FOR=1), forwarded="1.1.1.1, 203.0.113.9") == "203.0.113.9 https"


def test_account_keys_carry_no_personal_data(app):
    from app.accounts.throttle import account_key

    with app.test_request_context("/login", method="POST", data={"login": "13912345678"}):
        key = account_key()
    with app.test_request_context("/login", method="POST", data={"login": "139-1234-5678"}):
        assert account_key() == key
    assert "1391234" not in key and "5678" not in key
