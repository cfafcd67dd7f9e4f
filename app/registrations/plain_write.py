"""A plain registration's rows as one statement on PostgreSQL (app.registrations.plain_registration):

    WITH placed AS (INSERT INTO registrations … RETURNING id),
         history AS (INSERT INTO registration_history … (SELECT id FROM placed) …),
         inbox AS (INSERT …), mail AS (INSERT … RETURNING id), sms AS (INSERT … RETURNING id),
         seat AS (UPDATE events SET confirmed_count = confirmed_count + 1 …)
    SELECT placed's id, mail's id, sms's id, the place on the waiting list

Each shape of it (a seat or a place on the waiting list, with or without an SMS, and the columns that
SMS's status sets) is built once per process with bound parameters: built per request with the values
in it, it took more CPU than the rest of the request's SQL (issue 19). psycopg then prepares it.
"""
from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa

from app.notifications.models import InboxMessage, OutboxMessage
from app.notifications.sms.models import SmsMessage
from app.registrations.models import Registration, RegistrationHistory
from app.registrations.seats import confirmed_update, count_waiting_ahead

# CTE name -> table, in the statement's order; "history" and "mail" are given the registration's id.
TABLES = {"placed": Registration.__table__, "history": RegistrationHistory.__table__,
          "inbox": InboxMessage.__table__, "mail": OutboxMessage.__table__, "sms": SmsMessage.__table__}
_LINKED = ("history", "mail")
_RETURNING = ("mail", "sms")  # their ids are the statement's answer; the others are added as CTEs


def write(connection: sa.Connection, rows: dict[str, dict | None], *, seat: bool) -> sa.Row:
    """Insert `rows` (CTE name -> column values; "sms" may be None) and, for a `seat`, count it on the
    event; returns (id, mail_id, sms_id, position: None for a seat)."""
    filled = {name: with_defaults(TABLES[name], {key: value for key, value in values.items()
                                                 if not (name in _LINKED and key == "registration_id")})
              for name, values in rows.items() if values is not None}
    shape = tuple((name, tuple(sorted(values))) for name, values in filled.items())
    params = {f"{name}_{key}": value for name, values in filled.items() for key, value in values.items()}
    return connection.execute(_statement(shape, seat), params).one()


def with_defaults(table: sa.Table, values: dict) -> dict:
    """`values` and the table's Python-side defaults for the columns they leave out: in a statement of
    several INSERTs, SQLAlchemy cannot bind those defaults itself (it names them by column)."""
    defaults = {column.key: column.default.arg(None) if column.default.is_callable else column.default.arg
                for column in table.columns if column.key not in values and column.default is not None
                and (column.default.is_callable or column.default.is_scalar)}
    return {**defaults, **values}


@lru_cache(maxsize=64)
def _statement(shape: tuple[tuple[str, tuple[str, ...]], ...], seat: bool) -> sa.Select:
    binds = {name: {key: sa.bindparam(f"{name}_{key}", type_=TABLES[name].c[key].type) for key in keys}
             for name, keys in shape}
    placed = sa.insert(TABLES["placed"]).values(binds["placed"]).returning(TABLES["placed"].c.id).cte("placed")
    placed_id = sa.select(placed.c.id).scalar_subquery()
    ctes, ids = {}, {}
    for name, _keys in shape[1:]:
        values = dict(binds[name], registration_id=placed_id) if name in _LINKED else binds[name]
        insert = sa.insert(TABLES[name]).values(values)
        if name in _RETURNING:
            ids[name] = sa.select(insert.returning(TABLES[name].c.id).cte(name).c.id).scalar_subquery()
        else:
            ctes[name] = insert.cte(name)
    event_id = binds["placed"]["event_id"]
    if seat:
        ctes["seat"] = confirmed_update(event_id, 1).cte("seat")
        position = sa.null()
    else:  # read in the statement's snapshot: the place just written is not counted
        position = count_waiting_ahead(event_id, binds["placed"]["queued_at"], placed_id) + 1
    return sa.select(placed.c.id, ids.get("mail", sa.null()).label("mail_id"),
                     ids.get("sms", sa.null()).label("sms_id"), position.label("position")) \
        .add_cte(*ctes.values())
