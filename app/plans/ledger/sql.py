"""Portable SQL pieces the counters need (SQLite and PostgreSQL).

`local_midnight(date_column)`: the first instant of that Shanghai day as a stored UTC time, so a
fact dated by a day (a placement's start, a studio's founding, a cohort's first day) compares with
the scans' UTC times and falls in the Shanghai day, month and year it names. Shanghai keeps UTC+8
all year (no summer time since 1991), so it is the day's 00:00 less eight hours."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.timeutil import UTCDateTime


class local_midnight(FunctionElement):  # noqa: N801 - an SQL function
    type = UTCDateTime()
    inherit_cache = True
    name = "local_midnight"


@compiles(local_midnight, "postgresql")
def _pg(element, compiler, **kw):
    return "(CAST(%s AS TIMESTAMP) - INTERVAL '8 hours')" % compiler.process(element.clauses, **kw)


@compiles(local_midnight, "sqlite")
def _sqlite(element, compiler, **kw):
    # SQLAlchemy keeps SQLite datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' text: the same shape here,
    # so that comparisons with stored and bound times are right to the microsecond.
    return "(datetime(%s, '-8 hours') || '.000000')" % compiler.process(element.clauses, **kw)


class local_month(FunctionElement):  # noqa: N801 - an SQL function
    """'YYYY-MM' of a stored UTC time's month in Shanghai."""
    type = sa.String()
    inherit_cache = True
    name = "local_month"


@compiles(local_month, "postgresql")
def _pg_month(element, compiler, **kw):
    return "to_char(%s + INTERVAL '8 hours', 'YYYY-MM')" % compiler.process(element.clauses, **kw)


@compiles(local_month, "sqlite")
def _sqlite_month(element, compiler, **kw):
    return "strftime('%%Y-%%m', %s, '+8 hours')" % compiler.process(element.clauses, **kw)
