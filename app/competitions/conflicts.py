"""Conflicts of interest: a judge may never score or confirm an entrant from their own employer
(normalised names of the judge's employer and of the entrant's or any team member's). The
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
from app.organisations.linking import pick, resolve_id
from app.organisations.names import normalise_employer


class ConflictOfInterest(Conflict):
    code = "conflict_of_interest"
    default_message = _l("A judge may not score an entrant from their own employer.")


def assigned_employer(judge: User, category: Category) -> str | None:
    """The employer fixed on the judge's assignment to `category` (not their editable profile)."""
    for assignment in category.assignments:
        if assignment.user_id == judge.id:
            return assignment.employer
    if category.chief_judge_id == judge.id:
        return category.chief_judge_employer
    return judge.employer  # not on the panel: refused anyway, checked as the profile says


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
    unlinks). The conflict check still compares the employer's words, which this does not change."""
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


def conflicts(judge: User, entry: Entry) -> bool:
    mine = normalise_employer(assigned_employer(judge, entry.category))
    return bool(mine) and any(normalise_employer(e) == mine for e in entry.employers)


def conflict_map(category: Category) -> dict[int, list[Entry]]:
    """judge id → the entries that judge may not score (for the assignment page)."""
    people = entries(category)
    return {judge.id: [e for e in people if conflicts(judge, e)] for judge, _employer in panel(category)}


def require_no_conflict(judge: User, entry: Entry) -> None:
    if conflicts(judge, entry):
        raise ConflictOfInterest(_l("%(judge)s works for the same employer as %(entrant)s and may not score or "
                                    "confirm this entrant.", judge=judge.name, entrant=entry.display_name))
