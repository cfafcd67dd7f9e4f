"""Ranking and awards of a category, live from the confirmed scores (`results`): the tie-break
rule (total, then the first criterion, then the earlier first check-in; equals share the rank)
and the award cut-offs by share or by count, as told in full in the story of `services`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from app.checkin.models import Checkpoint, Scan, ScanResult
from app.competitions.models import DEFAULT_AWARD_RULES, Award, Category, Criterion, Entry
from app.competitions.scoring import Sheet, category_sheets
from app.extensions import db
from app.timeutil import as_utc


@dataclass
class Standing:
    entry: Entry
    total: Decimal
    first_criterion: Decimal
    checked_in_at: datetime | None
    by_criterion: list[tuple[Criterion, Decimal, Decimal]]
    rank: int = 0
    award: str | None = None

    @property
    def award_label(self) -> str:
        return Award(self.award).label if self.award else ""


def first_check_ins(category: Category) -> dict[int, datetime]:
    """registration id → its first accepted entry scan at the category's event checkpoint."""
    rows = db.session.execute(
        sa.select(Scan.registration_id, sa.func.min(Scan.scanned_at))
        .join(Checkpoint, Checkpoint.id == Scan.checkpoint_id)
        .where(Checkpoint.event_id == category.event_id, Checkpoint.session_id.is_(None),
               Scan.result == ScanResult.OK.value, Scan.direction == "in")
        .group_by(Scan.registration_id))
    out = {}
    for registration_id, at in rows:
        if isinstance(at, str):  # SQLite's min() loses the column type
            at = datetime.fromisoformat(at)
        out[registration_id] = as_utc(at)
    return out


def rank(standings: list[Standing]) -> list[Standing]:
    """Order by the tie-break rule and give ranks; entrants equal on every key share the rank."""
    never = datetime.max.replace(tzinfo=None)

    def key(s: Standing):
        at = s.checked_in_at.replace(tzinfo=None) if s.checked_in_at else never
        return (-s.total, -s.first_criterion, at)

    ordered = sorted(standings, key=lambda s: (key(s), s.entry.id))
    for i, s in enumerate(ordered):
        s.rank = ordered[i - 1].rank if i and key(ordered[i - 1]) == key(s) else i + 1
    return ordered


def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def award_cutoffs(rules: dict, n: int) -> tuple[int, int, int]:
    """The last rank of 一等奖, 二等奖 and 三等奖 for n ranked entrants (see the story in `services`)."""
    if n <= 0:
        return 0, 0, 0
    if rules.get("mode", "share") == "count":
        first, second, third = (int(rules.get(k, 0)) for k in ("first", "second", "third"))
        return first, first + second, first + second + third
    first, second, third = (Decimal(str(rules.get(k, 0))) for k in ("first", "second", "third"))
    c1 = _round_half_up(n * first)
    if first > 0:
        c1 = max(1, c1)
    c2 = max(c1, _round_half_up(n * (first + second)))
    c3 = max(c2, _round_half_up(n * (first + second + third)))
    return min(c1, n), min(c2, n), min(c3, n)


def allocate_awards(ordered: list[Standing], rules: dict, max_marks: Decimal) -> list[Standing]:
    c1, c2, c3 = award_cutoffs(rules, len(ordered))
    merit_min = Decimal(max_marks) * Decimal(str(rules.get("merit_min_percent", 60))) / 100
    for s in ordered:
        if s.rank <= c1:
            s.award = Award.FIRST.value
        elif s.rank <= c2:
            s.award = Award.SECOND.value
        elif s.rank <= c3:
            s.award = Award.THIRD.value
        elif s.total >= merit_min:
            s.award = Award.MERIT.value
        else:
            s.award = None
    return ordered


def results(category: Category, sheets: list[Sheet] | None = None) -> list[Standing]:
    """The live ranking of entrants whose scores are confirmed, with their awards."""
    sheets = category_sheets(category) if sheets is None else sheets
    check_ins = first_check_ins(category)
    standings = []
    for s in sheets:
        if not s.confirmed:
            continue
        parts = s.by_criterion()
        standings.append(Standing(s.entry, s.total, parts[0][1] if parts else Decimal(0),
                                  check_ins.get(s.entry.registration_id), parts))
    return allocate_awards(rank(standings), category.competition.award_rules or DEFAULT_AWARD_RULES,
                           category.max_marks)
