"""Changing a pitch competition's set-up after it is created: its eligibility rules (until the
entries close), a round's name and its place in the order (while neither round has started and
the final stays last), and whom an organiser can put on a panel."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User, UserRole
from app.audit import services as audit
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.locking import lock_objects
from app.pitch.access import require_run
from app.pitch.models import PitchCompetition, PitchRound, PitchStatus, RoundStatus
from app.pitch.setup import clean_eligibility


def set_eligibility(actor: User, competition: PitchCompetition, rules: dict | None) -> PitchCompetition:
    """The rules applicants are checked against; they stand once the entries close."""
    require_run(actor, competition)
    if competition.status not in (PitchStatus.DRAFT.value, PitchStatus.OPEN.value):
        raise Conflict(_l("The entries are closed: the eligibility rules cannot change."), code="entries_closed")
    competition.eligibility = clean_eligibility(rules)
    audit.record(actor, "pitch.eligibility", competition, rules=competition.eligibility)
    return competition


def _require_pending(round_: PitchRound) -> None:
    if round_.status != RoundStatus.PENDING.value:
        raise Conflict(_l("A round that has started cannot be renamed or moved."), code="round_started")


def rename_round(actor: User, round_: PitchRound, name: str) -> PitchRound:
    require_run(actor, round_.competition)
    _require_pending(round_)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise InvalidInput(fields={"name": _l("Please enter a name.")})
    round_.name = name
    audit.record(actor, "pitch.round_name", round_, name=name)
    return round_


def move_round(actor: User, round_: PitchRound, direction: str) -> PitchRound:
    """Swap the round with the one before ("up") or after ("down") it; the final stays last."""
    competition = round_.competition
    require_run(actor, competition)
    lock_objects(competition)  # two organisers reordering at once would collide on the positions
    if direction not in ("up", "down"):
        raise InvalidInput(fields={"direction": _l("Move a round up or down.")})
    step = -1 if direction == "up" else 1
    other = next((r for r in competition.rounds if r.position == round_.position + step), None)
    if other is None:
        raise Conflict(_l("The round is already at that end."), code="at_end")
    if round_.is_final or other.is_final:
        raise Conflict(_l("The final is the last round."), code="final_last")
    _require_pending(round_)
    _require_pending(other)
    mine, theirs = round_.position, other.position
    # (competition, position) is unique: park one of them first, one flush per step.
    round_.position = -mine
    db.session.flush()
    other.position = mine
    db.session.flush()
    round_.position = theirs
    db.session.flush()
    competition.rounds.sort(key=lambda r: r.position)
    audit.record(actor, "pitch.round_move", round_, direction=direction)
    return round_


def judge_accounts() -> list[User]:
    """Everyone with the judge role, by name: whom an organiser can put on a round's panel."""
    return list(db.session.scalars(sa.select(User).join(UserRole).where(UserRole.role == Role.JUDGE.value)
                                   .order_by(User.name, User.id)))
