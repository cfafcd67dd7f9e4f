"""Conflicts of interest: a judge may never score or confirm an entrant from their own employer
(the judge's employer against the entrant's and every team member's). Two people work for the same
employer when both are linked to the same registry organisation (a merged duplicate counts as the
one kept), or, when either is not linked, when their employers' normalised names are the same. The
judge's employer is the one fixed on their assignment to the category, which only the organiser
changes (audited), not their editable profile."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.competitions.access import require_run
from app.competitions.categories import panel
from app.competitions.entries import entries
from app.competitions.models import Category, Entry
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.organisations.linking import canonical, pick, resolve_id
from app.organisations.models import Organisation
from app.organisations.names import normalise_employer


class ConflictOfInterest(Conflict):
    code = "conflict_of_interest"
    default_message = _l("A judge may not score an entrant from their own employer.")


def assigned_employer(judge: User, category: Category) -> str | None:
    """The employer fixed on the judge's assignment to `category` (not their editable profile)."""
    return _judge_employer(judge, category)[0]


def _judge_employer(judge: User, category: Category) -> tuple[str | None, int | None]:
    """(employer, registry organisation id) fixed on the judge's assignment to `category`."""
    for assignment in category.assignments:
        if assignment.user_id == judge.id:
            return assignment.employer, assignment.organisation_id
    if category.chief_judge_id == judge.id:
        return category.chief_judge_employer, category.chief_judge_organisation_id
    return judge.employer, None  # not on the panel: refused anyway, checked as the profile says


def set_judge_employer(actor: User, category: Category, judge_id: int, employer: str) -> str | None:
    """The organiser corrects the employer a judge of the category is checked against."""
    require_run(actor, category.competition)
    employer = (employer or "").strip() or None
    if employer is not None and len(employer) > 120:
        raise InvalidInput(fields={"employer": _l("At most 120 characters.")})
    assignment = next((a for a in category.assignments if a.user_id == judge_id), None)
    is_chief = category.chief_judge_id is not None and category.chief_judge_id == judge_id
    if assignment is None and not is_chief:
        raise NotFound(_l("This person is not a judge of this category."))
    before = assignment.employer if assignment is not None else category.chief_judge_employer
    if assignment is not None:
        assignment.employer, assignment.organisation_id = employer, resolve_id(employer)
    if is_chief:
        category.chief_judge_employer, category.chief_judge_organisation_id = employer, resolve_id(employer)
    audit.record(actor, "competition.judge_employer", category, judge=judge_id, before=before, after=employer)
    db.session.flush()
    return employer


def set_judge_organisation(actor: User, category: Category, judge_id: int, text: str | None) -> Category:
    """The organiser links a judge's employer to the registry by hand (a name, code or id; empty
    unlinks). Linked on both sides, the conflict check compares the organisations, not the words."""
    require_run(actor, category.competition)
    chosen = pick(text)
    assignment = next((a for a in category.assignments if a.user_id == judge_id), None)
    is_chief = category.chief_judge_id is not None and category.chief_judge_id == judge_id
    if assignment is None and not is_chief:
        raise NotFound(_l("This person is not a judge of this category."))
    if assignment is not None:
        assignment.organisation_id = chosen.id if chosen else None
    if is_chief:
        category.chief_judge_organisation_id = chosen.id if chosen else None
    audit.record(actor, "competition.judge_organisation", category, judge=judge_id,
                 after=chosen.id if chosen else None)
    return category


def judge_organisations(category: Category) -> dict[int, object]:
    """judge id → the registry organisation their employer is linked to (None: not linked)."""
    linked = {a.user_id: a.organisation for a in category.assignments}
    if category.chief_judge_id is not None and category.chief_judge_id not in linked:
        linked[category.chief_judge_id] = category.chief_judge_organisation
    return linked


def _kept_id(organisation_id: int | None) -> int | None:
    """The id of the organisation kept for a linked one (following merges), or None: not linked."""
    if organisation_id is None:
        return None
    kept = canonical(db.session.get(Organisation, organisation_id))
    return kept.id if kept is not None else None


def same_employer(one: tuple[str | None, int | None], other: tuple[str | None, int | None]) -> bool:
    """Two (employer, organisation id) pairs: the same organisation when both are linked, else the
    same normalised name (an empty name matches nothing)."""
    first, second = _kept_id(one[1]), _kept_id(other[1])
    if first is not None and second is not None:
        return first == second
    name = normalise_employer(one[0])
    return bool(name) and normalise_employer(other[0]) == name


def conflicts(judge: User, entry: Entry) -> bool:
    mine = _judge_employer(judge, entry.category)
    theirs = [(entry.employer, entry.organisation_id)] + [(m.employer, m.organisation_id) for m in entry.members]
    return any(same_employer(mine, other) for other in theirs)


def conflict_map(category: Category) -> dict[int, list[Entry]]:
    """judge id → the entries that judge may not score (for the assignment page)."""
    people = entries(category)
    return {judge.id: [e for e in people if conflicts(judge, e)] for judge, _employer in panel(category)}


def require_no_conflict(judge: User, entry: Entry) -> None:
    if conflicts(judge, entry):
        raise ConflictOfInterest(_l("%(judge)s works for the same employer as %(entrant)s and may not score or "
                                    "confirm this entrant.", judge=judge.name, entrant=entry.display_name))
