"""A pooled PostgreSQL connection is tested before use only when it has been idle a while.

SQLAlchemy's `pool_pre_ping` sends a round trip before every checkout: under load that is one
statement in every request (about 4 % of registrations a second) to learn what the request
before it, a few milliseconds ago, already showed. A connection back in the pool for less than
`idle_seconds` is trusted, as HikariCP's `aliveBypassWindowMs` (500 ms) does; an older one is
pinged, and a dead one makes the pool drop every connection opened before it and reconnect, as
pre-ping does. A restart takes seconds, so a connection that served a request within the window
died only if the server went down in that half second: that request fails (503, Retry-After) and
SQLAlchemy drops the pool's other connections on the disconnect it saw."""
from __future__ import annotations

import time

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

_RETURNED = "minhang_returned_at"


def install(engine: Engine, idle_seconds: float) -> None:
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _opened(_dbapi_connection, record) -> None:
        record.info[_RETURNED] = time.monotonic()  # a connection just opened is alive

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        if record is not None:
            record.info[_RETURNED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, _proxy) -> None:
        returned = record.info.get(_RETURNED)
        if returned is not None and time.monotonic() - returned < idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError() from error  # the pool reconnects this one, drops the rest
            raise
