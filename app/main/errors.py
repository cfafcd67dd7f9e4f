from __future__ import annotations

import logging
import traceback

from flask import Flask, current_app, g, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from app.errors import ServiceError
from app.extensions import db
from app.privacy import mask_private_urls

log = logging.getLogger(__name__)

MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have permission to open this page."),
    404: lambda: _("The page you are looking for does not exist."),
    405: lambda: _("This action is not allowed here."),
    413: lambda: _("The uploaded file is too large."),
    429: lambda: _("Too many attempts. Please wait a moment and try again."),
    500: lambda: _("Something went wrong on our side. Please try again later."),
    503: lambda: _("The service is briefly unavailable. Please try again in a moment."),
}

# The database cannot be reached (down, restarting, pool exhausted): the request may succeed in a
# moment, so it is a 503, not a bug to report as a 500.
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError, sa_exc.TimeoutError)
# A PostgreSQL restart takes seconds and the pool reconnects on the next request (pool_pre_ping):
# clients (and nginx's own 503, deploy/nginx/minhang.conf) are told to come back that soon.
RETRY_AFTER_SECONDS = 5


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _script_route() -> bool:
    """A page route marked with web.answers_json (its refusals go to a script, not a person)."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "answers_json", False)


def _render(status: int, message: str, headers=None):
    if _wants_json():
        code = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "too_large", 429: "rate_limited",
                503: "unavailable"}.get(status, "error")
        return jsonify(code=code, message=message), status, headers or {}
    if request_ctx.url_adapter is None:  # refused before routing (an untrusted Host): no links to draw
        return message, status, {**dict(headers or {}), "Content-Type": "text/plain; charset=utf-8"}
    try:
        page = render_template("errors/error.html", status=status, message=message)
    except UNAVAILABLE:  # the page's menu asks the dead database who is signed in
        page = message
    return page, status, headers or {}


def _database_error(exc: BaseException) -> sa_exc.DBAPIError | None:
    """The database error in an exception's chain, if any."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, sa_exc.DBAPIError):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def loggable(exc: BaseException) -> str:
    """What the log may keep of an error. A database error's text carries the bound values and,
    on PostgreSQL, a DETAIL line quoting the row (`Key (mobile)=(139...)`): only the error's
    class, the constraint and the statement with its placeholders are kept, and the stack."""
    found = _database_error(exc)
    if found is None:
        return "".join(traceback.format_exception(exc)).rstrip()
    driver = type(found.orig).__name__ if found.orig is not None else ""
    constraint = getattr(getattr(found.orig, "diag", None), "constraint_name", None)
    summary = f"{type(found).__name__} ({driver}{', constraint ' + constraint if constraint else ''})"
    return (f"{summary}\n[SQL: {found.statement}]\n"
            + "".join(traceback.format_tb(exc.__traceback__)).rstrip())


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        message = MESSAGES.get(status, lambda: exc.description)()
        if status == 429 and getattr(getattr(exc, "limit", None), "error_message", None):
            message = exc.description  # a limit that explains itself (e.g. an account paused)
        if status == 400 and "CSRF" in (exc.description or ""):
            message = _("This form has expired. Please reload the page and try again.")
        # Keeps what the exception says about itself: `Allow` on a 405, `Retry-After` on a 429.
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        return _render(status, message, headers)

    def unavailable(exc: Exception):
        log.error("database unavailable on %s %s: %s", request.method, mask_private_urls(request.path),
                  loggable(exc))
        try:
            db.session.rollback()
        except UNAVAILABLE:
            pass
        g.database_unavailable = True
        return _render(503, MESSAGES[503](), {"Retry-After": str(RETRY_AFTER_SECONDS)})

    for kind in UNAVAILABLE:
        app.register_error_handler(kind, unavailable)

    def keep_retry_after(response):
        # The rate limiter's headers on a limited route (the sign-in form) replace Retry-After with
        # the end of its window (15 minutes); the outage's own, shorter, wait is the one to obey.
        if g.get("database_unavailable") and response.status_code == 503:
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    # First in the list, so it runs last: after_request functions run in reverse order.
    app.after_request_funcs.setdefault(None, []).insert(0, keep_retry_after)

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        """The one answer to a refused business action, for the pages and the API alike: JSON
        `{"code", "message", "fields"}` with the error's status under /api/ (or when JSON is asked
        for), the error page otherwise."""
        db.session.rollback()
        if _wants_json() or _script_route():
            return jsonify(exc.as_dict()), exc.http_status
        # No form to put field messages on here: show them, or the page says only "correct the fields".
        message = " ".join(dict.fromkeys(str(m) for m in exc.fields.values())) or str(exc.message)
        return render_template("errors/error.html", status=exc.http_status, message=message), exc.http_status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(_database_error(exc), UNAVAILABLE):  # wrapped by the code that met it
            return unavailable(exc)
        log.error("unhandled error on %s %s: %s", request.method, mask_private_urls(request.path),
                  loggable(exc))
        db.session.rollback()
        return _render(500, MESSAGES[500]())
