"""Typed business errors: a stable code for machines, a translated message for people."""
from __future__ import annotations

from flask_babel import lazy_gettext


class ServiceError(Exception):
    code = "error"
    http_status = 400
    default_message = lazy_gettext("The request could not be completed.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None, **details):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        self.details = details
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": str(self.message)}
        if self.fields:
            body["fields"] = {k: str(v) for k, v in self.fields.items()}
        body.update(self.details)
        return body


class NotFound(ServiceError):
    code = "not_found"
    http_status = 404
    default_message = lazy_gettext("Not found.")


class PermissionDenied(ServiceError):
    code = "forbidden"
    http_status = 403
    default_message = lazy_gettext("You are not allowed to do this.")


class InvalidInput(ServiceError):
    code = "invalid"
    http_status = 422
    default_message = lazy_gettext("Please correct the highlighted fields.")


class Conflict(ServiceError):
    code = "conflict"
    http_status = 409
    default_message = lazy_gettext("This conflicts with the current state.")


# Refusals a page explains where the person is (on the form, or in a message after a redirect),
# because they can correct the input or wait for the state to change. PermissionDenied and
# NotFound are deliberately not among them: those answer with their own 403/404 page, so that a
# refused request never looks like a handled one (a 302 with a flash message).
CORRECTABLE = (InvalidInput, Conflict)
