"""The rules a computed target may name (`rule: {counter: trainees, ...}` in a plan file).

A counter returns a SELECT of *facts*, one row per time something counted happened, with these
labelled columns:

    subject        the person's users.id (unit "people") or the occasion's id (unit "occasions")
    at             when it happened (UTC): the check-in, the placement's start, the studio's opening
    department_id  the department that ran it (the scope and the by-department figures filter on it)
    programme      what kind of programme it was ("camp", "traineeship", "event:forum" …)
    event_id       the occasion's event, for the drill-down to occasions (may be NULL)

The figures (app/plans/ledger/figures.py) count distinct subjects over those rows, so a counter
never needs to de-duplicate: a founder seated in two camps is two facts and one person."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput

PEOPLE, OCCASIONS = "people", "occasions"
FACT_COLUMNS = ("subject", "at", "department_id", "programme", "event_id")


class UnknownCounter(InvalidInput):
    code = "unknown_counter"
    default_message = _l("The plan names a counting rule this system does not know.")


@dataclass(frozen=True)
class Counter:
    name: str
    unit: str  # PEOPLE or OCCASIONS
    facts: Callable[[dict], sa.Select]  # the rule's parameters -> the facts
    label: str | object  # what it counts, in words (lazy string)


COUNTERS: dict[str, Counter] = {}


def counter(name: str, unit: str, label) -> Callable:
    """Register `facts(params) -> Select` as the counter `name`."""
    def register(facts: Callable[[dict], sa.Select]) -> Callable[[dict], sa.Select]:
        COUNTERS[name] = Counter(name, unit, facts, label)
        return facts
    return register


def get(name: str) -> Counter:
    try:
        return COUNTERS[name]
    except KeyError:
        raise UnknownCounter() from None
