"""SQLite: sqlite3's online backup API, which copies a consistent image of a database that the
app may be writing to at the same moment, and writes a restore over the target the same way."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.pool import NullPool

from app.backup import tables
from app.backup.errors import refused
from app.backup.locations import Database


def _describe(path: Path) -> dict:
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {"server_version": sqlite3.sqlite_version, "tables": tables.row_counts(conn),
                    "alembic_revision": tables.alembic_revision(conn)}
    finally:
        engine.dispose()


def _copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def dump(db: Database, target: Path) -> dict:
    """Copy the database to `target` and describe the copy (so the counts are the copy's own)."""
    path = db.sqlite_path
    if not path.is_file():
        raise refused("database_unreachable", _l("The SQLite database file does not exist."))
    try:
        _copy(path, target)
    except sqlite3.Error:
        raise refused("database_unreachable", _l("The SQLite database cannot be read.")) from None
    return _describe(target)


def table_count(db: Database) -> int:
    path = db.sqlite_path
    if not path.exists():
        return 0
    try:
        with closing(sqlite3.connect(path)) as conn:
            return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    except sqlite3.Error:
        raise refused("database_unreachable", _l("The target SQLite file cannot be read as a database.")) from None


def restore(db: Database, source: Path, *, clean: bool) -> None:
    """The backup API replaces the whole target, so `clean` needs nothing more."""
    path = db.sqlite_path
    if not path.parent.is_dir():
        raise refused("bad_target", _l("The folder of the target SQLite file does not exist."))
    try:
        _copy(source, path)
    except sqlite3.Error:
        raise refused("tool_failed", _l("The SQLite database could not be written.")) from None


def row_counts(db: Database) -> dict[str, int]:
    return _describe(db.sqlite_path)["tables"]
