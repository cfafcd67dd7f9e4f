"""deploy/ agrees with the app: the environment template lists every setting read from the
environment, nginx's body limits are the app's, and the gunicorn settings load without the optional
metrics library. (make test-production runs them all together.)"""
from __future__ import annotations

import re
import runpy
from pathlib import Path

from werkzeug.routing import Map, Rule

from app.access_log import MaskingLogger
from app.cohorts.selection.views import UPLOADING_ENDPOINTS
from app.config import Config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
READS = re.compile(r'(?:os\.environ\.get|os\.environ\[|_bool\(|_list\()\(?\s*"([A-Z][A-Z0-9_]+)"')


def _settings_read() -> set[str]:
    sources = [*ROOT.joinpath("app").rglob("*.py"), DEPLOY / "gunicorn.conf.py"]
    return {name for path in sources for name in READS.findall(path.read_text(encoding="utf-8"))}


def test_the_environment_template_lists_every_setting():
    template = (DEPLOY / "minhang.env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"(?m)^#?([A-Z][A-Z0-9_]+)=", template))
    read = _settings_read()
    assert {"DATABASE_URL", "SECRET_KEY", "PUBLIC_BASE_URL", "DB_POOL_SIZE", "BIND"} <= read
    assert not read - listed, f"missing from deploy/minhang.env.example: {sorted(read - listed)}"


def _megabytes(directive_block: str) -> list[int]:
    return [int(n) for n in re.findall(r"client_max_body_size\s+(\d+)m;", directive_block)]


def test_nginx_takes_the_bodies_the_app_takes():
    site = (DEPLOY / "nginx" / "minhang.conf").read_text(encoding="utf-8")
    server_wide, application_forms = _megabytes(site)
    assert server_wide * 1024 * 1024 == Config.MAX_CONTENT_LENGTH
    assert application_forms * 1024 * 1024 == Config.MAX_APPLICATION_REQUEST_BYTES


def test_nginx_gives_the_larger_limit_to_every_application_form(app):
    pattern = re.search(r"location ~ (\^/\([^)]*\)\$) \{\s*client_max_body_size 11m;", (
        DEPLOY / "nginx" / "minhang.conf").read_text(encoding="utf-8")).group(1)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint in UPLOADING_ENDPOINTS]
    assert {r.endpoint for r in rules} == set(UPLOADING_ENDPOINTS)
    for rule in rules:
        adapter = Map([Rule(rule.rule, endpoint="x")]).bind("localhost")
        path = adapter.build("x", {name: 12 for name in rule.arguments})
        assert re.match(pattern, path), path
    assert not re.match(pattern, "/camps/12/apply/extra")


def test_gunicorn_settings_and_the_metrics_hooks(monkeypatch, tmp_path):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "counter_4242.db").write_bytes(b"an earlier run's counts")
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert 2 <= settings["workers"] <= 12
    assert settings["max_requests"] > 0 and settings["max_requests_jitter"] > 0
    assert settings["graceful_timeout"] <= settings["timeout"]
    assert settings["logger_class"] is MaskingLogger
    settings["on_starting"](None)
    assert not list(tmp_path.iterdir())
    settings["child_exit"](None, type("Worker", (), {"pid": 4242})())
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == 3
