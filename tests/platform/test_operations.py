"""Issue 18: /healthz and /readyz for the load balancer, /metrics for operators on an internal address,
JSON log lines with a request id."""
from __future__ import annotations

import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from app import create_app, json_logs, jobs, metrics, request_id
from app.extensions import migrate
from app.worker import AppSimpleWorker
from tests.fixtures.platform import REDIS_URL
from tests.notifications.test_sms import _queue, aliyun, clock  # noqa: F401 - fixtures for the SMS counts

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq7kP2mXw9Lr4Tn8Vb3Hc6Jd"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _app(database_url, **overrides):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, **overrides)


def _samples(text: str) -> dict[tuple, float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


# -- /healthz ----------------------------------------------------------------------------------
def test_healthz_answers_without_the_database_a_session_or_a_cookie(app, client):
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    sa.event.listen(Engine, "before_cursor_execute", count)
    try:
        response = client.get("/healthz")
        assert statements == []
        client.get("/readyz")  # which does ask the database: the listener hears it
        assert statements
    finally:
        sa.event.remove(Engine, "before_cursor_execute", count)
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"] == "no-store"


def test_healthz_is_alive_even_when_the_database_is_not():
    broken = _app(f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/nowhere")
    assert broken.test_client().get("/healthz").status_code == 200


def test_healthz_is_never_rate_limited(app, client):
    assert all(client.get("/healthz").status_code == 200 for _ in range(50))


# -- /readyz -----------------------------------------------------------------------------------
def test_readyz_is_ready_with_the_database_at_the_code_s_migration(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_readyz_checks_redis_when_it_is_configured(app, client, monkeypatch, redis_client):
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    assert client.get("/readyz").json["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}


def test_readyz_is_503_when_redis_does_not_answer(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{_free_port()}/0")
    response = client.get("/readyz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "10"
    assert response.json == {"status": "unavailable",
                             "checks": {"database": "ok", "migrations": "ok", "redis": "failed"}}


def test_readyz_is_503_when_the_database_is_down_and_names_no_host():
    port = _free_port()
    broken = _app(f"postgresql+psycopg://postgres@127.0.0.1:{port}/nowhere")
    started = time.monotonic()
    response = broken.test_client().get("/readyz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503 and response.headers["Retry-After"] == "10"
    assert response.json == {"status": "unavailable", "checks": {"database": "failed", "migrations": "failed"}}
    body = response.get_data(as_text=True)
    assert str(port) not in body and "127.0.0.1" not in body and "postgres" not in body


def test_readyz_is_503_when_the_database_is_behind_the_code_s_migrations(app, tmp_path):
    with app.app_context():
        script = ScriptDirectory.from_config(migrate.get_config())
        head, = script.get_heads()
        older = script.get_revision(head).down_revision
    assert older and older != head
    url = f"sqlite:///{tmp_path / 'older.sqlite3'}"
    never_migrated = _app(url).test_client().get("/readyz")
    assert never_migrated.status_code == 503
    assert never_migrated.json["checks"] == {"database": "ok", "migrations": "failed"}
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # what `flask db stamp <older>` leaves
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": older})
    engine.dispose()
    response = _app(url).test_client().get("/readyz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "10"
    assert response.json["checks"] == {"database": "ok", "migrations": "failed"}
    assert older not in response.get_data(as_text=True) and head not in response.get_data(as_text=True)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    engine.dispose()
    assert _app(url).test_client().get("/readyz").status_code == 200


# -- /metrics ----------------------------------------------------------------------------------
def test_metrics_from_the_machine_itself_count_requests_by_rule(client):
    def count():
        response = client.get("/metrics")
        assert response.status_code == 200 and response.mimetype == "text/plain"
        assert "Set-Cookie" not in response.headers
        return _samples(response.get_data(as_text=True))

    key = ("minhang_http_requests_total", (("endpoint", "/events/<int:event_id>"), ("method", "GET"),
                                           ("status", "4xx")))
    latency = ("minhang_http_request_duration_seconds_count", (("endpoint", "/events/<int:event_id>"),))
    before = count()
    assert client.get("/events/987654").status_code == 404
    assert client.get("/events/987653").status_code == 404
    after = count()
    assert after[key] - before.get(key, 0) == 2
    assert after[latency] - before.get(latency, 0) == 2
    assert not any("987654" in str(labels) for _name, labels in after)  # the rule, never the path


def test_a_server_error_is_counted(app, client):
    broken = _app(app.config["SQLALCHEMY_DATABASE_URI"], PROPAGATE_EXCEPTIONS=False)

    @broken.route("/_ops_test_boom")
    def boom():
        raise RuntimeError("boom")

    before = REGISTRY.get_sample_value("minhang_http_errors_total", {"endpoint": "/_ops_test_boom"}) or 0
    assert broken.test_client().get("/_ops_test_boom").status_code == 500
    assert REGISTRY.get_sample_value("minhang_http_errors_total", {"endpoint": "/_ops_test_boom"}) == before + 1


def test_metrics_from_another_address_are_the_site_s_404(client):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 404
    assert "minhang_http_requests_total" not in response.get_data(as_text=True)


def test_metrics_through_a_proxy_count_the_client_s_address(app):
    behind = _app(app.config["SQLALCHEMY_DATABASE_URI"], PROXY_FIX_X_FOR=1)
    client = behind.test_client()
    assert client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"}).status_code == 404
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200
    # Without ProxyFix, a forwarded request would seem to come from nginx's own 127.0.0.1.
    unbelieving = _app(app.config["SQLALCHEMY_DATABASE_URI"]).test_client()
    assert unbelieving.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"}).status_code == 404


def test_metrics_networks_and_token_are_settings(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    client = _app(url, METRICS_ALLOWED_NETWORKS=["10.1.0.0/16"], METRICS_TOKEN="s3cret-token").test_client()
    elsewhere = {"REMOTE_ADDR": "10.1.2.3"}
    assert client.get("/metrics", environ_base=elsewhere).status_code == 404
    assert client.get("/metrics", environ_base=elsewhere,
                      headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", environ_base=elsewhere,
                      headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).status_code == 404
    with pytest.raises(RuntimeError, match="METRICS_ALLOWED_NETWORKS"):
        _app(url, METRICS_ALLOWED_NETWORKS=["not-a-network"])


def test_metrics_count_the_jobs_waiting_and_failed_in_each_queue(app, client, monkeypatch, create_rq_queue):
    queue = create_rq_queue("metrics")
    monkeypatch.setitem(app.config, "METRICS_RQ_QUEUES", [queue.name])
    queue.enqueue("os.getcwd")
    queue.enqueue("os.getcwd")
    samples = _samples(client.get("/metrics").get_data(as_text=True))
    assert samples[("minhang_rq_up", ())] == 1
    assert samples[("minhang_rq_jobs_queued", (("queue", queue.name),))] == 2
    assert samples[("minhang_rq_jobs_failed", (("queue", queue.name),))] == 0
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{_free_port()}/0")
    response = client.get("/metrics")
    assert response.status_code == 200 and _samples(response.get_data(as_text=True))[("minhang_rq_up", ())] == 0


def test_sms_sent_and_failed_are_counted(app, db_session, aliyun, clock, create_user, monkeypatch):  # noqa: F811
    from app.notifications.sms import services as sms_services

    def value(name):
        return REGISTRY.get_sample_value(name) or 0

    sent, failed = value("minhang_sms_sent_total"), value("minhang_sms_failed_total")
    _queue(create_user())
    assert sms_services.deliver_due()["sent"] == 1
    assert (value("minhang_sms_sent_total"), value("minhang_sms_failed_total")) == (sent + 1, failed)
    monkeypatch.setitem(app.config, "SMS_ACCESS_KEY_SECRET", "not-the-secret")
    _queue(create_user())
    sms_services.deliver_due()
    assert (value("minhang_sms_sent_total"), value("minhang_sms_failed_total")) == (sent + 1, failed + 1)


def test_without_redis_a_failed_plan_report_is_counted_in_the_process(app):
    def value():
        return REGISTRY.get_sample_value("minhang_background_jobs_failed_total", {"kind": "plan_report"}) or 0

    before = value()
    with app.app_context():
        metrics.job_failed("plan_report")
    assert value() == before + 1


def test_with_redis_sms_and_failed_jobs_are_added_up_in_redis_for_every_process(
        app, client, monkeypatch, create_rq_queue, redis_client):
    with app.app_context():  # without Redis: counted in this process, a family of its own
        metrics.job_failed("plan_report")
    create_rq_queue("events")  # points the app's REDIS_URL at the test Redis
    key = f"minhang-test:metrics:{os.getpid()}:{time.monotonic_ns()}"
    monkeypatch.setitem(app.config, "METRICS_REDIS_KEY", key)
    try:
        with app.app_context():  # as an RQ work horse would, in a process of its own
            metrics.sms_outcome(sent=True)
            metrics.sms_outcome(sent=True)
            metrics.sms_outcome(sent=False)
            metrics.job_failed("certificate_print")
            metrics.job_failed("plan_report")  # the family counted in this process above must not show twice
        text = client.get("/metrics").get_data(as_text=True)
    finally:
        redis_client.delete(key)
    samples = _samples(text)
    assert samples[("minhang_sms_sent_total", ())] == 2 and samples[("minhang_sms_failed_total", ())] == 1
    assert samples[("minhang_background_jobs_failed_total", (("kind", "certificate_print"),))] == 1
    assert samples[("minhang_background_jobs_failed_total", (("kind", "plan_report"),))] == 1
    assert text.count("# TYPE minhang_background_jobs_failed_total counter") == 1
    assert text.count("# TYPE minhang_sms_sent_total counter") == 1


MULTIPROCESS_CHILD = textwrap.dedent("""
    import sys
    from app import create_app
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=sys.argv[1])
    client = app.test_client()
    for _ in range(int(sys.argv[2])):  # a static file: the database here is empty
        assert client.get("/static/css/app.css").status_code == 200
    if sys.argv[3] == "scrape":
        sys.stdout.write(client.get("/metrics").get_data(as_text=True))
""")


def test_multiprocess_mode_adds_up_the_counts_of_every_process(tmp_path):
    folder = tmp_path / "prometheus"
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(folder), INSTANCE_PATH=str(tmp_path))
    env.pop("REDIS_URL", None)
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"

    def child(requests: int, then: str) -> str:
        done = subprocess.run([sys.executable, "-c", MULTIPROCESS_CHILD, url, str(requests), then], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    folder.mkdir()
    (folder / "counter_99999.db").write_bytes(b"from an earlier run")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    try:
        metrics.clean_multiprocess_dir()
    finally:
        del os.environ["PROMETHEUS_MULTIPROC_DIR"]
    assert list(folder.iterdir()) == []

    child(2, "exit")
    text = child(1, "scrape")
    key = ("minhang_http_requests_total", (("endpoint", "/static/<path:filename>"), ("method", "GET"),
                                           ("status", "2xx")))
    assert _samples(text)[key] == 3  # two processes' counts in one scrape
    assert len(list(folder.glob("counter_*.db"))) == 2


# -- the request id and JSON logs --------------------------------------------------------------
@pytest.fixture
def json_app(app):
    """An app built with LOG_FORMAT=json, its log lines caught; the handler's text format comes back after."""
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_minhang", False))
    formatter = handler.formatter
    built = _app(app.config["SQLALCHEMY_DATABASE_URI"], LOG_FORMAT="json")
    assert isinstance(handler.formatter, json_logs.JsonFormatter)

    @built.route("/_ops_test_log/t/<code>")
    def log_something(code):
        logging.getLogger("app.ops_test").warning("looked at a thing")
        return "ok"

    caught = io.StringIO()
    stream = handler.setStream(caught)
    yield built, caught
    handler.setStream(stream)
    handler.setFormatter(formatter)


def _lines(caught: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in caught.getvalue().splitlines() if line.strip()]


def test_json_log_lines_carry_the_request_id_nginx_passed(json_app):
    built, caught = json_app
    response = built.test_client().get(f"/_ops_test_log/t/{SECRET}?token=tok3nvalue&mobile=13912345678",
                                       headers={"X-Request-ID": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"})
    assert response.headers["X-Request-ID"] == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    line, = [entry for entry in _lines(caught) if entry["logger"] == "app.ops_test"]
    assert line["request_id"] == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    assert (line["level"], line["message"], line["method"]) == ("WARNING", "looked at a thing", "GET")
    assert line["path"] == "/_ops_test_log/t/***"  # masked as in the access log, without the query
    assert line["remote_addr"] == "127.0.0.1"
    assert line["time"].endswith("+08:00")
    assert "13912345678" not in caught.getvalue() and "tok3nvalue" not in caught.getvalue()


@pytest.mark.parametrize("forged", ["abc\nFAKE LOG LINE", "a" * 500, "short", "<script>x</script>-1234"])
def test_a_forged_request_id_is_replaced(json_app, forged):
    built, caught = json_app
    # As the raw header arrives (the test client would refuse a newline in a header it sends).
    response = built.test_client().get("/_ops_test_log/t/x", environ_base={"HTTP_X_REQUEST_ID": forged})
    given = response.headers["X-Request-ID"]
    assert given != forged and re.fullmatch(r"[0-9a-f]{32}", given)
    line, = [entry for entry in _lines(caught) if entry["logger"] == "app.ops_test"]
    assert line["request_id"] == given and "FAKE" not in caught.getvalue()


def test_each_request_gets_its_own_id(client):
    first, second = (client.get("/healthz").headers["X-Request-ID"], client.get("/").headers["X-Request-ID"])
    assert first != second and all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid in (first, second))


def test_a_job_enqueued_by_a_request_carries_its_id(app, create_rq_queue):
    queue = create_rq_queue("request-id")
    with app.test_request_context("/", headers={"X-Request-ID": "feedface-0000-1111"}):
        app.preprocess_request()
        job = jobs.enqueue(queue.name, os.getcwd)
    assert job.meta["request_id"] == "feedface-0000-1111"
    # The worker puts it back for the job's log lines (a job of request_id.current itself).
    echo = queue.enqueue(request_id.current, meta={"request_id": "feedface-0000-1111"})
    AppSimpleWorker([queue], connection=queue.connection, app=app).work(burst=True)
    assert echo.return_value() == "feedface-0000-1111"
    assert request_id.current() is None  # and takes it away again


def test_gunicorn_writes_json_access_lines_with_the_request_id(tmp_path):
    port, log = _free_port(), tmp_path / "access.log"
    env = dict(os.environ, APP_ENV="testing", DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
               INSTANCE_PATH=str(tmp_path), ACCESS_LOG=str(log), BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1",
               LOG_FORMAT="json")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/t/{SECRET}?token=tok3nvalue",
                                         headers={"X-Request-ID": "abcdef12-3456-7890"})
        status = None
        for _ in range(300):  # until gunicorn listens
            try:
                status = urllib.request.urlopen(request, timeout=10).status
                break
            except urllib.error.HTTPError as refused:  # the database is empty: whatever the page answers
                status = refused.code
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(50):
            if log.exists() and log.read_text().strip():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    line, = [json.loads(text) for text in log.read_text().splitlines() if text.strip()]
    assert line["request_id"] == "abcdef12-3456-7890"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/t/***", status)
    assert line["remote_addr"] == "127.0.0.1" and line["duration_ms"] >= 0
    assert line["logger"] == "gunicorn.access" and line["time"].endswith("+08:00")
    assert SECRET not in log.read_text() and "tok3nvalue" not in log.read_text()
    own = [json.loads(text) for text in output.splitlines() if text.strip()]  # gunicorn's own lines too
    assert any(entry["logger"] == "gunicorn.error" for entry in own)
