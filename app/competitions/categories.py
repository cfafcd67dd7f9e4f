"""A competition's categories (trades) and their judges. Each category is an event of kind
`competition` (capacity = the category's, approval required, so organisers approve each entry);
judges (role judge) sit on a category's panel with a chief judge."""
from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import Role, User, UserRole
from app.audit import services as audit
from app.competitions.access import require_run
from app.competitions.models import Category, Competition, CompetitionStatus, JudgeAssignment, category_judges
from app.errors import Conflict, InvalidInput
from app.events import services as events
from app.events.models import EventKind
from app.extensions import db
from app.lifecycle import services as lifecycle
from app.occasions import services as occasions
from app.organisations.linking import resolve_id

MAX_TEAM = 10


def parse_occupations(text: str) -> list[str]:
    items = re.split(r"[\n,，、;；]+", text or "")
    seen = []
    for item in (i.strip() for i in items):
        if item and item not in seen:
            seen.append(item[:60])
    return seen


def save_category(actor: User, competition: Competition, *, name: str, venue: str, starts_at: datetime,
                  ends_at: datetime, capacity: int, min_age: int | None = None, max_age: int | None = None,
                  occupations: list[str] = (), team: bool = False, team_min: int = 1, team_max: int = 1,
                  registration_closes_at: datetime | None = None, description: str = "",
                  category: Category | None = None) -> Category:
    """Create (or edit) a category and its event: kind competition, capacity = the category's,
    approval required so organisers approve each entry."""
    require_run(actor, competition)
    if competition.is_published:
        raise Conflict(_l("The results are published; the competition cannot change."), code="results_published")
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > 120:
        errors["name"] = _l("Please enter a name.")
    else:
        other = db.session.scalar(sa.select(Category.id).where(Category.competition_id == competition.id,
                                                               Category.name == name))
        if other and (category is None or other != category.id):
            errors["name"] = _l("This competition already has a category of that name.")
    if not isinstance(capacity, int) or not 1 <= capacity <= 10000:
        errors["capacity"] = _l("Capacity is a whole number from 1 to 10000.")
    for key, age in (("min_age", min_age), ("max_age", max_age)):
        if age is not None and (not isinstance(age, int) or not 14 <= age <= 100):
            errors[key] = _l("An age limit is a whole number from 14 to 100, or empty.")
    if min_age is not None and max_age is not None and "min_age" not in errors and max_age < min_age:
        errors["max_age"] = _l("The highest age must not be below the lowest.")
    if team:
        if not isinstance(team_min, int) or not isinstance(team_max, int) or not 2 <= team_min <= team_max <= MAX_TEAM:
            errors["team_max"] = _l("A team has from 2 to %(n)s members, the smallest size first.", n=MAX_TEAM)
    else:
        team_min = team_max = 1
    if errors:
        raise InvalidInput(fields=errors)
    data = dict(title=f"{competition.name} · {name}"[:200], kind=EventKind.COMPETITION.value,
                department_id=competition.department_id, venue=(venue or "").strip(), starts_at=starts_at,
                ends_at=ends_at, capacity=capacity, registration_closes_at=registration_closes_at,
                description=description or "")
    if category is None:
        event = occasions.open_occasion(
            actor, places=occasions.ENTRY, **data,
            publish=competition.status in (CompetitionStatus.OPEN.value, CompetitionStatus.CLOSED.value))
        category = Category(competition=competition, event=event)
        db.session.add(category)
    else:
        if category.event.capacity != capacity:
            lifecycle.set_capacity(actor, category.event, capacity)
        data.pop("capacity")
        events.update_event(actor, category.event, requires_approval=True, **data)
    category.name, category.min_age, category.max_age = name, min_age, max_age
    category.occupations = list(occupations or [])
    category.team, category.team_min, category.team_max = bool(team), team_min, team_max
    db.session.flush()
    audit.record(actor, "competition.category", category, name=name, capacity=capacity)
    return category


def set_judges(actor: User, category: Category, judges: list[User], chief: User | None = None) -> Category:
    require_run(actor, category.competition)
    not_judges = [u.name for u in list(judges) + ([chief] if chief else []) if not u.has_role(Role.JUDGE)]
    if not_judges:
        raise InvalidInput(fields={"judges": _l("Not judges: %(names)s.", names="、".join(not_judges))})
    # A judge who stays keeps the employer on their assignment; a new one brings their profile's.
    kept = {a.user_id: a for a in category.assignments}
    wanted = list(dict.fromkeys(judges))
    category.assignments = [kept.get(u.id) or JudgeAssignment(user_id=u.id, employer=u.employer) for u in wanted]
    for assignment in category.assignments:  # unlinked ones are looked up again: the registry may have it now
        if assignment.organisation_id is None:
            assignment.organisation_id = resolve_id(assignment.employer)
    if chief is None or chief.id != category.chief_judge_id:
        category.chief_judge_employer = chief.employer if chief else None
        category.chief_judge_organisation_id = resolve_id(category.chief_judge_employer)
    elif category.chief_judge_organisation_id is None:
        category.chief_judge_organisation_id = resolve_id(category.chief_judge_employer)
    category.chief_judge = chief
    db.session.flush()
    db.session.expire(category, ["judges"])
    audit.record(actor, "competition.judges", category, judges=[u.id for u in wanted],
                 chief=chief.id if chief else None,
                 employers={str(a.user_id): a.employer for a in category.assignments},
                 chief_employer=category.chief_judge_employer)
    return category


def panel(category: Category) -> list[tuple[User, str | None]]:
    """(judge, the employer they are checked against) for the judges and the chief judge."""
    rows = [(a.user, a.employer) for a in category.assignments]
    if category.chief_judge is not None and all(u.id != category.chief_judge_id for u, _e in rows):
        rows.append((category.chief_judge, category.chief_judge_employer))
    return rows


def judge_accounts() -> list[User]:
    """Everyone with the judge role, by name: whom an organiser can put on a panel."""
    return list(db.session.scalars(sa.select(User).join(UserRole).where(UserRole.role == Role.JUDGE.value)
                                   .order_by(User.name)))


def judged_by(user: User) -> list[Category]:
    """The categories a judge sits on (or chairs)."""
    judges = sa.exists().where(category_judges.c.category_id == Category.id, category_judges.c.user_id == user.id)
    return list(db.session.scalars(sa.select(Category).join(Competition)
                                   .where(sa.or_(judges, Category.chief_judge_id == user.id))
                                   .order_by(Competition.year.desc(), Category.id)
                                   # the judge's list shows each one's competition and dates
                                   .options(joinedload(Category.competition), joinedload(Category.event))))
