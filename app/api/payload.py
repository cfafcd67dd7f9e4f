"""One typed reader for the JSON bodies of API v1: each field gets exactly its documented type or a
field error, and every error of a body is reported at once (InvalidInput, 422).

    p = Payload(body)
    title = p.str("title", required=True, column=Event.title)
    checkpoint = p.id("checkpoint", required=True)
    p.done()            # raises InvalidInput with all the field errors
"""
from __future__ import annotations

import datetime as dt

from flask import request
from flask_babel import gettext as _

from app.errors import InvalidInput
from app.inputs import INT_MAX
from app.timeutil import EARLIEST, LATEST, parse_iso

MISSING = object()


def json_object() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(_("The request body must be a JSON object."), code="malformed")
    return body


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Payload:
    def __init__(self, body: dict, prefix: str = "", errors: dict | None = None, code: str = "invalid_input"):
        self.body = body
        self.prefix = prefix
        self.errors = {} if errors is None else errors
        self.code = code

    def error(self, key: str, message) -> None:
        self.errors.setdefault(self.prefix + key, message)

    def _get(self, key: str, required: bool):
        value = self.body.get(key, MISSING)
        if value is None or value is MISSING:
            if required:
                self.error(key, _("This field is required."))
            return MISSING
        return value

    def str(self, key: str, *, required: bool = False, max_length: int | None = None, column=None,
            default=None, allow_empty: bool = True):
        """A string; `column` (a model attribute) gives the maximum length of what it is stored in."""
        value = self._get(key, required)
        if value is MISSING:
            return default
        if not isinstance(value, str):
            self.error(key, _("Must be a string."))
            return default
        if column is not None:
            max_length = getattr(column.type, "length", None) or max_length
        if max_length is not None and len(value) > max_length:
            self.error(key, _("At most %(n)s characters.", n=max_length))
            return default
        if not value and (required or not allow_empty):
            self.error(key, _("This field is required."))
            return default
        return value

    def int(self, key: str, *, required: bool = False, minimum: int = 0, maximum: int = INT_MAX, default=None):
        value = self._get(key, required)
        if value is MISSING:
            return default
        if not _is_int(value):
            self.error(key, _("Must be a whole number."))
            return default
        if not minimum <= value <= maximum:
            self.error(key, _("Must be between %(low)s and %(high)s.", low=minimum, high=maximum))
            return default
        return value

    def id(self, key: str, *, required: bool = False):
        return self.int(key, required=required, minimum=1)

    def bool(self, key: str, *, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.error(key, _("Must be true or false."))
            return default
        return value

    def choice(self, key: str, choices, *, required: bool = False, default=None):
        value = self._get(key, required)
        if value is MISSING:
            return default
        allowed = [str(c) for c in choices]
        if not isinstance(value, str) or value not in allowed:
            self.error(key, _("Choose one of: %(choices)s.", choices=", ".join(allowed)))
            return default
        return value

    def datetime(self, key: str, *, required: bool = False) -> dt.datetime | None:
        value = self._get(key, required)
        if value is MISSING or value == "":
            if value == "" and required:
                self.error(key, _("This field is required."))
            return None
        if isinstance(value, str):
            try:
                return parse_iso(value)
            except (ValueError, OverflowError):
                pass
        self.error(key, _("Use an ISO 8601 time such as 2026-05-18T09:00:00+08:00, between %(start)s and %(end)s.",
                          start=EARLIEST.date().isoformat(), end=LATEST.date().isoformat()))
        return None

    def object(self, key: str, *, required: bool = False) -> dict | None:
        value = self._get(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.error(key, _("Must be a JSON object."))
            return None
        return value

    def id_list(self, key: str, *, required: bool = False, max_items: int = 500) -> list[int] | None:
        value = self._get(key, required)
        if value is MISSING:
            return None
        if (not isinstance(value, list) or len(value) > max_items
                or not all(_is_int(v) and 1 <= v <= INT_MAX for v in value)):
            self.error(key, _("Must be a list of ids."))
            return None
        return value

    def any_of(self, key: str, kinds: tuple, message) -> object:
        """A field that may be one of several JSON types (e.g. an id or a slug)."""
        value = self._get(key, False)
        if value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, kinds):
            self.error(key, message)
            return None
        if _is_int(value) and not 1 <= value <= INT_MAX:
            self.error(key, message)
            return None
        return value

    def nested(self, prefix: str, body) -> Payload:
        return Payload(body, prefix=self.prefix + prefix, errors=self.errors, code=self.code)

    def done(self) -> None:
        if self.errors:
            raise InvalidInput(fields=dict(self.errors), code=self.code)
