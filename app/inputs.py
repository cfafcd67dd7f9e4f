"""One normalisation layer for what a request brings: numbers within the database's range, no
control characters in text, and the field messages that go with both.

PostgreSQL's INTEGER is 32-bit: a larger id from a path, query string or JSON body must be
refused before it reaches a query (PostgreSQL and SQLite both fail on it, each differently)."""
from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from app.errors import InvalidInput

INT_MAX = 2 ** 31 - 1  # every id column is INTEGER (no BIGINT in the schema)
PAGE_MAX = 100_000

# C0 controls and DEL, except tab, newline and carriage return, which typed text may hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CONTROL_MESSAGE = _l("Text may not contain control characters.")


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route: an id PostgreSQL cannot hold is simply not found.

    NotFound rather than the converter's usual ValidationError: werkzeug turns that into 405 when
    the same path has a rule for another method, and no other rule is tried after it anyway."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if not 0 <= number <= INT_MAX:
            raise NotFound()
        return number


def bounded_int(value, minimum: int = 0, maximum: int = INT_MAX) -> int | None:
    """A whole number written in decimal digits within [minimum, maximum], or None."""
    text = str(value).strip() if value is not None else ""
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        return None
    number = -int(digits) if negative else int(digits)
    return number if minimum <= number <= maximum else None


def has_control(text: str) -> bool:
    return bool(_CONTROL.search(text))


def _control_fields(items, prefix: str = "") -> dict:
    errors = {}
    for key, value in items:
        name = f"{prefix}{key}"
        if isinstance(key, str) and has_control(key):
            errors[name] = CONTROL_MESSAGE
        elif isinstance(value, str) and has_control(value):
            errors[name] = CONTROL_MESSAGE
        elif isinstance(value, dict):
            errors.update(_control_fields(value.items(), name + "."))
        elif isinstance(value, list):
            errors.update(_control_fields(enumerate(value), name + "."))
    return errors


def refuse_control_characters() -> None:
    """Before every request: a NUL or other control character anywhere in the path, query string,
    form or JSON body is refused with the field it was in, before any view or database sees it."""
    errors = {}
    errors.update(_control_fields((request.view_args or {}).items()))
    errors.update(_control_fields(request.args.items(multi=True)))
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            body = request.get_json(silent=True)
            if isinstance(body, dict):
                errors.update(_control_fields(body.items()))
            elif isinstance(body, list):
                errors.update(_control_fields(enumerate(body)))
        else:
            errors.update(_control_fields(request.form.items(multi=True)))
    if errors:
        raise InvalidInput(CONTROL_MESSAGE, code="invalid_input", fields=errors)


def int_list(values) -> list[int]:
    """Ids ticked in a form: the well-formed ones within range (anything else matches nothing)."""
    return [n for n in (bounded_int(v) for v in values) if n is not None]
