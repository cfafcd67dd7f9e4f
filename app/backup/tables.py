"""What a manifest records of a database: every table's row count and the Alembic revision,
read through one connection (so inside the caller's snapshot)."""
from __future__ import annotations

import sqlalchemy as sa


def table_names(conn: sa.Connection) -> list[str]:
    return sorted(sa.inspect(conn).get_table_names())


def row_counts(conn: sa.Connection) -> dict[str, int]:
    return {name: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
            for name in table_names(conn)}


def alembic_revision(conn: sa.Connection) -> str | None:
    if "alembic_version" not in table_names(conn):
        return None
    return conn.scalar(sa.text("SELECT version_num FROM alembic_version"))
