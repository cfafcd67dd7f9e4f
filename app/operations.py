"""The operators' endpoints: /healthz and /readyz for the load balancer, /metrics for Prometheus.

Answered in front of Flask (a WSGI layer inside ProxyFix): no session, no cookie, no rate limit,
no CSRF, and no Host check either — a load balancer's probe or a scrape of 127.0.0.1:8000 does
not send the public host name. /metrics is only for the addresses in METRICS_ALLOWED_NETWORKS
(after ProxyFix: the client's, not nginx's) and, when METRICS_TOKEN is set, only with it as a
bearer token; anyone else gets the site's own 404 page, as for any address that does not exist.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import logging

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask
from redis import Redis
from werkzeug.wrappers import Request, Response

from app import metrics, request_id
from app.extensions import db, migrate

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
CHECK_TIMEOUT_SECONDS = 2


def _networks(app: Flask) -> list:
    try:
        return [ipaddress.ip_network(cidr, strict=False) for cidr in app.config["METRICS_ALLOWED_NETWORKS"]]
    except ValueError as exc:
        raise RuntimeError(f"METRICS_ALLOWED_NETWORKS must be a comma-separated list of CIDRs: {exc}") from exc


class OperationsEndpoints:
    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app, self.app = wsgi_app, app
        self.networks = _networks(app)
        self.token = app.config.get("METRICS_TOKEN") or None
        self._heads: set[str] | None = None

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if method in ("GET", "HEAD"):
            if path == "/healthz":
                return self._json(environ, 200, {"status": "ok"})(environ, start_response)
            if path == "/readyz":
                return self._ready(environ)(environ, start_response)
            if path == "/metrics" and self._may_scrape(environ):
                with self.app.app_context():
                    body = metrics.exposition(self.app)
                return self._answer(environ, Response(body, 200, content_type=metrics.CONTENT_TYPE))(
                    environ, start_response)
        return self.wsgi_app(environ, start_response)

    # -- answers ----------------------------------------------------------------------------------
    def _answer(self, environ, response: Response) -> Response:
        offered = Request(environ).headers.get(request_id.HEADER)
        response.headers[request_id.HEADER] = request_id.accept_or_make(offered)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    def _json(self, environ, status: int, body: dict) -> Response:
        return self._answer(environ, Response(json.dumps(body), status, content_type="application/json"))

    def _ready(self, environ) -> Response:
        checks = self.checks()
        if all(result == "ok" for result in checks.values()):
            return self._json(environ, 200, {"status": "ok", "checks": checks})
        response = self._json(environ, 503, {"status": "unavailable", "checks": checks})
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    # -- readiness --------------------------------------------------------------------------------
    def checks(self) -> dict[str, str]:
        """Each check's name and "ok" or "failed"; why it failed goes to the log (the exception's
        class only: its text may name hosts), never into the answer."""
        results = {}
        with self.app.app_context():
            try:
                with db.engine.connect() as conn:
                    results.update(self._database_checks(conn))
            except Exception as exc:  # noqa: BLE001 - any failure makes the process not ready
                log.warning("readyz: database check failed (%s)", type(exc).__name__)
                results["database"] = results["migrations"] = "failed"
            url = self.app.config.get("REDIS_URL")
            if url:
                client = Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
                                        socket_timeout=CHECK_TIMEOUT_SECONDS)
                try:
                    client.ping()
                    results["redis"] = "ok"
                except Exception as exc:  # noqa: BLE001 - as above
                    log.warning("readyz: Redis check failed (%s)", type(exc).__name__)
                    results["redis"] = "failed"
                finally:
                    client.close()
        return results

    def _database_checks(self, conn) -> dict[str, str]:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"SET LOCAL statement_timeout = {CHECK_TIMEOUT_SECONDS * 1000}"))
        conn.execute(sa.text("SELECT 1"))
        try:
            # The version table itself, not alembic's MigrationContext: that logs two lines a probe.
            current = set(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
        except sa.exc.DBAPIError as exc:
            log.warning("readyz: no migration recorded in the database (%s)", type(exc).__name__)
            return {"database": "ok", "migrations": "failed"}
        if current != self._code_heads():
            log.warning("readyz: the database's migration is not the code's head")
            return {"database": "ok", "migrations": "failed"}
        return {"database": "ok", "migrations": "ok"}

    def _code_heads(self) -> set[str]:
        if self._heads is None:  # the code does not change under a running process
            self._heads = set(ScriptDirectory.from_config(migrate.get_config()).get_heads())
        return self._heads

    # -- who may scrape ---------------------------------------------------------------------------
    def _may_scrape(self, environ) -> bool:
        # Forwarded by a proxy that ProxyFix was not told to believe: REMOTE_ADDR is the proxy's
        # own (127.0.0.1), which would let the whole internet through nginx.
        if environ.get("HTTP_X_FORWARDED_FOR") and "werkzeug.proxy_fix.orig" not in environ:
            return False
        try:
            address = ipaddress.ip_address(environ.get("REMOTE_ADDR") or "")
        except ValueError:
            return False
        if address.version == 6 and address.ipv4_mapped:  # ::ffff:127.0.0.1 on a dual-stack socket
            address = address.ipv4_mapped
        if not any(address in network for network in self.networks):
            return False
        if self.token:
            offered = environ.get("HTTP_AUTHORIZATION") or ""
            return hmac.compare_digest(offered.encode(), f"Bearer {self.token}".encode())
        return True


def init_app(app: Flask) -> None:
    """Before ProxyFix wraps the app (create_app's _trust_proxies), so that it sees the client."""
    app.wsgi_app = OperationsEndpoints(app.wsgi_app, app)
