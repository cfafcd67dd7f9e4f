"""gunicorn's access log without the secrets that some URLs are (used by deploy/gunicorn.conf.py).

The access log is read by operators and shipped to log stores; pages link to their own static
files, so the Referer header carries private URLs too.
"""
from __future__ import annotations

import traceback

from gunicorn.glogging import Logger

from app import json_logs, request_id
from app.privacy import URL_MASK, mask_private_urls

# Atoms of gunicorn's access_log_format that hold a URL: the request line, path, query, Referer.
_URL_ATOMS = ("r", "U", "q", "f", "{referer}i")
_SECRET_ATOMS = ("{authorization}i", "{cookie}i", "{x-api-key}i")


class MaskingLogger(Logger):
    """gunicorn's logger, with private links masked in every access-log atom that shows a URL.

    With LOG_FORMAT=json its error log and access log are JSON lines too (app/json_logs.py): an
    access line has the request id the app answered with (X-Request-ID, which nginx passes in),
    method, path (masked, without the query string), status, duration_ms and remote_addr."""

    json_lines = False

    def setup(self, cfg):
        super().setup(cfg)
        self.json_lines = json_logs.wanted()  # once, not for every request's line
        if self.json_lines:
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(json_logs.JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.json_lines:
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return None
        atoms = self.atoms(resp, req, environ, request_time)
        given = atoms.get("{x-request-id}o") or atoms.get("{x-request-id}i")
        fields = {
            "request_id": request_id.accept_or_make(given) if given else None,
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else None,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote_addr": atoms.get("h"),
        }
        try:
            self.access_log.info("%s %s %s", fields["method"], fields["path"], fields["status"], extra=fields)
        except Exception:  # noqa: BLE001 - as gunicorn's own access(): a log line never fails a request
            self.error(traceback.format_exc())
        return None

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in _URL_ATOMS:
            if atoms.get(key):
                atoms[key] = mask_private_urls(atoms[key])
        for key in _SECRET_ATOMS:
            if atoms.get(key):
                atoms[key] = URL_MASK
        return atoms
