"""Entering a pitch competition: a founders' team with its company (a registered one, checked by
its unified social credit code and linked to the registry, or one to be founded under a planned
name), the lead's returnee status checked against the competition's eligibility rules (every
failing reason listed), a business plan and a pitch deck kept as a private file. The checks and
the private-file storage are the camp applications' (app.cohorts.selection.pitch_decks,
app.organisations.uscc); the place is the lead's registration of the competition's entry event,
pending the organisers' approval."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.accounts.models import User
from app.audit import services as audit
from app import private_files
from app.cohorts.selection.pitch_decks import read_pitch_deck, store_pitch_deck
from app.errors import InvalidInput
from app.extensions import db
from app.locking import lock_objects
from app.organisations.linking import resolve_id
from app.organisations.uscc import normalise_uscc, validate_uscc
from app.pitch.access import require_run
from app.pitch.models import Degree, PitchCompetition, PitchEntry, PitchMember, PitchStatus
from app.registrations import services as registrations
from app.registrations.models import Registration, RegStatus
from app.timeutil import local_today

MAX_MEMBERS = 9
BUSINESS_PLAN_MIN = 20


def eligibility_problems(competition: PitchCompetition, *, country: str, degree: str,
                         return_year: int | None) -> dict:
    """Every reason the lead is not eligible, keyed by field (empty: eligible)."""
    rules = competition.eligibility or {}
    problems: dict = {}
    if not rules.get("returnee"):
        return problems
    if not country:
        problems["country"] = _l("Enter the country or region where you studied.")
    degrees = rules.get("degrees") or []
    if degree not in {d.value for d in Degree}:
        problems["degree"] = _l("Choose the degree you earned abroad.")
    elif degrees and degree not in degrees:
        problems["degree"] = _l("This competition accepts these degrees: %(list)s.",
                                list="、".join(str(Degree(d).label) for d in degrees))
    this_year = local_today().year
    if not isinstance(return_year, int) or not 1950 <= return_year <= this_year:
        problems["return_year"] = _l("Enter the year you returned to China.")
    elif rules.get("max_years_since_return") is not None and this_year - return_year > rules["max_years_since_return"]:
        problems["return_year"] = _l("Returned in %(year)s: at most %(n)s years since return are accepted.",
                                     year=return_year, n=rules["max_years_since_return"])
    return problems


def _members(raw: list[dict], errors: dict) -> list[PitchMember]:
    rows = []
    members = [m for m in (raw or []) if any(str(v or "").strip() for v in m.values())]
    if len(members) > MAX_MEMBERS:
        errors["members"] = _l("A team has at most %(n)s members besides its lead.", n=MAX_MEMBERS)
    for i, member in enumerate(members[:MAX_MEMBERS]):
        name = str(member.get("name") or "").strip()
        employer = str(member.get("employer") or "").strip()
        if not name or len(name) > 60:
            errors[f"members.{i}.name"] = _l("Member %(n)s: please enter the name.", n=i + 2)
        if len(employer) > 120:
            errors[f"members.{i}.employer"] = _l("At most 120 characters.")
        rows.append(PitchMember(position=i, name=name[:60], employer=employer[:120],
                                organisation_id=resolve_id(employer)))
    return rows


def apply(user: User, competition: PitchCompetition, *, project: str, company_name: str, uscc: str = "",
          to_be_founded: bool = False, employer: str = "", country: str = "", degree: str = "",
          return_year: int | None = None, business_plan: str = "", members: list[dict] = (),
          deck=None) -> PitchEntry:
    """Enter the competition as a team's lead; refused with every problem at once."""
    if competition.status != PitchStatus.OPEN.value:
        raise registrations.RegistrationClosed(_l("%(name)s is not open for entries.", name=competition.name))
    existing = db.session.scalar(sa.select(PitchEntry).where(PitchEntry.competition_id == competition.id,
                                                             PitchEntry.user_id == user.id))
    if existing is not None and existing.registration.is_active:
        raise registrations.AlreadyRegistered(_l("You have already entered %(name)s.", name=competition.name))
    errors: dict = {}
    project = (project or "").strip()
    if not project or len(project) > 120:
        errors["project"] = _l("Enter the project's name (at most 120 characters).")
    company_name = (company_name or "").strip()
    if len(company_name) < 2 or len(company_name) > 200:
        errors["company_name"] = (_l("Enter the planned company name.") if to_be_founded
                                  else _l("Enter the company's registered name."))
    code = None
    if not to_be_founded:
        code = normalise_uscc(uscc)
        if not code:
            errors["uscc"] = _l("Enter the company's unified social credit code.")
        elif not validate_uscc(code):
            errors["uscc"] = _l("This unified social credit code is not valid (18 characters; check the last one).")
    employer = (employer or "").strip()
    if len(employer) > 120:
        errors["employer"] = _l("At most 120 characters.")
    country = (country or "").strip()[:60]
    errors.update(eligibility_problems(competition, country=country, degree=degree, return_year=return_year))
    plan = (business_plan or "").strip()
    if len(plan) < BUSINESS_PLAN_MIN or len(plan) > 20000:
        errors["business_plan"] = _l("Describe the business plan in %(low)s to %(high)s characters.",
                                     low=BUSINESS_PLAN_MIN, high=20000)
    rows = _members(list(members or []), errors)
    data = read_pitch_deck(deck, errors)
    if data is None and "pitch_deck" not in errors:
        errors["pitch_deck"] = _l("Upload the pitch deck (PDF).")
    if errors:
        raise InvalidInput(fields=errors)
    registration = registrations.enter(user, competition.event)
    lock_objects(competition)  # entry numbers are handed out one at a time
    if existing is None:
        number = (db.session.scalar(sa.select(sa.func.max(PitchEntry.number))
                                    .where(PitchEntry.competition_id == competition.id)) or 0) + 1
        existing = PitchEntry(competition=competition, user=user, number=number)
        db.session.add(existing)
    existing.registration = registration
    existing.project, existing.company_name, existing.to_be_founded = project, company_name, bool(to_be_founded)
    existing.uscc = code
    existing.organisation_id = None if to_be_founded else resolve_id(company_name, code)
    existing.employer = employer or ("" if to_be_founded else company_name)
    existing.country, existing.degree, existing.return_year = country, degree or "", return_year
    existing.business_plan, existing.members = plan, rows
    existing.deck = store_pitch_deck(data)
    db.session.flush()
    return existing


def deck_name(entry: PitchEntry) -> str | None:
    """The stored name of an entry's pitch deck, or None (none uploaded, or its file is gone)."""
    return entry.deck if private_files.exists(entry.deck) else None


def entries(competition: PitchCompetition, *, status: str | None = None) -> list[PitchEntry]:
    # the entries page and export show the lead, the registration's status and the team members
    query = (sa.select(PitchEntry).join(Registration, Registration.id == PitchEntry.registration_id)
             .options(contains_eager(PitchEntry.registration), joinedload(PitchEntry.user),
                      selectinload(PitchEntry.members))
             .where(PitchEntry.competition_id == competition.id).order_by(PitchEntry.number))
    if status:
        query = query.where(Registration.status == status)
    return list(db.session.scalars(query))


def approved_entries(competition: PitchCompetition) -> list[PitchEntry]:
    return entries(competition, status=RegStatus.CONFIRMED.value)


def approve_entries(actor: User, competition: PitchCompetition, chosen: list[PitchEntry]) -> dict[str, int]:
    require_run(actor, competition)
    done = registrations.approve(actor, [e.registration for e in chosen if e.competition_id == competition.id])
    audit.record(actor, "pitch.approve", competition, entries=[e.id for e in chosen])
    return done


def decline_entries(actor: User, competition: PitchCompetition, chosen: list[PitchEntry], reason: str = "") -> int:
    """Decline entries still awaiting approval (the lead is told, with the reason)."""
    require_run(actor, competition)
    reason = (reason or "").strip()[:500]
    done = registrations.reject(actor, [e.registration for e in chosen if e.competition_id == competition.id], reason)
    audit.record(actor, "pitch.decline", competition, entries=[e.id for e in chosen])
    return done


def entries_of(user: User) -> list[PitchEntry]:
    return list(db.session.scalars(sa.select(PitchEntry).where(PitchEntry.user_id == user.id)
                                   .order_by(PitchEntry.id.desc()).options(joinedload(PitchEntry.competition))))
