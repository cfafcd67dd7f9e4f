"""A competition's life: created as a draft, its award rules, then open for entries → entries
closed (and reopened) → results published. Every change of status goes through
`Competition.transition`, which allows only the moves in `models.TRANSITIONS`; publishing is
`publication.publish_results`.
`lock_objects(competition, refresh=["status"])` (app.locking) serialises scoring, confirmation
and publication of one competition."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.competitions.access import require_run
from app.competitions.models import DEFAULT_AWARD_RULES, Competition, CompetitionStatus, Level
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.extensions import db
from app.lifecycle import services as lifecycle

DRAFT, OPEN = CompetitionStatus.DRAFT.value, CompetitionStatus.OPEN.value
BY_ORGANISERS = {OPEN, CompetitionStatus.CLOSED.value}  # the moves of `set_status`; publishing is not one


# -- lists -------------------------------------------------------------------------------------
def competitions_for(user: User) -> list[Competition]:
    # the console's list names each one's department and categories
    query = (sa.select(Competition).order_by(Competition.year.desc(), Competition.id.desc())
             .options(joinedload(Competition.department), selectinload(Competition.categories)))
    if not user.is_admin:
        query = query.where(Competition.department_id.in_(user.department_ids or [-1]))
    return list(db.session.scalars(query))


def public_competitions() -> list[Competition]:
    return list(db.session.scalars(sa.select(Competition).where(Competition.status != DRAFT)
                                   .order_by(Competition.year.desc(), Competition.id.desc())))


# -- actions -----------------------------------------------------------------------------------
def check_new_competition(actor: User, model, *, name: str, year: int, department_id: int | None,
                          errors: dict) -> str:
    """A new competition's name (trimmed) once its name, year and department are right: a skills
    competition and a pitch competition (`model`) are named once a year, by their own departments."""
    if not actor.is_staff:
        raise PermissionDenied()
    name = (name or "").strip()
    if not name or len(name) > 160:
        errors["name"] = _l("Please enter a name.")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _l("The year is a number such as 2026.")
    if not errors and db.session.scalar(sa.select(model.id).where(model.name == name, model.year == year)):
        errors["name"] = _l("A competition of this name already exists for that year.")
    if errors:
        raise InvalidInput(fields=errors)
    if department_id is None or (not actor.is_admin and department_id not in actor.department_ids):
        raise InvalidInput(fields={"department_id": _l("You can only create events for your own departments.")})
    return name


def create_competition(actor: User, *, name: str, year: int, level: str, department_id: int,
                       description: str = "") -> Competition:
    extra = {} if level in {lv.value for lv in Level} else {"level": _l("Choose district or city level.")}
    name = check_new_competition(actor, Competition, name=name, year=year, department_id=department_id,
                                 errors=extra)
    competition = Competition(name=name, year=year, level=level, department_id=department_id,
                              description=description or "", award_rules=dict(DEFAULT_AWARD_RULES))
    db.session.add(competition)
    db.session.flush()
    audit.record(actor, "competition.create", competition, name=name, year=year)
    return competition


def set_award_rules(actor: User, competition: Competition, *, mode: str, first, second, third,
                    merit_min_percent) -> Competition:
    require_run(actor, competition)
    if competition.is_published:
        raise Conflict(_l("The results are published; the award rules are fixed."), code="results_published")
    errors = {}
    if mode not in ("share", "count"):
        errors["mode"] = _l("Choose shares or numbers of places.")
    values = {}
    for key, raw in (("first", first), ("second", second), ("third", third)):
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, TypeError):
            errors[key] = _l("Please enter a number.")
            continue
        if mode == "share" and not Decimal(0) <= value <= Decimal(100):
            errors[key] = _l("A share is a percentage from 0 to 100.")
        elif mode == "count" and (value < 0 or value != value.to_integral_value()):
            errors[key] = _l("A number of places is a whole number of at least 0.")
        values[key] = value
    if mode == "share" and len(values) == 3 and sum(values.values()) > 100:
        errors["third"] = _l("The shares add up to more than 100 percent.")
    try:
        merit = Decimal(str(merit_min_percent))
        if not Decimal(0) <= merit <= Decimal(100):
            raise InvalidOperation
    except (InvalidOperation, TypeError):
        errors["merit_min_percent"] = _l("A share is a percentage from 0 to 100.")
    if errors:
        raise InvalidInput(fields=errors)
    if mode == "share":
        rules = {k: float(v / 100) for k, v in values.items()}
    else:
        rules = {k: int(v) for k, v in values.items()}
    competition.award_rules = {"mode": mode, **rules, "merit_min_percent": float(merit)}
    audit.record(actor, "competition.award_rules", competition, **competition.award_rules)
    return competition


def set_status(actor: User, competition: Competition, status: str) -> Competition:
    """Open (publishes the categories' events: tickets and check-in), close, reopen. Results are
    published by `publish_results` only."""
    require_run(actor, competition)
    if status not in BY_ORGANISERS or not competition.can_become(status):
        raise competition.bad_transition(status)
    if status == OPEN:
        if not competition.categories:
            raise Conflict(_l("Add at least one category before opening the competition."), code="no_categories")
        for category in competition.categories:
            lifecycle.publish_event(actor, category.event)
    competition.transition(status)
    audit.record(actor, "competition.status", competition, status=status)
    return competition
