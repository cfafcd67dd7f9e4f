"""One commit per request; side effects (mail, SMS) only after it.

The platform does not know what is sent: the packages that send register it with
`after_commit(prepare)`. `prepare()` runs just before the commit, while the rows this request
queued are still loaded (the commit expires them), and returns what to call once the commit
has succeeded, or None when there is nothing to do. Hooks run in the order they registered.
"""
from __future__ import annotations

from collections.abc import Callable

from app.extensions import db

Prepare = Callable[[], "Callable[[], None] | None"]
_hooks: list[Prepare] = []


def after_commit(prepare: Prepare) -> Prepare:
    """Register `prepare` (once, however often its module is imported or the app created)."""
    if prepare not in _hooks:
        _hooks.append(prepare)
    return prepare


def commit() -> None:
    db.session.flush()
    then = [prepare() for prepare in _hooks]  # read before the commit expires the rows
    db.session.commit()
    for deliver in then:
        if deliver is not None:
            deliver()
