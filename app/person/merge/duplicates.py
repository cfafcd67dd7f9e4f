"""Likely duplicates among the active accounts: pairs with the same mobile, email or ID number
(however typed: older rows may hold "+86 138-0013-8000" or full-width digits), or the same name at
the same employer. Found in SQL, grouping by each normalised key (an index-friendly GROUP BY,
never a comparison of every pair of people in Python): the database may hold 100,000 people."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.extensions import db
from app.person.merge.services import require_admin

LIMIT = 200

REASONS = {
    "mobile": _l("Same mobile number"),
    "email": _l("Same email address"),
    "id_number": _l("Same ID number"),
    "name_employer": _l("Same name and employer"),
}

# Full-width forms a Chinese input method types (NFKC in app.accounts.services does the same in Python).
_FULL_WIDTH = {chr(0xFF10 + d): str(d) for d in range(10)} | {"＋": "+", "－": "-", "（": "(", "）": ")", "　": " ",
                                                            "＠": "@", "．": ".", "Ｘ": "X", "ｘ": "x"}


def _halfwidth(expr):
    for wide, narrow in _FULL_WIDTH.items():
        expr = sa.func.replace(expr, wide, narrow)
    return expr


def _without(expr, *characters: str):
    for character in characters:
        expr = sa.func.replace(expr, character, "")
    return expr


def mobile_key(column):
    digits = _without(_halfwidth(column), " ", "-", "(", ")", "\t")
    return sa.case((sa.func.substr(digits, 1, 3) == "+86", sa.func.substr(digits, 4)),
                   (sa.func.substr(digits, 1, 4) == "0086", sa.func.substr(digits, 5)), else_=digits)


def email_key(column):
    return sa.func.lower(sa.func.trim(_halfwidth(column)))


def id_number_key(column):
    return sa.func.upper(_without(_halfwidth(column), " ", "\t"))


def text_key(column):
    """A name or an employer, with spaces (half- and full-width) and case left out."""
    return sa.func.lower(_without(_halfwidth(column), " ", "\t"))


@dataclass
class Pair:
    first: User
    second: User
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


def _pairs_sharing(*keys) -> list[tuple[int, int]]:
    """(smaller id, larger id) of active accounts whose `keys` ((normaliser, column name)) agree
    and are not empty. The keys are computed once (a CTE), grouped, and only the groups of more
    than one account are joined back to it."""
    users = User.__table__
    labels = [f"k{i}" for i in range(len(keys))]
    keyed = (sa.select(users.c.id, *(key(users.c[name]).label(label) for (key, name), label in zip(keys, labels)))
             .where(users.c.active.is_(True), *(users.c[name].is_not(None) for _, name in keys))
             .cte("keyed"))
    filled = [keyed.c[label] != "" for label in labels]
    shared = (sa.select(*(keyed.c[label] for label in labels)).where(*filled)
              .group_by(*(keyed.c[label] for label in labels)).having(sa.func.count() > 1).subquery("shared"))
    first, second = keyed.alias("first"), keyed.alias("second")
    query = (sa.select(first.c.id, second.c.id)
             .join(shared, sa.and_(*(first.c[label] == shared.c[label] for label in labels)))
             .join(second, sa.and_(*(second.c[label] == shared.c[label] for label in labels),
                                   second.c.id > first.c.id))
             .order_by(first.c.id, second.c.id).limit(LIMIT))
    return [tuple(row) for row in db.session.execute(query)]


def find_duplicates(actor) -> list[Pair]:
    """The likely duplicate pairs, each with every reason it was found by."""
    require_admin(actor)
    reasons: dict[tuple[int, int], list[str]] = {}
    for reason, keys in (("mobile", [(mobile_key, "mobile")]), ("email", [(email_key, "email")]),
                         ("id_number", [(id_number_key, "id_number")]),
                         ("name_employer", [(text_key, "name"), (text_key, "employer")])):
        for pair in _pairs_sharing(*keys):
            reasons.setdefault(pair, []).append(reason)
    ids = {i for pair in reasons for i in pair}
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))} if ids else {}
    return [Pair(users[a], users[b], found) for (a, b), found in sorted(reasons.items())][:LIMIT]
