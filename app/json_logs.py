"""LOG_FORMAT=json: every log line one JSON object, for a log store to index.

Each line has time (ISO 8601 in Asia/Shanghai, with its +08:00 offset), level, logger, message
and, during a request, request_id, method, path (private links masked as in the access log, no
query string) and the client's address; the access log adds status and duration_ms. Nothing else
of the request is taken: query strings and bodies carry tokens and phone numbers.
"""
from __future__ import annotations

import json
import logging
import os
from datetime import datetime

from flask import has_request_context, request

from app import request_id
from app.privacy import mask_private_urls
from app.timeutil import LOCAL_TZ

# Set on a record by RequestFilter or by the access log (app/access_log.py).
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "remote_addr")


def wanted() -> bool:
    return (os.environ.get("LOG_FORMAT") or "").strip().lower() == "json"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, LOCAL_TZ).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestFilter(logging.Filter):
    """On a handler: every record passing through it gets the request's id (or, in a job, the id
    of the request that enqueued it) and where the request went."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.current()
        if has_request_context() and getattr(record, "path", None) is None:
            record.method = request.method
            record.path = mask_private_urls(request.path)
            record.remote_addr = request.remote_addr
        return True
