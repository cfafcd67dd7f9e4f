"""The request id: one token per request that ties its log lines together and can be followed
from nginx (which passes X-Request-ID $request_id) to the application and on to the RQ jobs the
request enqueued."""
from __future__ import annotations

import re
import secrets
from contextvars import ContextVar

from flask import Flask, g, has_app_context, request

HEADER = "X-Request-ID"
# Only a plain token is taken over: anything else (a newline forging a log line, 500 characters)
# is replaced by one of ours.
_SANE = re.compile(r"[A-Za-z0-9-]{8,64}")
# Outside a request (an RQ job, a thread) the id of the request that started the work, if any.
_outside_request: ContextVar[str | None] = ContextVar("request_id", default=None)


def accept_or_make(offered: str | None) -> str:
    if offered and _SANE.fullmatch(offered):
        return offered
    return secrets.token_hex(16)


def current() -> str | None:
    if has_app_context() and "request_id" in g:
        return g.request_id
    return _outside_request.get()


def set_outside_request(value: str | None):
    """For a job's duration (app/worker.py); returns the token to reset it with."""
    return _outside_request.set(value if value and _SANE.fullmatch(value) else None)


def reset_outside_request(token) -> None:
    _outside_request.reset(token)


def _take() -> None:
    g.request_id = accept_or_make(request.headers.get(HEADER))


def _echo(response):
    if "request_id" in g:
        response.headers[HEADER] = g.request_id
    return response


def init_app(app: Flask) -> None:
    # First of all hooks, so that whatever the others log carries the id.
    app.before_request_funcs.setdefault(None, []).insert(0, _take)
    app.after_request(_echo)
