"""Row locks: the one way to make decisions on the same rows one at a time, on PostgreSQL and
SQLite alike (seats of an event, scans of a ticket, scores of a competition).

    lock(Registration, registration.id)              # rows by id
    lock_objects(event, refresh=["capacity", ...])  # loaded objects, re-read under the lock

A lock lasts until the transaction ends (commit or rollback). Several rows are locked in one
statement, ordered by table name and id, so two transactions locking the same rows cannot
deadlock on each other.

PostgreSQL: SELECT … FOR NO KEY UPDATE. It does not conflict with the key-share locks that
inserting rows which reference the locked one (registrations of an event, scans of a
registration) take, so those inserts never wait on the lock. SQLite: a no-op write
(UPDATE … SET id = id), which takes the database's write lock at once (the driver opens its
transaction at the first write); every other writer waits until this transaction ends.

"Outside a transaction" (refused with RuntimeError, as pretix's lock_objects() refuses
Django's autocommit mode): a lock that would end before the transaction's decision is written.
SQLAlchemy 2 begins a transaction by itself at the first statement, so a lock taken by a
session that is between transactions begins one and holds it until the commit; the
attributes given to `lock_objects(refresh=…)` are read again under it.
Refused are:
- a session that begins no transaction by itself (autobegin=False) and has none in progress:
  call `session.begin()` first;
- a connection in AUTOCOMMIT: every statement commits at once, the lock would end with its
  own statement;
- a database driver that reports no open transaction once the lock is taken (driver-level
  autocommit that SQLAlchemy does not know of): the lock has already ended.
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, scoped_session

from app.extensions import db


def lock(model, *ids: int, session: Session | scoped_session | None = None) -> None:
    """Lock the rows of `model` (a mapped class or a Table) with these ids until the
    transaction ends. Pending changes of the session are flushed first."""
    session = _session(session)
    _require_transaction(session)
    _lock(session, {_table(model): set(ids)})


def lock_objects(*objects, refresh: Iterable[str] = (), session: Session | scoped_session | None = None) -> None:
    """Lock the rows of these loaded objects until the transaction ends, then re-read their
    `refresh` attributes: another transaction may have changed them while this one waited.
    Pending changes of the session are flushed first, so the re-reading cannot discard them."""
    session = _session(session)
    _require_transaction(session)
    rows: dict[sa.Table, set[int]] = {}
    for obj in objects:
        state = sa.inspect(obj)
        if state.identity is None:
            raise ValueError(f"{obj!r} is not stored yet: there is no row to lock")
        rows.setdefault(_table(type(obj)), set()).add(state.identity[0])
    names = list(refresh)
    if names and len(objects) == 1 and _postgresql(session):
        # One round trip: the lock and the re-read are the same SELECT … FOR NO KEY UPDATE (the
        # event lock of every registration is held for this round trip less).
        session.flush()
        session.refresh(objects[0], names, with_for_update={"key_share": True})
        _check_driver_transaction(session.connection())
        return
    _lock(session, rows)
    if names:
        for obj in objects:
            session.refresh(obj, names)


def _session(session: Session | scoped_session | None) -> Session:
    session = db.session if session is None else session
    return session() if isinstance(session, scoped_session) else session


def _table(model) -> sa.Table:
    return model if isinstance(model, sa.Table) else sa.inspect(model).local_table


def _require_transaction(session: Session) -> None:
    if not session.in_transaction() and not session.autobegin:
        raise RuntimeError("A row lock needs a transaction: this session begins none by itself "
                           "(autobegin=False); call session.begin() first.")
    if session.connection().get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        raise RuntimeError("A row lock cannot be taken on an AUTOCOMMIT connection: it would end with "
                           "its own statement.")


def _postgresql(session: Session) -> bool:
    return session.connection().dialect.name == "postgresql"


def _lock(session: Session, rows: dict[sa.Table, set[int]]) -> None:
    session.flush()
    connection = session.connection()
    postgresql = connection.dialect.name == "postgresql"
    locked = False
    for table in sorted(rows, key=lambda t: t.name):
        ids = sorted(rows[table])
        if not ids:
            continue
        key = table.c.id
        if postgresql:
            session.execute(sa.select(key).where(key.in_(ids)).order_by(key).with_for_update(key_share=True))
        else:
            session.execute(sa.update(table).where(key.in_(ids)).values(id=key))
        locked = True
    if locked:
        _check_driver_transaction(connection)


def _check_driver_transaction(connection: sa.Connection) -> None:
    if not _driver_in_transaction(connection):
        raise RuntimeError("The database connection is not in a transaction (driver autocommit): "
                           "the row lock ended with its statement.")


def _driver_in_transaction(connection: sa.Connection) -> bool:
    dbapi = connection.connection.dbapi_connection
    if hasattr(dbapi, "info") and hasattr(dbapi.info, "transaction_status"):  # psycopg 3
        return dbapi.info.transaction_status != 0  # 0: IDLE, no transaction open
    if hasattr(dbapi, "in_transaction"):  # sqlite3
        return bool(dbapi.in_transaction)
    return True  # another driver: trust the session


def lock_in_query(query: sa.Select, model, session: Session | scoped_session | None = None) -> sa.Select:
    """`query`, made to lock the rows of `model` it reads until the transaction ends, in the same
    round trip, on PostgreSQL (FOR NO KEY UPDATE OF its table, as `lock` takes). Elsewhere it is
    returned as it is: lock the rows with `lock` once read (SQLite's lock is a write)."""
    session = _session(session)
    if session.get_bind().dialect.name != "postgresql":
        return query
    _require_transaction(session)
    return query.with_for_update(key_share=True, of=_table(model))
