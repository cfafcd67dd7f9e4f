"""Who may act on a pitch competition: organisers of its department run it; a round's judges
score that round; its chief judge and the organisers confirm; entrants see their own entry."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User, organises
from app.errors import NotFound, PermissionDenied
from app.lookups import get_or_not_found
from app.pitch.models import PitchCompetition, PitchEntry, PitchRound, PitchStatus


def get_competition(competition_id: int) -> PitchCompetition:
    return get_or_not_found(PitchCompetition, competition_id, _l("No such pitch competition."))


def get_round(round_id: int) -> PitchRound:
    return get_or_not_found(PitchRound, round_id, _l("No such round."))


def get_entry(entry_id: int) -> PitchEntry:
    return get_or_not_found(PitchEntry, entry_id, _l("No such entry."))


def can_run(user: User | None, competition: PitchCompetition) -> bool:
    return organises(user, competition.department_id)


def require_run(user: User, competition: PitchCompetition) -> None:
    if not can_run(user, competition):
        raise PermissionDenied(_l("Only organisers of %(dept)s can do this.", dept=competition.department.name))


def assignment(user: User | None, round_: PitchRound):
    uid = getattr(user, "id", None)
    return next((j for j in round_.judges if uid is not None and j.user_id == uid), None)


def is_scorer(user: User | None, round_: PitchRound) -> bool:
    """A judge of the round who scores (not its chief judge)."""
    judge = assignment(user, round_)
    return judge is not None and not judge.chief


def is_panel(user: User | None, round_: PitchRound) -> bool:
    return assignment(user, round_) is not None


def require_panel(user: User, round_: PitchRound) -> None:
    if not is_panel(user, round_):
        raise PermissionDenied(_l("You are not a judge of this round."))


def can_read_round(user: User | None, round_: PitchRound) -> bool:
    return can_run(user, round_.competition) or is_panel(user, round_)


def require_read_round(user: User | None, round_: PitchRound) -> None:
    if not can_read_round(user, round_):
        raise PermissionDenied(_l("You do not have permission to open this page."))


def is_public(user: User | None, competition: PitchCompetition) -> bool:
    return competition.status != PitchStatus.DRAFT.value or can_run(user, competition)


def require_public(user: User | None, competition: PitchCompetition) -> None:
    if not is_public(user, competition):
        raise NotFound(_l("The page you are looking for does not exist."))
