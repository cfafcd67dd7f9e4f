"""Portable SQL pieces the counters need (SQLite and PostgreSQL).

`local_midnight(date_column)`: the first instant of that Shanghai day as a stored UTC time, so a
fact dated by a day (a placement's start, a studio's founding, a cohort's first day) compares with
the scans' UTC times and falls in the Shanghai day, month and year it names. Shanghai keeps UTC+8
all year (no summer time since 1991), so it is the day's 00:00 less eight hours."""
from __future__ import annotations

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
