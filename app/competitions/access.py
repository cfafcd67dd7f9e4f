"""Who may act on a competition, and on what: the object a URL names (a missing one is
`NotFound`), and the rules — organisers of the competition's department run it; a category's
judges score; its judges and its chief judge (the panel) confirm and read the scores."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User, organises
from app.competitions.models import Category, Competition, CompetitionStatus, Entry
from app.errors import NotFound, PermissionDenied
from app.lookups import get_or_not_found


# -- what a URL names --------------------------------------------------------------------------
def get_competition(competition_id: int) -> Competition:
    return get_or_not_found(Competition, competition_id, _l("No such competition."))


def get_category(category_id: int) -> Category:
    return get_or_not_found(Category, category_id, _l("No such category."))


def get_entry(entry_id: int) -> Entry:
    return get_or_not_found(Entry, entry_id, _l("No such entrant."))


# -- who may do it -----------------------------------------------------------------------------
def can_run(user: User | None, competition: Competition) -> bool:
    return organises(user, competition.department_id)


def require_run(user: User, competition: Competition) -> None:
    if not can_run(user, competition):
        raise PermissionDenied(_l("Only organisers of %(dept)s can do this.", dept=competition.department.name))


def is_judge(user: User | None, category: Category) -> bool:
    return bool(user and getattr(user, "id", None) and any(j.id == user.id for j in category.judges))


def is_panel(user: User | None, category: Category) -> bool:
    """Judges of the category and its chief judge."""
    return is_judge(user, category) or bool(user and category.chief_judge_id == getattr(user, "id", None))


def require_panel(user: User, category: Category) -> None:
    if not is_panel(user, category):
        raise PermissionDenied(_l("You are not a judge of this category."))


def can_read_scores(user: User | None, category: Category) -> bool:
    """Scores, an entrant's sheet and the live results: organisers of the competition and the panel."""
    return can_run(user, category.competition) or is_panel(user, category)


def require_read_scores(user: User | None, category: Category) -> None:
    if not can_read_scores(user, category):
        raise PermissionDenied(_l("You do not have permission to open this page."))


def is_public(user: User | None, competition: Competition) -> bool:
    """A draft is seen only by those who run it; from its opening on, by everyone."""
    return competition.status != CompetitionStatus.DRAFT.value or can_run(user, competition)


def require_public(user: User | None, competition: Competition) -> None:
    """A draft one may not see is, for them, not there."""
    if not is_public(user, competition):
        raise NotFound(_l("The page you are looking for does not exist."))
