"""Who advances from a round. The round's score of each entry (its confirmed sheet) ranks the
entries: higher score first; equal scores are told apart by the higher average on the round's
tie-break criterion; entries equal on both share a rank (1, 2, 2, 4).

- top N: the entries ranked within the best N advance. Entries that the tie-break criterion
  separates at the cut go by it. A group still equal on both straddling the cut (some of it
  within N, some beyond) is settled by the round's `unbroken_tie`: all of them advance (more
  than N go through), or none of them does (fewer than N).
- threshold: every entry scoring at least the threshold (of 100) advances, equal included.

Closing a round (the organiser confirms the proposal shown to them) freezes each entry's score,
rank and outcome on its RoundEntry row — the history of every cut — and puts those who advance
into the next round."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict
from app.extensions import db
from app.locking import lock_objects
from app.pitch.access import require_run
from app.pitch.applying import approved_entries
from app.pitch.models import (
    AdvanceRule,
    PitchEntry,
    PitchRound,
    PitchStatus,
    RoundEntry,
    RoundStatus,
    UnbrokenTie,
)
from app.pitch.scoring import Sheet, round_entries, round_sheets
from app.timeutil import utcnow

# Why an entry advanced or not, as stored on RoundEntry.reason.
REASONS = {
    "within": _l("Within the places"),
    "beyond": _l("Beyond the places"),
    "tie_break_won": _l("Ahead on the tie-break criterion"),
    "tie_break_lost": _l("Behind on the tie-break criterion"),
    "tie_all_advance": _l("Tied at the cut: all tied advance"),
    "tie_none_advance": _l("Tied at the cut: none of the tied advance"),
    "threshold_met": _l("At or above the threshold"),
    "threshold_missed": _l("Below the threshold"),
    "final": _l("Final ranking"),
}


@dataclass
class Standing:
    entry: PitchEntry
    total: Decimal
    tie_break: Decimal
    rank: int = 0
    advanced: bool | None = None
    reason: str = ""

    @property
    def reason_label(self) -> str:
        return str(REASONS.get(self.reason, ""))


def rank(standings: list[Standing]) -> list[Standing]:
    """Order by score, then the tie-break average; equals on both share the rank."""
    def key(s: Standing):
        return (-s.total, -s.tie_break)

    ordered = sorted(standings, key=lambda s: (key(s), s.entry.number))
    for i, s in enumerate(ordered):
        s.rank = ordered[i - 1].rank if i and key(ordered[i - 1]) == key(s) else i + 1
    return ordered


def decide(standings: list[Standing], *, rule: str, advance_count: int | None, threshold: Decimal | None,
           unbroken_tie: str) -> list[Standing]:
    """Mark who advances under the round's rule (see the module's story); the ranked list back."""
    ordered = rank(standings)
    if rule == AdvanceRule.THRESHOLD.value:
        for s in ordered:
            s.advanced = s.total >= threshold
            s.reason = "threshold_met" if s.advanced else "threshold_missed"
        return ordered
    n = advance_count or 0
    groups: dict[int, int] = {}
    for s in ordered:
        groups[s.rank] = groups.get(s.rank, 0) + 1
    for s in ordered:
        last = s.rank + groups[s.rank] - 1
        if last <= n:
            s.advanced, s.reason = True, "within"
        elif s.rank > n:
            s.advanced, s.reason = False, "beyond"
        elif unbroken_tie == UnbrokenTie.ALL_ADVANCE.value:
            s.advanced, s.reason = True, "tie_all_advance"
        else:
            s.advanced, s.reason = False, "tie_none_advance"
    for s in ordered:  # equal scores that the tie-break criterion put on either side of the cut
        if s.reason in ("within", "beyond") and any(o.total == s.total and o.advanced != s.advanced for o in ordered):
            s.reason = "tie_break_won" if s.advanced else "tie_break_lost"
    return ordered


def standings(round_: PitchRound, sheets: list[Sheet] | None = None) -> list[Standing]:
    """The confirmed entries of the round, ranked, with who would advance if it closed now."""
    sheets = round_sheets(round_) if sheets is None else sheets
    found = [Standing(s.entry, s.total, s.criterion_average(round_.tie_break_criterion_id))
             for s in sheets if s.confirmed and s.total is not None]
    if round_.is_final:
        ordered = rank(found)
        for s in ordered:
            s.reason = "final"
        return ordered
    return decide(found, rule=round_.rule, advance_count=round_.advance_count, threshold=round_.threshold,
                  unbroken_tie=round_.unbroken_tie)


def next_round(round_: PitchRound) -> PitchRound | None:
    return next((r for r in round_.competition.rounds if r.position == round_.position + 1), None)


def previous_round(round_: PitchRound) -> PitchRound | None:
    return next((r for r in round_.competition.rounds if r.position == round_.position - 1), None)


def open_round(actor: User, round_: PitchRound) -> PitchRound:
    """Start scoring a round: the first takes every approved entry (entries must be closed); a
    later one the entries that advanced from the closed round before it."""
    competition = round_.competition
    require_run(actor, competition)
    lock_objects(round_, refresh=["status"])
    if competition.status != PitchStatus.JUDGING.value:
        raise Conflict(_l("Close the entries before the rounds start."), code="not_judging")
    if not round_.criteria or not any(not j.chief for j in round_.judges):
        raise Conflict(_l("Set the round's rubric and judges first."), code="not_ready")
    before = previous_round(round_)
    if before is not None and before.status != RoundStatus.CLOSED.value:
        raise Conflict(_l("Close %(name)s first.", name=before.name), code="previous_open")
    if before is None:
        for entry in approved_entries(competition):
            db.session.add(RoundEntry(round_id=round_.id, entry_id=entry.id))
    round_.transition(RoundStatus.OPEN.value, actor=actor)
    db.session.flush()
    audit.record(actor, "pitch.round_open", round_)
    return round_


def close_round(actor: User, round_: PitchRound) -> list[Standing]:
    """The organiser confirms the round's outcome: refused while an entry's scores are not
    confirmed; freezes every standing and seats those who advance in the next round."""
    require_run(actor, round_.competition)
    lock_objects(round_, refresh=["status"])
    if round_.status != RoundStatus.OPEN.value:
        raise round_.refused_transition(round_.status, RoundStatus.CLOSED.value)
    sheets = round_sheets(round_)
    waiting = [s.entry.code for s in sheets if not s.confirmed]
    if waiting:
        raise Conflict(_l("The scores of entries %(codes)s are not confirmed yet.", codes="、".join(waiting[:10])),
                       code="unconfirmed_scores")
    ordered = standings(round_, sheets)
    rows = {r.entry_id: r for r in round_entries(round_)}
    following = next_round(round_)
    for s in ordered:
        row = rows[s.entry.id]
        row.total, row.rank, row.advanced, row.reason = s.total, s.rank, s.advanced, s.reason
        if s.advanced and following is not None:
            db.session.add(RoundEntry(round_id=following.id, entry_id=s.entry.id))
    round_.closed_at, round_.closed_by_id = utcnow(), actor.id
    round_.transition(RoundStatus.CLOSED.value, actor=actor)
    db.session.flush()
    audit.record(actor, "pitch.round_close", round_, advanced=[s.entry.id for s in ordered if s.advanced])
    return ordered


def outcomes(round_: PitchRound) -> list[RoundEntry]:
    """A closed round's frozen standings, best first."""
    return sorted(round_entries(round_), key=lambda r: (r.rank is None, r.rank or 0, r.entry.number))
