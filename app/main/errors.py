from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app.errors import ServiceError
from app.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have permission to open this page."),
    404: lambda: _("The page you are looking for does not exist."),
    405: lambda: _("This action is not allowed here."),
    413: lambda: _("The uploaded file is too large."),
    429: lambda: _("Too many attempts. Please wait a moment and try again."),
    500: lambda: _("Something went wrong on our side. Please try again later."),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _render(status: int, message: str):
    if _wants_json():
        code = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "too_large", 429: "rate_limited"}.get(status, "error")
        return jsonify(code=code, message=message), status
    return render_template("errors/error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        message = MESSAGES.get(status, lambda: exc.description)()
        if status == 400 and "CSRF" in (exc.description or ""):
            message = _("This form has expired. Please reload the page and try again.")
        return _render(status, message)

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        db.session.rollback()
        if _wants_json():
            return jsonify(exc.as_dict()), exc.http_status
        # No form to put field messages on here: show them, or the page says only "correct the fields".
        message = " ".join(dict.fromkeys(str(m) for m in exc.fields.values())) or str(exc.message)
        return render_template("errors/error.html", status=exc.http_status, message=message), exc.http_status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render(500, MESSAGES[500]())
