"""The seed plan file and a fixture that makes sure every counter it names is registered.

The counters themselves are the ledger's (app/plans/ledger/sources); where one is not registered in
this checkout the fixture adds an empty one of that name for the test, so that loading the file can
be tested on its own. Counters that exist are left as they are."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

SEED = Path(__file__).resolve().parents[2] / "plans" / "liuzai-minhang-2022-2024.yaml"
SEED_COUNTERS = ("attendees", "founders", "trainees", "studios_opened", "events_held", "retained")


def _no_facts(rule: dict) -> sa.Select:
    from app.accounts.models import User
    return sa.select(User.id.label("subject"), User.created_at.label("at"), sa.null().label("department_id"),
                     sa.literal("none").label("programme"), sa.null().label("event_id")).where(sa.false())


@pytest.fixture
def seed_counters(monkeypatch):
    from app.plans.ledger import counters, sources  # noqa: F401

    registry = dict(counters.COUNTERS)
    for name in SEED_COUNTERS:
        registry.setdefault(name, counters.Counter(name, counters.PEOPLE, _no_facts, name))
    monkeypatch.setattr(counters, "COUNTERS", registry)
    return registry
