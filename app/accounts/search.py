"""Finding people by what staff type: any part of a name, mobile (its last four digits, say),
email or employer. On PostgreSQL each column has a trigram index (migration hh19rs000001) that
serves LIKE/ILIKE '%q%' from 3 characters on; a trigram index cannot serve a shorter search, so
one or two characters (a surname, a two-character name) are a name prefix, served by a btree,
instead of a scan of every person (issue 19)."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User

TRIGRAM_MIN = 3
ESCAPE = "\\"


def _escaped(q: str) -> str:
    """What was typed, with LIKE's wildcards as plain characters."""
    return q.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def person_matches(q: str, *, email: bool = False):
    """The condition on User for a search of `q` (stripped, not empty); `email` searches the
    email address too."""
    text = _escaped(q)
    if len(q) < TRIGRAM_MIN:
        return User.name.like(f"{text}%", escape=ESCAPE)
    like = f"%{text}%"
    # Chinese characters and digits have no case: LIKE finds the same rows as ILIKE, and where
    # PostgreSQL scans (a search matching many people) it is several times cheaper per row.
    cased = q.lower() != q.upper()

    def matches(column):
        return column.ilike(like, escape=ESCAPE) if cased else column.like(like, escape=ESCAPE)

    columns = [matches(User.name), User.mobile.like(like, escape=ESCAPE), matches(User.employer)]
    if email:
        columns.append(matches(User.email))
    return sa.or_(*columns)
