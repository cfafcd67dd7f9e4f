"""The one locking helper (app/locking.py): refused outside a transaction, held until the
transaction ends, and re-reading what another transaction changed while this one waited — on
SQLite and PostgreSQL alike."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.events.models import Event
from app.extensions import db
from app.locking import lock, lock_objects


def _other_engine():
    """A second connection that gives up at once instead of queueing for a lock."""
    if db.engine.dialect.name == "postgresql":
        return sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool,
                                connect_args={"options": "-c lock_timeout=200"})
    return sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool, connect_args={"timeout": 0.2})


def _try_lock_elsewhere(engine, event_id: int) -> bool:
    """Whether another connection can take the event's row lock now."""
    with engine.connect() as conn:
        try:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT id FROM events WHERE id = :id FOR NO KEY UPDATE"), {"id": event_id})
            else:
                conn.execute(sa.text("UPDATE events SET id = id WHERE id = :id"), {"id": event_id})
        except OperationalError:
            conn.rollback()
            return False
        conn.rollback()
        return True


def test_refused_by_a_session_that_begins_no_transaction(app, db_session, create_event):
    event_id = create_event().id
    session = Session(bind=db.engine, autobegin=False)
    try:
        with pytest.raises(RuntimeError, match="transaction"):
            lock(Event, event_id, session=session)
        with session.begin():
            lock(Event, event_id, session=session)
    finally:
        session.close()


def test_a_session_between_transactions_begins_one_and_reads_again(db_session, create_event):
    """SQLAlchemy begins a transaction at the first statement: a lock taken right after a commit
    opens the transaction that holds it, and what it names is read again under it."""
    event = create_event(capacity=10)
    db_session.commit()
    assert not db_session().in_transaction()
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE events SET capacity = 20 WHERE id = :id"), {"id": event.id})
    lock_objects(event, refresh=["capacity"])
    assert db_session().in_transaction() and event.capacity == 20


def test_refused_on_a_connection_that_commits_every_statement(app, db_session, create_event):
    event_id = create_event().id
    with db.engine.connect() as conn:
        session = Session(bind=conn.execution_options(isolation_level="AUTOCOMMIT"))
        session.execute(sa.select(Event.id).where(Event.id == event_id))
        with pytest.raises(RuntimeError, match="AUTOCOMMIT"):
            lock(Event, event_id, session=session)
        session.close()


def test_refused_when_the_driver_ends_the_transaction_by_itself(app, db_session, create_event):
    """A driver in autocommit (psycopg's autocommit, sqlite3's isolation_level None) that SQLAlchemy
    does not know of: the database says there is no transaction, so the lock is already gone."""
    event_id = create_event().id
    with db.engine.connect() as conn:
        driver = conn.connection.dbapi_connection
        driver.rollback()
        if conn.dialect.name == "postgresql":
            driver.autocommit = True
        else:
            driver.isolation_level = None
        session = Session(bind=conn)
        session.execute(sa.select(Event.id).where(Event.id == event_id))
        try:
            with pytest.raises(RuntimeError, match="driver autocommit"):
                lock(Event, event_id, session=session)
        finally:
            session.close()
            conn.invalidate()  # not back into the pool in that state


def test_held_until_the_transaction_ends(app, db_session, create_event):
    first, second = create_event(), create_event()
    other = _other_engine()
    try:
        db_session.get(Event, first.id)
        lock(Event, second.id, first.id)
        assert not _try_lock_elsewhere(other, first.id)
        assert not _try_lock_elsewhere(other, second.id)
        db_session.commit()
        assert _try_lock_elsewhere(other, first.id)
    finally:
        other.dispose()


def test_an_object_locked_and_read_again_is_held_until_the_transaction_ends(app, db_session, create_event):
    """One object with attributes to read again: on PostgreSQL the lock and the re-read are one
    SELECT … FOR NO KEY UPDATE, which must hold the lock just the same."""
    event = create_event(capacity=10)
    other = _other_engine()
    try:
        statements = []

        def collect(_conn, _cursor, statement, *_):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", collect)
        try:
            lock_objects(event, refresh=["capacity"])
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", collect)
        if db.engine.dialect.name == "postgresql":
            assert len(statements) == 1 and "FOR NO KEY UPDATE" in statements[0]
        assert not _try_lock_elsewhere(other, event.id)
        db_session.commit()
        assert _try_lock_elsewhere(other, event.id)
    finally:
        other.dispose()


def test_objects_are_read_again_under_the_lock_keeping_this_transactions_changes(app, db_session, create_event):
    event = create_event(capacity=10, description="旧")
    assert event.capacity == 10  # read before another transaction changes the row
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE events SET capacity = 20 WHERE id = :id"), {"id": event.id})
    assert event.capacity == 10
    event.description = "新"  # a change of this transaction, not yet flushed
    with db_session.no_autoflush:  # the helper flushes by itself, whatever the session's settings
        lock_objects(event, refresh=["capacity", "description"])
    assert event.capacity == 20  # what the other transaction committed
    assert event.description == "新"  # flushed before the re-read, not thrown away


def test_an_object_not_stored_yet_has_no_row_to_lock(db_session, create_event):
    db_session.get(Event, create_event().id)
    with pytest.raises(ValueError):
        lock_objects(Event(title="未保存"))
