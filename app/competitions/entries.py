"""Entering a category: eligibility (age on the competition day, occupation, team size) is
checked here, then `registrations.register` files a pending registration of the category's
event, which organisers approve or reject; the approved get its QR ticket and check in on the day."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.accounts.models import User
from app.competitions.access import require_run
from app.competitions.models import Category, Competition, CompetitionStatus, Entry, TeamMember
from app.errors import InvalidInput
from app.extensions import db
from app.organisations.linking import resolve_id
from app.registrations import services as registrations
from app.registrations.models import Registration, RegStatus
from app.timeutil import to_local, utcnow


def birth_date_from_id(id_number: str | None) -> date | None:
    """The birth date in an 18-digit resident ID number (positions 7–14)."""
    if not id_number or len(id_number) != 18 or not id_number[6:14].isdigit():
        return None
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def competition_day(category: Category) -> date:
    return to_local(category.event.starts_at).date()


def _check_person(category: Category, *, name: str, birth_date, occupation: str, prefix: str,
                  errors: dict) -> None:
    day = competition_day(category)
    if not isinstance(birth_date, date):
        errors[f"{prefix}birth_date"] = _l("Please enter the date of birth.")
    else:
        age = age_on(birth_date, day)
        too_young = category.min_age is not None and age < category.min_age
        too_old = category.max_age is not None and age > category.max_age
        if too_young or too_old:
            errors[f"{prefix}birth_date"] = _l(
                "%(name)s is %(age)s on %(day)s; %(category)s is open to ages %(low)s to %(high)s.",
                name=name, age=age, day=day.isoformat(), category=category.name,
                low=category.min_age if category.min_age is not None else "—",
                high=category.max_age if category.max_age is not None else "—")
    if category.occupations and occupation not in category.occupations:
        errors[f"{prefix}occupation"] = _l("%(category)s is open to these occupations: %(list)s.",
                                           category=category.name, list="、".join(category.occupations))
    elif not (occupation or "").strip():
        errors[f"{prefix}occupation"] = _l("Please enter the occupation.")


def register_entry(user: User, category: Category, *, employer: str, occupation: str, birth_date: date | None,
                   team_name: str = "", members: list[dict] = ()) -> Entry:
    """Enter `user` (a team's captain) in `category`: checks eligibility, then files the
    registration of the category's event, pending the organisers' approval.
    `members`: the other team members, [{"name", "employer", "occupation", "birth_date"}]."""
    competition = category.competition
    if competition.status != CompetitionStatus.OPEN.value:
        raise registrations.RegistrationClosed(_l("%(name)s is not open for entries.", name=competition.name))
    existing = db.session.scalar(sa.select(Entry).where(Entry.category_id == category.id, Entry.user_id == user.id))
    if existing is not None and existing.registration.is_active:
        raise registrations.AlreadyRegistered(_l("You have already entered %(category)s.", category=category.name))
    errors: dict = {}
    employer = (employer or "").strip()
    if not employer or len(employer) > 120:
        errors["employer"] = _l("Please enter your employer.")
    occupation = (occupation or "").strip()[:60]
    _check_person(category, name=user.name, birth_date=birth_date, occupation=occupation, prefix="", errors=errors)
    members = [m for m in (members or []) if any(str(v or "").strip() for v in m.values())]
    cleaned = []
    if category.team:
        team_name = (team_name or "").strip()
        if not team_name or len(team_name) > 80:
            errors["team_name"] = _l("Please name the team.")
        size = 1 + len(members)
        if not category.team_min <= size <= category.team_max:
            errors["members"] = _l("A team of %(category)s has %(low)s to %(high)s members including the captain; "
                                   "this one has %(n)s.", category=category.name, low=category.team_min,
                                   high=category.team_max, n=size)
        for i, member in enumerate(members):
            prefix = f"members.{i}."
            name = (member.get("name") or "").strip()
            if not name or len(name) > 60:
                errors[prefix + "name"] = _l("Member %(n)s: please enter the name.", n=i + 2)
            m_employer = (member.get("employer") or "").strip()
            if not m_employer or len(m_employer) > 120:
                errors[prefix + "employer"] = _l("Member %(n)s: please enter the employer.", n=i + 2)
            m_occupation = (member.get("occupation") or "").strip()[:60]
            _check_person(category, name=name or str(i + 2), birth_date=member.get("birth_date"),
                          occupation=m_occupation, prefix=prefix, errors=errors)
            cleaned.append(TeamMember(position=i, name=name[:60], employer=m_employer[:120], occupation=m_occupation,
                                      birth_date=member.get("birth_date"), organisation_id=resolve_id(m_employer)))
    elif members:
        errors["members"] = _l("%(category)s is an individual competition.", category=category.name)
    if errors:
        raise InvalidInput(fields=errors)
    registration = registrations.enter(user, category.event)
    if existing is None:
        existing = Entry(category=category, user=user, registration=registration)
        db.session.add(existing)
    existing.registration = registration
    existing.employer, existing.occupation, existing.birth_date = employer, occupation, birth_date
    existing.organisation_id = resolve_id(employer)
    existing.team_name = team_name if category.team else ""
    existing.members = cleaned
    existing.created_at = utcnow()
    db.session.flush()
    return existing


def entries(category: Category, *, status: str | None = None) -> list[Entry]:
    # every list of entrants shows the person, their registration's status and the team members
    query = (sa.select(Entry).join(Registration, Registration.id == Entry.registration_id)
             .options(contains_eager(Entry.registration), joinedload(Entry.user), selectinload(Entry.members))
             .where(Entry.category_id == category.id).order_by(Registration.queued_at, Entry.id))
    if status:
        query = query.where(Registration.status == status)
    return list(db.session.scalars(query))


def approved_entries(category: Category) -> list[Entry]:
    return entries(category, status=RegStatus.CONFIRMED.value)


def approve_entries(actor: User, category: Category, chosen: list[Entry]) -> dict[str, int]:
    require_run(actor, category.competition)
    return registrations.approve(actor, [e.registration for e in chosen if e.category_id == category.id])


def reject_entries(actor: User, category: Category, chosen: list[Entry], reason: str = "") -> int:
    require_run(actor, category.competition)
    return registrations.reject(actor, [e.registration for e in chosen if e.category_id == category.id], reason)


def entries_of(user: User) -> list[Entry]:
    return list(db.session.scalars(sa.select(Entry).join(Category).join(Competition)
                                   .where(Entry.user_id == user.id)
                                   .order_by(Competition.year.desc(), Entry.id.desc())
                                   # the entrant's page shows each one's competition, event and ticket
                                   .options(joinedload(Entry.category).joinedload(Category.competition),
                                            joinedload(Entry.category).joinedload(Category.event),
                                            joinedload(Entry.registration))))
