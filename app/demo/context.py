"""What one run of the demo loader carries from step to step: its seed and size, its clock, the
people loaded so far (staff, the demo participant, the participant pool) and what it created."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable


@dataclass
class DemoRun:
    seed: int
    participants: int
    echo: Callable[[str], object]
    now: datetime
    today: date
    departments: dict[str, int] = field(default_factory=dict)   # code → id
    staff_ids: dict[str, int] = field(default_factory=dict)     # login → user id
    demo_user_id: int | None = None
    pool: list[tuple[int, str]] = field(default_factory=list)   # (user id, persona) of participants
    created: dict[str, int] = field(default_factory=lambda: {"users": 0, "series": 0, "events": 0,
                                                               "registrations": 0})


def chunks(items, size):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]
