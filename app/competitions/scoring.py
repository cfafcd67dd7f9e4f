"""Scores and their confirmation. Measurement aspects: the judge picks a defined outcome.
Judgement aspects: three judges give 0–3 each; mark = max × average ÷ 3 (two decimals, half up).
Scores are append-only rows (history: who, when, old → new); judgement scores of one aspect more
than one point apart are flagged until re-scored within one point. A second person of the panel
who entered none of the entrant's current scores confirms them when complete and unflagged; any
later change voids the confirmation. A `Sheet` is where an entrant's scores stand."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.competitions.access import is_judge, require_panel
from app.competitions.conflicts import require_no_conflict
from app.competitions.entries import approved_entries
from app.competitions.models import (
    JUDGEMENT_SCALE,
    JUDGES_PER_JUDGEMENT,
    Aspect,
    Category,
    CompetitionStatus,
    Confirmation,
    Criterion,
    Entry,
    Score,
)
from app.competitions.schemes import aspects
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.extensions import db
from app.locking import lock_objects
from app.numbers import round_score
from app.registrations.models import RegStatus


def q2(value: Decimal) -> Decimal:
    return round_score(value)  # the one rounding rule of scores (app.numbers)


@dataclass
class AspectState:
    aspect: Aspect
    scores: list[Score] = field(default_factory=list)  # current: one per judge, or the measurement
    mark: Decimal | None = None
    flagged: bool = False

    @property
    def complete(self) -> bool:
        return self.mark is not None

    @property
    def spread(self) -> tuple[Decimal, Decimal] | None:
        values = [s.value for s in self.scores]
        return (min(values), max(values)) if values else None

    def by_judge(self, judge_id: int) -> Score | None:
        return next((s for s in self.scores if s.judge_id == judge_id), None)


@dataclass
class Sheet:
    """Where an entrant's scores stand."""

    entry: Entry
    states: list[AspectState]
    last_score_id: int | None
    confirmation: Confirmation | None

    @property
    def complete(self) -> bool:
        return bool(self.states) and all(s.complete for s in self.states)

    @property
    def flagged(self) -> list[AspectState]:
        return [s for s in self.states if s.flagged]

    @property
    def confirmed(self) -> bool:
        return (self.confirmation is not None and self.last_score_id is not None
                and self.confirmation.last_score_id == self.last_score_id)

    @property
    def enterers(self) -> set[int]:
        return {score.entered_by_id for s in self.states for score in s.scores}

    @property
    def total(self) -> Decimal:
        return sum((s.mark for s in self.states if s.mark is not None), Decimal("0.00"))

    def by_criterion(self) -> list[tuple[Criterion, Decimal, Decimal]]:
        out: dict[int, list] = {}
        for s in self.states:
            criterion = s.aspect.criterion
            row = out.setdefault(criterion.id, [criterion, Decimal("0.00"), Decimal("0.00")])
            row[1] += s.mark or 0
            row[2] += s.aspect.max_mark
        return [tuple(r) for r in out.values()]

    @property
    def scored(self) -> bool:
        return self.last_score_id is not None


def spread_flagged(values: list[Decimal], limit: Decimal = Decimal(1)) -> bool:
    """Judges' scores of one thing more than `limit` apart: one point on the 0–3 judgement scale
    here; other scales (the pitch competitions' criteria) pass their own, a third of the scale."""
    return len(values) >= 2 and max(values) - min(values) > limit


def judgement_mark(max_mark: Decimal, values: list[Decimal]) -> Decimal:
    """max × average ÷ 3, two decimals rounded half up."""
    average = sum(values, Decimal(0)) / len(values)
    return q2(Decimal(max_mark) * average / JUDGEMENT_SCALE)


_UNREAD = object()  # sheet() reads the confirmation itself unless the caller has it (None included)


def sheet(entry: Entry, *, rows: list[Score] | None = None, confirmation=_UNREAD) -> Sheet:
    if rows is None:
        rows = list(db.session.scalars(sa.select(Score).where(Score.entry_id == entry.id).order_by(Score.id)))
    latest: dict[tuple, Score] = {}
    for row in rows:
        aspect = row.aspect
        latest[(row.aspect_id, row.judge_id if aspect.is_judgement else None)] = row
    states = []
    for aspect in aspects(entry.category):
        if aspect.is_judgement:
            scores = sorted((s for (aid, _j), s in latest.items() if aid == aspect.id), key=lambda s: s.judge_id)
            state = AspectState(aspect, scores)
            values = [s.value for s in scores]
            state.flagged = spread_flagged(values)
            if len(values) >= JUDGES_PER_JUDGEMENT:
                state.mark = judgement_mark(aspect.max_mark, values)
        else:
            score = latest.get((aspect.id, None))
            state = AspectState(aspect, [score] if score else [])
            state.mark = q2(score.value) if score else None
        states.append(state)
    if confirmation is _UNREAD:
        confirmation = db.session.scalar(sa.select(Confirmation).where(Confirmation.entry_id == entry.id)
                                         .order_by(Confirmation.id.desc()).limit(1))
    return Sheet(entry, states, rows[-1].id if rows else None, confirmation)


def scoring_closed(category: Category) -> Conflict | None:
    """Why scores of this category cannot change now, or None: the judge's page shows the same
    reason read-only that a save would be refused with."""
    competition = category.competition
    if competition.is_published:
        return Conflict(_l("The results are published; scores can no longer change."), code="results_published")
    if competition.status == CompetitionStatus.DRAFT.value:
        return Conflict(_l("The competition has not opened yet."), code="not_open")
    return None


def _require_scoring_open(category: Category) -> None:
    lock_objects(category.competition, refresh=["status"])  # scores wait for a publication under way
    closed = scoring_closed(category)
    if closed is not None:
        raise closed


def enter_scores(judge: User, entry: Entry, values: dict[int, str]) -> list[Score]:
    """A judge's scores for one entrant: {aspect id: outcome label (measurement) or 0–3
    (judgement)}; empty values are left as they are. Every change is a new row (old → new)."""
    category = entry.category
    if not is_judge(judge, category):
        raise PermissionDenied(_l("You are not a judge of this category."))
    require_no_conflict(judge, entry)
    if entry.registration.status != RegStatus.CONFIRMED.value:
        raise Conflict(_l("Only approved entrants are scored."), code="not_approved")
    _require_scoring_open(category)
    current = sheet(entry)
    by_id = {s.aspect.id: s for s in current.states}
    errors, changes = {}, []
    for key, raw in (values or {}).items():
        state = by_id.get(int(key)) if str(key).isdigit() else None
        if state is None:
            errors[f"a{key}"] = _l("No such aspect in this marking scheme.")
            continue
        raw = (raw or "").strip() if isinstance(raw, str) else raw
        if raw in (None, ""):
            continue
        aspect = state.aspect
        if aspect.is_judgement:
            if str(raw) not in {str(n) for n in range(JUDGEMENT_SCALE + 1)}:
                errors[f"a{aspect.id}"] = _l("A judgement score is 0, 1, 2 or 3.")
                continue
            value, outcome = Decimal(str(raw)), ""
            previous = state.by_judge(judge.id)
            others = [s for s in state.scores if s.judge_id != judge.id]
            if previous is None and len(others) >= JUDGES_PER_JUDGEMENT:
                errors[f"a{aspect.id}"] = _l("Three judges have already scored this aspect.")
                continue
        else:
            match = next((o for o in aspect.outcomes if o["label"] == raw), None)
            if match is None:
                errors[f"a{aspect.id}"] = _l("Choose one of the defined outcomes.")
                continue
            value, outcome = Decimal(match["mark"]), match["label"]
            previous = state.scores[0] if state.scores else None
        if previous is not None and previous.value == value and previous.outcome == outcome:
            continue
        changes.append(Score(entry_id=entry.id, aspect_id=aspect.id, judge_id=judge.id, value=value, outcome=outcome,
                             old_value=previous.value if previous else None, entered_by_id=judge.id))
    if errors:
        raise InvalidInput(fields=errors)
    db.session.add_all(changes)
    db.session.flush()
    return changes


def history(entry: Entry) -> list[Score]:
    return list(db.session.scalars(sa.select(Score).where(Score.entry_id == entry.id).order_by(Score.id.desc())))


def confirm(actor: User, entry: Entry) -> Confirmation:
    """A second person confirms the entrant's scores: a judge of the category or its chief judge,
    who entered none of them and has no conflict of interest; all aspects scored, none flagged."""
    category = entry.category
    require_panel(actor, category)
    require_no_conflict(actor, entry)
    _require_scoring_open(category)
    current = sheet(entry)
    if actor.id in current.enterers:
        raise Conflict(_l("You entered some of these scores: another judge or the chief judge confirms them."),
                       code="own_scores")
    if not current.complete:
        raise Conflict(_l("Some aspects are not fully scored yet."), code="incomplete")
    if current.flagged:
        raise Conflict(_l("Scores of %(n)s aspects differ by more than one point: discuss and re-score first.",
                          n=len(current.flagged)), code="flagged")
    if current.confirmed:
        return current.confirmation
    confirmation = Confirmation(entry_id=entry.id, last_score_id=current.last_score_id, confirmed_by_id=actor.id)
    db.session.add(confirmation)
    db.session.flush()
    return confirmation


def category_sheets(category: Category) -> list[Sheet]:
    people = approved_entries(category)
    rows = list(db.session.scalars(sa.select(Score).join(Entry).where(Entry.category_id == category.id)
                                   .order_by(Score.id)))
    grouped: dict[int, list[Score]] = {}
    for row in rows:
        grouped.setdefault(row.entry_id, []).append(row)
    latest = _latest_confirmations(category)
    return [sheet(e, rows=grouped.get(e.id, []), confirmation=latest.get(e.id)) for e in people]


def _latest_confirmations(category: Category) -> dict[int, Confirmation]:
    """Each entry's latest confirmation (with who confirmed it), in one query for the category."""
    newest = (sa.select(sa.func.max(Confirmation.id)).join(Entry, Entry.id == Confirmation.entry_id)
              .where(Entry.category_id == category.id).group_by(Confirmation.entry_id))
    return {c.entry_id: c for c in db.session.scalars(
        sa.select(Confirmation).where(Confirmation.id.in_(newest)).options(joinedload(Confirmation.confirmed_by)))}
