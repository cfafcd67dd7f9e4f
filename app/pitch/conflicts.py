"""Conflicts of interest per round: a judge may not score or confirm an entry when the employer
fixed on their assignment to that round is the entry's company or the employer of the lead or of
any team member. The comparison is the skills competitions' `same_employer` (the same registry
organisation when both are linked, else the same normalised name). A judge conflicted with an
entry meets that conflict in every round they judge; a judge of a later round only is not
checked (nor refused) in an earlier one, where they are no judge at all."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.competitions.conflicts import ConflictOfInterest, same_employer
from app.pitch.access import assignment
from app.pitch.models import PitchEntry, PitchRound


def entry_sides(entry: PitchEntry) -> list[tuple[str | None, int | None]]:
    """Everything an entry is tied to: its company, its lead's employer, its members' employers."""
    return ([(entry.company_name, entry.organisation_id), (entry.employer, None)]
            + [(m.employer, m.organisation_id) for m in entry.members])


def conflicts(judge: User, round_: PitchRound, entry: PitchEntry) -> bool:
    mine = assignment(judge, round_)
    employer = (mine.employer, mine.organisation_id) if mine is not None else (judge.employer, None)
    return any(same_employer(employer, other) for other in entry_sides(entry))


def require_no_conflict(judge: User, round_: PitchRound, entry: PitchEntry) -> None:
    if conflicts(judge, round_, entry):
        raise ConflictOfInterest(_l("%(judge)s is tied to the same employer as entry %(entry)s and may not score "
                                    "or confirm it.", judge=judge.name, entry=entry.code))
