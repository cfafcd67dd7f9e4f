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
from flask_babel import lazy_gettext as _l

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
        # The rules carry their messages lazily (most fields pass, and a translation is a few
        # dictionary look-ups each): the one that fails is translated here.
        self.errors.setdefault(self.prefix + key, str(message))

    def _get(self, key: str, required: bool):
        value = self.body.get(key, MISSING)
        if value is None or value is MISSING:
            if required:
                self.error(key, _("This field is required."))
            return MISSING
        return value

    def _checked(self, key: str, required: bool, default, *rules):
        """The field if present and passing each (test, message) rule in turn; otherwise `default`,
        with the message of the first rule it fails as the field's error."""
        value = self._get(key, required)
        if value is MISSING:
            return default
        for test, message in rules:
            if not test(value):
                self.error(key, message)
                return default
        return value

    def str(self, key: str, *, required: bool = False, max_length: int | None = None, column=None,
            default=None, allow_empty: bool = True):
        """A string; `column` (a model attribute) gives the maximum length of what it is stored in."""
        if column is not None:
            max_length = getattr(column.type, "length", None) or max_length
        return self._checked(key, required, default,
                             (lambda v: isinstance(v, str), _l("Must be a string.")),
                             (lambda v: max_length is None or len(v) <= max_length,
                              _l("At most %(n)s characters.", n=max_length)),
                             (lambda v: bool(v) or (allow_empty and not required), _l("This field is required.")))

    def int(self, key: str, *, required: bool = False, minimum: int = 0, maximum: int = INT_MAX, default=None):
        return self._checked(key, required, default, (_is_int, _l("Must be a whole number.")),
                             (lambda v: minimum <= v <= maximum,
                              _l("Must be between %(low)s and %(high)s.", low=minimum, high=maximum)))

    def id(self, key: str, *, required: bool = False):
        return self.int(key, required=required, minimum=1)

    def bool(self, key: str, *, default: bool = False) -> bool:
        return self._checked(key, False, default, (lambda v: isinstance(v, bool), _l("Must be true or false.")))

    def choice(self, key: str, choices, *, required: bool = False, default=None):
        allowed = [str(c) for c in choices]
        return self._checked(key, required, default, (lambda v: isinstance(v, str) and v in allowed,
                                                      _l("Choose one of: %(choices)s.", choices=", ".join(allowed))))

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
        return self._checked(key, required, None, (lambda v: isinstance(v, dict), _l("Must be a JSON object.")))

    def id_list(self, key: str, *, required: bool = False, max_items: int = 500) -> list[int] | None:
        return self._checked(key, required, None, (
            lambda ids: isinstance(ids, list) and len(ids) <= max_items and all(_is_int(i) and 1 <= i <= INT_MAX
                                                                                for i in ids),
            _l("Must be a list of ids.")))

    def any_of(self, key: str, kinds: tuple, message) -> object:
        """A field that may be one of several JSON types (e.g. an id or a slug)."""
        return self._checked(key, False, None, (
            lambda v: not isinstance(v, bool) and isinstance(v, kinds) and (not _is_int(v) or 1 <= v <= INT_MAX),
            message))

    def nested(self, prefix: str, body) -> Payload:
        return Payload(body, prefix=self.prefix + prefix, errors=self.errors, code=self.code)

    def done(self) -> None:
        if self.errors:
            raise InvalidInput(fields=dict(self.errors), code=self.code)
