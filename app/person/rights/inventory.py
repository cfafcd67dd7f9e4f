"""Where a person's data is: found by walking the schema, so that a table added later is covered by
default (in the download and in erasure) without being listed here.

A person's rows are the rows of every table whose *owner* column (OWNER_COLUMNS: the person the row
is about) names them, then every row that points at one of those rows, and so on (a registration's
answers, scans and bookings; an entry's team members and scores; an application's history). Other
columns pointing at users (created_by_id, judge_id, actor_id...) are staff acting on somebody
else's row and do not make the row theirs. Rows whose (subject_type, subject_id) names one of
their rows or the account (the audit log, status changes) are theirs to scrub, not to export."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db

OWNER_COLUMNS = frozenset({"user_id", "recipient_id", "apprentice_id", "founder_id"})
# Kept whole on erasure (see KEPT_REASONS); the values in them are legally required records.
KEPT_COLUMNS = frozenset({("certificates", "recipient_name")})
# Never in a download: credentials, and keys that open something (a ticket, a feed, a session).
SECRET_NAMES = ("hash", "secret", "token", "private_key", "access_code", "nonce")
SECRET_COLUMNS = frozenset({("user_sessions", "id")})
# The audit log is kept and scrubbed, not handed over row by row: it is the record of who did what.
NOT_WALKED = frozenset({"users", "audit_entries", "erasures"})
TEXT_TYPES = (sa.String, sa.Text, sa.JSON, sa.LargeBinary)


def tables() -> list[sa.Table]:
    return list(db.metadata.sorted_tables)


def users_table() -> sa.Table:
    return db.metadata.tables["users"]


def is_secret(table: sa.Table, column: sa.Column) -> bool:
    return (table.name, column.name) in SECRET_COLUMNS or any(word in column.name for word in SECRET_NAMES)


def text_columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.columns if isinstance(c.type, TEXT_TYPES)]


def _key(table: sa.Table, row) -> tuple:
    return tuple(row[c.name] for c in table.primary_key.columns)


def person_rows(user_id: int) -> dict[str, list[dict]]:
    """Every row that is the person's, by table name (rows as dicts of column values)."""
    users = users_table()
    found: dict[str, dict[tuple, dict]] = {}
    changed = True
    while changed:
        changed = False
        for table in tables():
            if table.name in NOT_WALKED or not table.primary_key.columns:
                continue
            conditions = []
            for fk in table.foreign_keys:
                target = fk.column.table
                if target is users:
                    if fk.parent.name in OWNER_COLUMNS:
                        conditions.append(fk.parent == user_id)
                elif target.name in found:
                    values = {row[fk.column.name] for row in found[target.name].values()} - {None}
                    if values:
                        conditions.append(fk.parent.in_(sorted(values)))
            if not conditions:
                continue
            have = found.setdefault(table.name, {})
            for row in db.session.execute(sa.select(table).where(sa.or_(*conditions))).mappings():
                key = _key(table, row)
                if key not in have:
                    have[key] = dict(row)
                    changed = True
    return {name: list(rows.values()) for name, rows in found.items() if rows}


def class_tables() -> dict[str, str]:
    """Mapped class name -> table name: how the audit log and status changes name their subjects."""
    return {mapper.class_.__name__: mapper.local_table.name
            for mapper in db.Model.registry.mappers if isinstance(mapper.local_table, sa.Table)}


def subject_rows(table: sa.Table, user_id: int, rows: dict[str, list[dict]]):
    """The condition for rows of a table with subject_type/subject_id (and perhaps actor_id) that
    are about the person: their account, one of their rows, or done by them."""
    conditions = [sa.and_(table.c.subject_type == "User", table.c.subject_id == user_id)]
    by_class = class_tables()
    for class_name, table_name in by_class.items():
        # Only integer ids: a subject_id is an integer (a session's key is not one of them).
        ids = sorted({row.get("id") for row in rows.get(table_name, ()) if isinstance(row.get("id"), int)})
        if ids and class_name != "User":
            conditions.append(sa.and_(table.c.subject_type == class_name, table.c.subject_id.in_(ids)))
    if "actor_id" in table.c:
        conditions.append(table.c.actor_id == user_id)
    return sa.or_(*conditions)


def subject_tables() -> list[sa.Table]:
    return [t for t in tables() if "subject_type" in t.c and "subject_id" in t.c and t.name not in ("certificates",)]
