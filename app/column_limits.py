"""Lengths and ranges from the columns, checked for every model at the flush.

PostgreSQL refuses a 10,000-character title for a VARCHAR(200) or an integer past 2**31-1 with a
DataError (a 500 to the user); SQLite stores them silently. One check before every flush turns
both into the same field error, whichever form, API endpoint or service wrote the value."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.inputs import INT_MAX
from app.timeutil import date_in_range, datetime_in_range, range_message

_INT_RANGES = {sa.SmallInteger: 2 ** 15 - 1, sa.BigInteger: 2 ** 63 - 1, sa.Integer: INT_MAX}


def too_long_message(limit: int):
    return _l("At most %(n)s characters.", n=limit)


def _problem(column: sa.Column, value):
    kind = column.type
    impl = getattr(kind, "impl", kind)
    if isinstance(value, str):
        limit = getattr(impl, "length", None)
        if limit and len(value) > limit:
            return too_long_message(limit)
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int) and isinstance(impl, sa.Integer):
        top = next(top for cls, top in _INT_RANGES.items() if isinstance(impl, cls))
        if not -top - 1 <= value <= top:
            return _l("This number is too large.")
    elif isinstance(value, datetime):
        if not datetime_in_range(value):
            return range_message()
    elif isinstance(value, date):
        if not date_in_range(value):
            return range_message(dates=True)
    return None


def check(obj) -> dict:
    """Field errors of the values set on one model instance since it was loaded (or all of a new
    one), keyed by attribute name, as forms and the API name their fields. Reads the attribute
    history only: nothing expired is loaded from the database."""
    state = sa.inspect(obj)
    errors = {}
    for attr in state.mapper.column_attrs:
        if len(attr.columns) != 1 or not isinstance(attr.columns[0], sa.Column):
            continue
        for value in state.attrs[attr.key].history.added or ():
            problem = None if value is None else _problem(attr.columns[0], value)
            if problem is not None:
                errors[attr.key] = problem
    return errors


def _before_flush(session: Session, _context, _instances) -> None:
    errors = {}
    for obj in list(session.new) + list(session.dirty):
        errors.update(check(obj))
    if errors:
        raise InvalidInput(fields=errors, code="invalid_input")


def init_app() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
