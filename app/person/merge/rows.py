"""Moving the rows that name one account to another by their columns' policies, recording every
change, and putting exactly those changes back.

Rows are changed with plain UPDATEs of the user column (a row keeps its id, so what hangs from it
— a registration's answers, scans and ticket, an enrolment's grades — goes with it). Two places
swapped between the accounts (RESOLVE, the absorbed one better) pass through a parking account:
a unique key is checked row by row on both databases, so the two rows cannot trade owners in one
step."""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.errors import Conflict
from app.extensions import db
from app.person.merge.policies import KEEP, POLICIES, RESOLVE, unique_keys, user_columns


def move_rows(survivor_id: int, absorbed_id: int, parking: Callable[[], int]) -> tuple[list[dict], dict]:
    """Move what the absorbed account holds to the survivor; returns (the recorded moves,
    {table: {"moved": n, "kept": n}}). `parking()` gives the id of an account no row names."""
    moves: list[dict] = []
    summary: dict[str, dict[str, int]] = {}
    swaps = 0
    for table, column in user_columns():
        policy = POLICIES[(table.name, column.name)]
        if policy.kind == KEEP:
            continue
        keys = unique_keys(table, column)
        counts = summary.setdefault(table.name, {"moved": 0, "kept": 0})
        for row in db.session.execute(sa.select(table).where(column == absorbed_id)
                                      .order_by(*table.primary_key.columns)).mappings().all():
            rival = _rival(table, column, row, keys, survivor_id)
            if rival is None:
                _set(table, column, _pk(table, row), absorbed_id, survivor_id)
                moves.append(_move(table, column, row, absorbed_id, survivor_id))
                counts["moved"] += 1
            elif policy.kind == RESOLVE and policy.rank(row) > policy.rank(rival):
                swaps += 1
                _swap(table, column, row, rival, parking())
                moves.append(_move(table, column, row, absorbed_id, survivor_id, swap=swaps))
                moves.append(_move(table, column, rival, survivor_id, absorbed_id, swap=swaps))
                counts["moved"] += 1
                counts["kept"] += 1
            else:
                counts["kept"] += 1
    return moves, {name: c for name, c in summary.items() if c["moved"] or c["kept"]}


def undo_moves(moves: list[dict], parking: Callable[[], int]) -> None:
    """Put every recorded move back, newest first; refuses (Conflict `merge_rows_changed`) when a
    row is gone, names another account by now, or could not go back without breaking a unique
    key (its old account holds such a place again)."""
    tables = db.metadata.tables
    done: set[int] = set()
    for index in range(len(moves) - 1, -1, -1):
        if index in done:
            continue
        move = moves[index]
        table = tables.get(move["t"])
        if table is None or move["c"] not in table.c:
            raise _changed(move["t"])
        column = table.c[move["c"]]
        row = _current(table, column, move)
        if move.get("swap"):
            partner_index = next(i for i, m in enumerate(moves) if m.get("swap") == move["swap"] and i != index)
            partner = moves[partner_index]
            partner_row = _current(table, column, partner)
            _swap(table, column, partner_row, row, parking())
            done.add(partner_index)
            continue
        if _rival(table, column, row, unique_keys(table, column), move["old"]) is not None:
            raise _changed(table.name)
        _set(table, column, _pk(table, row), move["new"], move["old"])


# -- helpers ------------------------------------------------------------------------------
def _pk(table: sa.Table, row) -> dict:
    return {c.name: row[c.name] for c in table.primary_key.columns}


def _move(table, column, row, old: int, new: int, *, swap: int | None = None) -> dict:
    move = {"t": table.name, "pk": _pk(table, row), "c": column.name, "old": old, "new": new}
    if swap:
        move["swap"] = swap
    return move


def _where(table: sa.Table, pk: dict, column: sa.Column, owner: int):
    """The row with this primary key (as recorded) that names `owner` in `column` now."""
    conditions = [table.c[name] == value for name, value in pk.items() if name != column.name]
    return sa.and_(*conditions, column == owner)


def _set(table, column, pk: dict, old: int, new: int) -> None:
    result = db.session.execute(sa.update(table).where(_where(table, pk, column, old)).values({column.name: new}))
    if result.rowcount != 1:
        raise _changed(table.name)


def _swap(table, column, row, rival, parked: int) -> None:
    """`row` (now naming A) and `rival` (now naming B) trade owners."""
    owner, rival_owner = row[column.name], rival[column.name]
    _set(table, column, _pk(table, rival), rival_owner, parked)
    _set(table, column, _pk(table, row), owner, rival_owner)
    _set(table, column, {**_pk(table, rival), column.name: parked}, parked, owner)


def _current(table, column, move: dict):
    row = db.session.execute(sa.select(table).where(_where(table, move["pk"], column, move["new"]))).mappings().first()
    if row is None:
        raise _changed(table.name)
    return row


def _rival(table, column, row, keys: list[list[str]], owner: int):
    """A row of `owner` that agrees with `row` on one of the unique keys holding `column`, or None.
    A key with an empty (NULL) value holds nothing: NULLs never collide."""
    for others in keys:
        if any(row[name] is None for name in others):
            continue
        found = db.session.execute(
            sa.select(table).where(column == owner, *(table.c[name] == row[name] for name in others)).limit(1)
        ).mappings().first()
        if found is not None:
            return found
    return None


def _changed(table_name: str) -> Conflict:
    return Conflict(_l("Rows this merge moved have changed since (%(table)s): undoing it would not be exact, so "
                       "it is refused. Correct the accounts by hand.", table=table_name),
                    code="merge_rows_changed", table=table_name)
