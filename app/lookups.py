"""The object a URL or a form names, by its id: there, or `NotFound` with the caller's words."""
from __future__ import annotations

from typing import TypeVar

from app.errors import NotFound
from app.extensions import db

T = TypeVar("T")


def get_or_not_found(model: type[T], object_id, missing: str, **options) -> T:
    """`missing` is the caller's message (lazy, so it is translated when shown); `options` go
    to `Session.get` (for example eager loads)."""
    found = db.session.get(model, object_id, **options)
    if found is None:
        raise NotFound(missing)
    return found
