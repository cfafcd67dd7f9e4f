"""Judges' scores in a round and their confirmation. Each judge of the round (not its chief
judge, and not one conflicted with the entry) scores every criterion from 0 to its maximum, with
a comment; the judge's total is the camp reviews' weighted total (Σ weight·score/max ÷ Σ weight ×
100, app.cohorts.selection.review.weighted_total) and the entry's round score is the average of
its judges' totals, two decimals half up. As in the skills competitions, scores are append-only
rows; a criterion whose judges' scores are more than a third of its scale apart is flagged
(app.competitions.scoring.spread_flagged); a second person — the round's chief judge or an
organiser — who entered none of the scores confirms them when complete and unflagged, and any
later change voids the confirmation."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.cohorts.selection.review import weighted_total
from app.competitions.models import JUDGEMENT_SCALE
from app.competitions.scoring import spread_flagged
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.locking import lock_objects
from app.numbers import round_score
from app.pitch.access import can_run, is_panel, is_scorer
from app.pitch.conflicts import conflicts, require_no_conflict
from app.pitch.models import (
    PitchConfirmation,
    PitchEntry,
    PitchRound,
    PitchScore,
    RoundCriterion,
    RoundEntry,
    RoundStatus,
)

COMMENT_MAX = 500


@dataclass
class CriterionState:
    criterion: RoundCriterion
    scores: list[PitchScore] = field(default_factory=list)  # current: one per judge

    @property
    def flagged(self) -> bool:
        return spread_flagged([s.value for s in self.scores], Decimal(self.criterion.max_score) / JUDGEMENT_SCALE)

    @property
    def spread(self) -> tuple[Decimal, Decimal] | None:
        values = [s.value for s in self.scores]
        return (min(values), max(values)) if values else None

    @property
    def average(self) -> Decimal:
        values = [s.value for s in self.scores]
        return round_score(sum(values, Decimal(0)) / len(values)) if values else Decimal("0.00")

    def by_judge(self, judge_id: int) -> PitchScore | None:
        return next((s for s in self.scores if s.judge_id == judge_id), None)


@dataclass
class Sheet:
    """Where an entry's scores in a round stand."""

    round: PitchRound
    entry: PitchEntry
    states: list[CriterionState]
    scorers: list[int]           # the judges who score this entry (not conflicted)
    judge_totals: dict[int, Decimal]
    last_score_id: int | None
    confirmation: PitchConfirmation | None

    @property
    def complete(self) -> bool:
        return bool(self.scorers) and all(j in self.judge_totals for j in self.scorers)

    @property
    def flagged(self) -> list[CriterionState]:
        return [s for s in self.states if s.flagged]

    @property
    def total(self) -> Decimal | None:
        totals = [self.judge_totals[j] for j in self.scorers if j in self.judge_totals]
        return round_score(sum(totals, Decimal(0)) / len(totals)) if totals and self.complete else None

    @property
    def confirmed(self) -> bool:
        return (self.confirmation is not None and self.last_score_id is not None
                and self.confirmation.last_score_id == self.last_score_id)

    @property
    def enterers(self) -> set[int]:
        return {score.judge_id for s in self.states for score in s.scores}

    def criterion_average(self, criterion_id: int | None) -> Decimal:
        state = next((s for s in self.states if s.criterion.id == criterion_id), None)
        return state.average if state else Decimal("0.00")

    def comments(self) -> list[PitchScore]:
        return [score for s in self.states for score in s.scores if score.comment]


_UNREAD = object()  # sheet() reads the confirmation itself unless the caller has it (None included)


def sheet(round_: PitchRound, entry: PitchEntry, *, rows: list[PitchScore] | None = None,
          confirmation=_UNREAD) -> Sheet:
    if rows is None:
        rows = list(db.session.scalars(sa.select(PitchScore).where(PitchScore.round_id == round_.id,
                                                                   PitchScore.entry_id == entry.id)
                                       .order_by(PitchScore.id)))
    latest = {(r.criterion_id, r.judge_id): r for r in rows}
    states = [CriterionState(c, sorted((s for (cid, _j), s in latest.items() if cid == c.id),
                                       key=lambda s: s.judge_id)) for c in round_.criteria]
    scorers = [j.user_id for j in round_.judges if not j.chief and not conflicts(j.user, round_, entry)]
    totals = {}
    for judge_id in scorers:
        total = weighted_total(round_.criteria, {s.criterion.id: float(score.value) for s in states
                                                 if (score := s.by_judge(judge_id)) is not None})
        if total is not None:
            totals[judge_id] = round_score(Decimal(str(total)))
    if confirmation is _UNREAD:
        confirmation = db.session.scalar(sa.select(PitchConfirmation).where(
            PitchConfirmation.round_id == round_.id, PitchConfirmation.entry_id == entry.id)
            .order_by(PitchConfirmation.id.desc()).limit(1))
    return Sheet(round_, entry, states, scorers, totals, rows[-1].id if rows else None, confirmation)


def round_entries(round_: PitchRound) -> list[RoundEntry]:
    # every page of a round names the entries and checks their members' employers for conflicts
    return list(db.session.scalars(sa.select(RoundEntry).join(PitchEntry).where(RoundEntry.round_id == round_.id)
                                   .options(contains_eager(RoundEntry.entry).joinedload(PitchEntry.user),
                                            contains_eager(RoundEntry.entry).selectinload(PitchEntry.members))
                                   .order_by(PitchEntry.number)))


def round_sheets(round_: PitchRound) -> list[Sheet]:
    rows = list(db.session.scalars(sa.select(PitchScore).where(PitchScore.round_id == round_.id)
                                   .order_by(PitchScore.id)))
    grouped: dict[int, list[PitchScore]] = {}
    for row in rows:
        grouped.setdefault(row.entry_id, []).append(row)
    confirmed = _latest_confirmations(round_)
    return [sheet(round_, r.entry, rows=grouped.get(r.entry_id, []), confirmation=confirmed.get(r.entry_id))
            for r in round_entries(round_)]


def _latest_confirmations(round_: PitchRound) -> dict[int, PitchConfirmation]:
    """Each entry's latest confirmation in the round, in one query."""
    newest = (sa.select(sa.func.max(PitchConfirmation.id)).where(PitchConfirmation.round_id == round_.id)
              .group_by(PitchConfirmation.entry_id))
    return {c.entry_id: c for c in db.session.scalars(sa.select(PitchConfirmation).where(
        PitchConfirmation.id.in_(newest)))}


def scoring_closed(round_: PitchRound) -> Conflict | None:
    """Why scores of this round cannot change now, or None (shown read-only on the judge's page)."""
    if round_.status == RoundStatus.PENDING.value:
        return Conflict(_l("This round has not started yet."), code="round_not_open")
    if round_.status == RoundStatus.CLOSED.value:
        return Conflict(_l("This round is closed; its scores can no longer change."), code="round_closed")
    return None


def _require_open(round_: PitchRound) -> None:
    lock_objects(round_, refresh=["status"])  # scores wait for a closing under way
    closed = scoring_closed(round_)
    if closed is not None:
        raise closed


def _require_in_round(round_: PitchRound, entry: PitchEntry) -> None:
    if not db.session.scalar(sa.select(RoundEntry.id).where(RoundEntry.round_id == round_.id,
                                                            RoundEntry.entry_id == entry.id)):
        raise NotFound(_l("This entry is not in this round."))


def _value(raw, criterion: RoundCriterion) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or not 0 <= value <= criterion.max_score or value != value.quantize(Decimal("0.1")):
        return None
    return value.quantize(Decimal("0.01"))


def enter_scores(judge: User, round_: PitchRound, entry: PitchEntry, values: dict,
                 comments: dict | None = None) -> list[PitchScore]:
    """A judge's scores for one entry: {criterion id: 0 … max (one decimal)}, with a comment per
    criterion; empty values are left as they are; each change is a new row (old → new)."""
    if not is_scorer(judge, round_):
        raise PermissionDenied(_l("You are not a judge of this round."))
    require_no_conflict(judge, round_, entry)
    _require_in_round(round_, entry)
    _require_open(round_)
    current = sheet(round_, entry)
    by_id = {s.criterion.id: s for s in current.states}
    comments = comments or {}
    errors, changes = {}, []
    for key in set(values or {}) | set(comments):
        state = by_id.get(int(key)) if str(key).isdigit() and len(str(key)) < 12 else None
        if state is None:
            errors[f"c{key}"] = _l("No such criterion in this round.")
            continue
        criterion = state.criterion
        previous = state.by_judge(judge.id)
        raw = str((values or {}).get(key) or "").strip()
        if key in comments:
            comment = str(comments.get(key) or "").strip()
        else:  # a score given without its comment keeps the comment it had
            comment = previous.comment if previous is not None else ""
        if len(comment) > COMMENT_MAX:
            errors[f"n{criterion.id}"] = _l("At most %(n)s characters.", n=COMMENT_MAX)
            continue
        if raw == "":
            if previous is None or comment == previous.comment:
                continue
            value = previous.value
        else:
            value = _value(raw, criterion)
            if value is None:
                errors[f"c{criterion.id}"] = _l("A score from 0 to %(max)s (one decimal at most).",
                                                max=criterion.max_score)
                continue
        if previous is not None and previous.value == value and previous.comment == comment:
            continue
        changes.append(PitchScore(round_id=round_.id, entry_id=entry.id, criterion_id=criterion.id,
                                  judge_id=judge.id, value=value, comment=comment,
                                  old_value=previous.value if previous else None))
    if errors:
        raise InvalidInput(fields=errors)
    db.session.add_all(changes)
    db.session.flush()
    return changes


def can_confirm(user: User | None, round_: PitchRound) -> bool:
    """The round's chief judge and the competition's organisers (the second person)."""
    return bool(user) and ((is_panel(user, round_) and not is_scorer(user, round_)) or can_run(user, round_.competition))


def confirm(actor: User, round_: PitchRound, entry: PitchEntry) -> PitchConfirmation:
    if not can_confirm(actor, round_):
        raise PermissionDenied(_l("The round's chief judge or an organiser confirms the scores."))
    require_no_conflict(actor, round_, entry)
    _require_in_round(round_, entry)
    _require_open(round_)
    current = sheet(round_, entry)
    if actor.id in current.enterers:
        raise Conflict(_l("You entered some of these scores: another person confirms them."), code="own_scores")
    if not current.complete:
        raise Conflict(_l("Not every judge has scored every criterion yet."), code="incomplete")
    if current.flagged:
        raise Conflict(_l("Scores of %(n)s criteria are far apart: discuss and re-score first.",
                          n=len(current.flagged)), code="flagged")
    if current.confirmed:
        return current.confirmation
    confirmation = PitchConfirmation(round_id=round_.id, entry_id=entry.id, last_score_id=current.last_score_id,
                                     confirmed_by_id=actor.id)
    db.session.add(confirmation)
    db.session.flush()
    return confirmation


def history(round_: PitchRound, entry: PitchEntry) -> list[PitchScore]:
    return list(db.session.scalars(sa.select(PitchScore).where(PitchScore.round_id == round_.id,
                                                               PitchScore.entry_id == entry.id)
                                   .order_by(PitchScore.id.desc())))
