"""Skills competitions (以赛代训): the whole story.

1. An organiser of the competition's department creates a competition and its categories; each
   category is an event of kind `competition` (capacity = the category's, approval required).
2. Opening the competition publishes the categories' events. Entrants register (a captain for a
   team) with employer, occupation and birth date; eligibility (age range, occupations, team
   size) is checked here, then `registrations.register` files a pending registration.
   Organisers approve or reject through `registrations.approve/reject`; the approved get the
   event's QR ticket and check in on the day through the one `checkin.scan` service.
3. Judges (role judge) are assigned per category, with a chief judge. A judge may never score an
   entrant from their own employer (normalised employer names of the judge and of the entrant
   or any team member): `Conflict(code="conflict_of_interest")`.
4. Marking scheme: criteria → aspects. Measurement aspects: the judge picks a defined outcome.
   Judgement aspects: three judges give 0–3 each; mark = max × average ÷ 3 (two decimals, half
   up). Scores are append-only rows (history: who, when, old → new). Judgement scores of one
   aspect more than one point apart are flagged until re-scored within one point.
5. A second person — another judge of the category or its chief judge who entered none of the
   entrant's current scores — confirms the entrant's complete, unflagged scores. Any later
   change voids the confirmation. Only confirmed scores count.
6. Results (`results`): total of confirmed marks; ranking by the tie-break rule below; awards by
   share or by count; publication freezes them into `Result` rows, which entrants read and the
   certificates module takes through `awards(category)`.

Tie-break rule: higher total; then higher marks on the first criterion of the scheme; then the
earlier first check-in at the category's event. Entrants equal on all three share the rank
(standard competition ranking: 1, 2, 2, 4).

Awards: in "share" mode the cut-offs are cumulative shares of the N ranked entrants, each rounded
half up — 一等奖 ranks ≤ round(N × first) (at least 1 when N > 0), 二等奖 ranks ≤ round(N × (first
+ second)), 三等奖 ranks ≤ round(N × (first + second + third)); in "count" mode they are fixed
numbers of places. Awards go by rank, so entrants sharing a rank straddling a cut-off all get the
better award. 优胜奖: the rest whose total reached `merit_min_percent` of the category's maximum.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User, organises
from app.audit import services as audit
from app.competitions.models import (
    DEFAULT_AWARD_RULES,
    JUDGEMENT_SCALE,
    JUDGES_PER_JUDGEMENT,
    Aspect,
    AspectKind,
    Award,
    Category,
    Competition,
    CompetitionStatus,
    Confirmation,
    Criterion,
    Entry,
    JudgeAssignment,
    Level,
    Result,
    Score,
    TeamMember,
    category_judges,
)
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.events import services as events
from app.events.models import EventKind
from app.extensions import db
from app.notifications.services import notify
from app.numbers import round_score
from app.registrations import services as registrations
from app.registrations.models import Registration, RegStatus
from app.timeutil import to_local, utcnow

CENT = Decimal("0.01")
MAX_TEAM = 10


class ConflictOfInterest(Conflict):
    code = "conflict_of_interest"
    default_message = _l("A judge may not score an entrant from their own employer.")


def q2(value: Decimal) -> Decimal:
    return round_score(value)  # the one rounding rule of scores (app.numbers)


# -- permissions ------------------------------------------------------------------------------
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


def competitions_for(user: User) -> list[Competition]:
    query = sa.select(Competition).order_by(Competition.year.desc(), Competition.id.desc())
    if not user.is_admin:
        query = query.where(Competition.department_id.in_(user.department_ids or [-1]))
    return list(db.session.scalars(query))


def judged_by(user: User) -> list[Category]:
    """The categories a judge sits on (or chairs)."""
    judges = sa.exists().where(category_judges.c.category_id == Category.id, category_judges.c.user_id == user.id)
    return list(db.session.scalars(sa.select(Category).join(Competition)
                                   .where(sa.or_(judges, Category.chief_judge_id == user.id))
                                   .order_by(Competition.year.desc(), Category.id)))


def get_competition(competition_id: int) -> Competition:
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise NotFound(_l("No such competition."))
    return competition


def get_category(category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound(_l("No such category."))
    return category


def get_entry(entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id)
    if entry is None:
        raise NotFound(_l("No such entrant."))
    return entry


def public_competitions() -> list[Competition]:
    return list(db.session.scalars(sa.select(Competition).where(Competition.status != CompetitionStatus.DRAFT.value)
                                   .order_by(Competition.year.desc(), Competition.id.desc())))


def _lock(competition: Competition) -> None:
    """Serialise scoring, confirmation and publication of one competition."""
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.refresh(competition, ["status"], with_for_update={"key_share": True})
    else:
        db.session.execute(sa.text("UPDATE competitions SET id = id WHERE id = :id"), {"id": competition.id})
        db.session.refresh(competition, ["status"])


# -- competitions -----------------------------------------------------------------------------
def create_competition(actor: User, *, name: str, year: int, level: str, department_id: int,
                       description: str = "") -> Competition:
    if not actor.is_staff:
        raise PermissionDenied()
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > 160:
        errors["name"] = _l("Please enter a name.")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _l("The year is a number such as 2026.")
    if level not in {lv.value for lv in Level}:
        errors["level"] = _l("Choose district or city level.")
    if not errors and db.session.scalar(sa.select(Competition.id).where(Competition.name == name,
                                                                        Competition.year == year)):
        errors["name"] = _l("A competition of this name already exists for that year.")
    if errors:
        raise InvalidInput(fields=errors)
    if department_id is None or (not actor.is_admin and department_id not in actor.department_ids):
        raise InvalidInput(fields={"department_id": _l("You can only create events for your own departments.")})
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


TRANSITIONS = {
    CompetitionStatus.DRAFT.value: {CompetitionStatus.OPEN.value},
    CompetitionStatus.OPEN.value: {CompetitionStatus.CLOSED.value},
    CompetitionStatus.CLOSED.value: {CompetitionStatus.OPEN.value},
    CompetitionStatus.PUBLISHED.value: set(),
}


def set_status(actor: User, competition: Competition, status: str) -> Competition:
    """Open (publishes the categories' events: tickets and check-in), close, reopen. Results are
    published by `publish_results` only."""
    require_run(actor, competition)
    if status not in TRANSITIONS.get(competition.status, set()):
        raise Conflict(_l("A competition that is “%(now)s” cannot become “%(then)s”.",
                          now=competition.status_enum.label, then=CompetitionStatus(status).label
                          if status in {s.value for s in CompetitionStatus} else status), code="bad_transition")
    if status == CompetitionStatus.OPEN.value:
        if not competition.categories:
            raise Conflict(_l("Add at least one category before opening the competition."), code="no_categories")
        for category in competition.categories:
            events.publish_event(actor, category.event)
    competition.status = status
    audit.record(actor, "competition.status", competition, status=status)
    return competition


# -- categories -------------------------------------------------------------------------------
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
                ends_at=ends_at, capacity=capacity, requires_approval=True,
                registration_closes_at=registration_closes_at, description=description or "")
    if category is None:
        event = events.create_event(actor, **data)
        if competition.status in (CompetitionStatus.OPEN.value, CompetitionStatus.CLOSED.value):
            events.publish_event(actor, event)
        category = Category(competition=competition, event=event)
        db.session.add(category)
    else:
        if category.event.capacity != capacity:
            registrations.set_capacity(actor, category.event, capacity)
        data.pop("capacity")
        events.update_event(actor, category.event, **data)
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
    if chief is None or chief.id != category.chief_judge_id:
        category.chief_judge_employer = chief.employer if chief else None
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
        assignment.employer = employer
    if is_chief:
        category.chief_judge_employer = employer
    audit.record(actor, "competition.judge_employer", category, judge=judge_id, before=before, after=employer)
    db.session.flush()
    return employer


# -- entrants ---------------------------------------------------------------------------------
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
                                      birth_date=member.get("birth_date")))
    elif members:
        errors["members"] = _l("%(category)s is an individual competition.", category=category.name)
    if errors:
        raise InvalidInput(fields=errors)
    registration = registrations.register(user, category.event, via_competition=True)
    if existing is None:
        existing = Entry(category=category, user=user, registration=registration)
        db.session.add(existing)
    existing.registration = registration
    existing.employer, existing.occupation, existing.birth_date = employer, occupation, birth_date
    existing.team_name = team_name if category.team else ""
    existing.members = cleaned
    existing.created_at = utcnow()
    db.session.flush()
    return existing


def entries(category: Category, *, status: str | None = None) -> list[Entry]:
    query = (sa.select(Entry).join(Registration, Registration.id == Entry.registration_id)
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
                                   .order_by(Competition.year.desc(), Entry.id.desc())))


def set_recommended(actor: User, entry: Entry, recommended: bool) -> Entry:
    """Recommend a prize winner of published results to the city-level competition."""
    require_run(actor, entry.category.competition)
    result = result_of(entry)
    if recommended and (result is None or result.award not in (Award.FIRST.value, Award.SECOND.value,
                                                                   Award.THIRD.value)):
        raise Conflict(_l("Only prize winners of published results can be recommended."), code="not_a_winner")
    entry.recommended = bool(recommended)
    audit.record(actor, "competition.recommend", entry, recommended=bool(recommended))
    return entry


# -- conflicts of interest --------------------------------------------------------------------
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司", "coltd", "ltd", "inc", "co")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")


def normalise_employer(name: str | None) -> str:
    """Compare employers, not spellings: full-width forms, spaces, punctuation, bracketed
    places (（上海）) and company-form suffixes (有限公司, Co., Ltd.) do not count."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = _BRACKETED.sub("", text)
    text = "".join(ch for ch in text if ch.isalnum())
    changed = True
    while changed and text:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return text


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


# -- marking scheme ---------------------------------------------------------------------------
def _has_scores(category: Category) -> bool:
    return bool(db.session.scalar(sa.select(sa.exists().where(
        Score.entry_id == Entry.id, Entry.category_id == category.id))))


def require_scheme_editable(actor: User, category: Category) -> None:
    require_run(actor, category.competition)
    if _has_scores(category):
        raise Conflict(_l("Scoring has begun; the marking scheme can no longer change."), code="scheme_in_use")


def parse_mark(raw, *, allow_zero: bool = True) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, TypeError):
        raise ValueError(_l("Please enter a number.")) from None
    if not value.is_finite() or value < 0 or (not allow_zero and value == 0) or value > 1000:
        raise ValueError(_l("Marks are numbers from 0 to 1000."))
    if value != value.quantize(CENT):
        raise ValueError(_l("Marks have at most two decimals."))
    return value.quantize(CENT)


def parse_outcomes(text: str) -> list[dict]:
    """"完全正确=3; 部分正确=1.5; 错误=0" (or one per line, `|` instead of `=`)."""
    outcomes = []
    for part in re.split(r"[\n;；]+", text or ""):
        part = part.strip()
        if not part:
            continue
        label, sep, mark = part.rpartition("=") if "=" in part else part.rpartition("|")
        if not sep or not label.strip():
            raise ValueError(_l("Write each outcome as label=marks, for example 完全正确=3."))
        outcomes.append({"label": label.strip()[:60], "mark": str(parse_mark(mark))})
    return outcomes


def outcomes_text(aspect: Aspect) -> str:
    return "; ".join(f"{o['label']}={_plain(Decimal(o['mark']))}" for o in aspect.outcomes or [])


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def check_aspect(kind: str, max_mark: Decimal, outcomes: list[dict]) -> str | None:
    """The message for an inconsistent aspect, or None."""
    if kind not in {k.value for k in AspectKind}:
        return _l("The type is measurement or judgement.")
    if max_mark <= 0:
        return _l("The maximum mark must be above 0.")
    if kind == AspectKind.MEASUREMENT.value:
        labels = [o["label"] for o in outcomes]
        if len(outcomes) < 2:
            return _l("A measurement aspect needs at least two outcomes.")
        if len(set(labels)) != len(labels):
            return _l("Each outcome needs its own label.")
        marks = [Decimal(o["mark"]) for o in outcomes]
        if any(m > max_mark for m in marks):
            return _l("No outcome may earn more than the maximum mark.")
        if max(marks) != max_mark:
            return _l("The best outcome must earn the maximum mark.")
    elif outcomes:
        return _l("A judgement aspect has no outcomes: three judges give 0–3.")
    return None


def add_criterion(actor: User, category: Category, *, name: str) -> Criterion:
    require_scheme_editable(actor, category)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise InvalidInput(fields={"name": _l("Please enter a name.")})
    criterion = Criterion(category=category, name=name, position=len(category.criteria))
    db.session.add(criterion)
    db.session.flush()
    return criterion


def add_aspect(actor: User, criterion: Criterion, *, description: str, kind: str, max_mark,
               outcomes: str = "") -> Aspect:
    require_scheme_editable(actor, criterion.category)
    errors = {}
    description = (description or "").strip()
    if not description or len(description) > 300:
        errors["description"] = _l("Please describe the aspect.")
    try:
        mark = parse_mark(max_mark, allow_zero=False)
    except ValueError as exc:
        errors["max_mark"] = exc.args[0]
        mark = None
    try:
        parsed = parse_outcomes(outcomes) if kind == AspectKind.MEASUREMENT.value else []
    except ValueError as exc:
        errors["outcomes"] = exc.args[0]
        parsed = None
    if not errors:
        problem = check_aspect(kind, mark, parsed)
        if problem:
            errors["outcomes" if kind == AspectKind.MEASUREMENT.value else "kind"] = problem
    if errors:
        raise InvalidInput(fields=errors)
    aspect = Aspect(criterion=criterion, description=description, kind=kind, max_mark=mark, outcomes=parsed,
                    position=len(criterion.aspects))
    db.session.add(aspect)
    db.session.flush()
    return aspect


def delete_aspect(actor: User, aspect: Aspect) -> None:
    require_scheme_editable(actor, aspect.criterion.category)
    db.session.delete(aspect)


def delete_criterion(actor: User, criterion: Criterion) -> None:
    require_scheme_editable(actor, criterion.category)
    db.session.delete(criterion)


def replace_scheme(actor: User, category: Category, rows: list[dict]) -> list[Criterion]:
    """Replace the whole scheme with `rows` ({criterion, description, kind, max_mark, outcomes},
    already checked); used by the XLSX import."""
    require_scheme_editable(actor, category)
    for criterion in list(category.criteria):
        db.session.delete(criterion)
    db.session.flush()
    by_name: dict[str, Criterion] = {}
    for row in rows:
        criterion = by_name.get(row["criterion"])
        if criterion is None:
            criterion = Criterion(category=category, name=row["criterion"], position=len(by_name))
            db.session.add(criterion)
            by_name[row["criterion"]] = criterion
        criterion.aspects.append(Aspect(description=row["description"], kind=row["kind"], max_mark=row["max_mark"],
                                        outcomes=row["outcomes"], position=len(criterion.aspects)))
    db.session.flush()
    db.session.expire(category, ["criteria"])
    audit.record(actor, "competition.scheme_import", category, aspects=len(rows))
    return list(category.criteria)


def aspects(category: Category) -> list[Aspect]:
    return [a for c in category.criteria for a in c.aspects]


# -- scoring ----------------------------------------------------------------------------------
@dataclass
class AspectState:
    aspect: Aspect
    scores: list[Score] = field(default_factory=list)  # current: one per judge, or the measurement
    mark: Decimal | None = None
    flagged: bool = False

    @property
    def complete(self) -> bool:
        return self.mark is not None

    @property
    def spread(self) -> tuple[Decimal, Decimal] | None:
        values = [s.value for s in self.scores]
        return (min(values), max(values)) if values else None

    def by_judge(self, judge_id: int) -> Score | None:
        return next((s for s in self.scores if s.judge_id == judge_id), None)


@dataclass
class Sheet:
    """Where an entrant's scores stand."""

    entry: Entry
    states: list[AspectState]
    last_score_id: int | None
    confirmation: Confirmation | None

    @property
    def complete(self) -> bool:
        return bool(self.states) and all(s.complete for s in self.states)

    @property
    def flagged(self) -> list[AspectState]:
        return [s for s in self.states if s.flagged]

    @property
    def confirmed(self) -> bool:
        return (self.confirmation is not None and self.last_score_id is not None
                and self.confirmation.last_score_id == self.last_score_id)

    @property
    def enterers(self) -> set[int]:
        return {score.entered_by_id for s in self.states for score in s.scores}

    @property
    def total(self) -> Decimal:
        return sum((s.mark for s in self.states if s.mark is not None), Decimal("0.00"))

    def by_criterion(self) -> list[tuple[Criterion, Decimal, Decimal]]:
        out: dict[int, list] = {}
        for s in self.states:
            criterion = s.aspect.criterion
            row = out.setdefault(criterion.id, [criterion, Decimal("0.00"), Decimal("0.00")])
            row[1] += s.mark or 0
            row[2] += s.aspect.max_mark
        return [tuple(r) for r in out.values()]

    @property
    def scored(self) -> bool:
        return self.last_score_id is not None


def judgement_mark(max_mark: Decimal, values: list[Decimal]) -> Decimal:
    """max × average ÷ 3, two decimals rounded half up."""
    average = sum(values, Decimal(0)) / len(values)
    return q2(Decimal(max_mark) * average / JUDGEMENT_SCALE)


def sheet(entry: Entry, *, rows: list[Score] | None = None) -> Sheet:
    if rows is None:
        rows = list(db.session.scalars(sa.select(Score).where(Score.entry_id == entry.id).order_by(Score.id)))
    latest: dict[tuple, Score] = {}
    for row in rows:
        aspect = row.aspect
        latest[(row.aspect_id, row.judge_id if aspect.is_judgement else None)] = row
    states = []
    for aspect in aspects(entry.category):
        if aspect.is_judgement:
            scores = sorted((s for (aid, _j), s in latest.items() if aid == aspect.id), key=lambda s: s.judge_id)
            state = AspectState(aspect, scores)
            values = [s.value for s in scores]
            state.flagged = len(values) >= 2 and max(values) - min(values) > 1
            if len(values) >= JUDGES_PER_JUDGEMENT:
                state.mark = judgement_mark(aspect.max_mark, values)
        else:
            score = latest.get((aspect.id, None))
            state = AspectState(aspect, [score] if score else [])
            state.mark = q2(score.value) if score else None
        states.append(state)
    confirmation = db.session.scalar(sa.select(Confirmation).where(Confirmation.entry_id == entry.id)
                                     .order_by(Confirmation.id.desc()).limit(1))
    return Sheet(entry, states, rows[-1].id if rows else None, confirmation)


def scoring_closed(category: Category) -> Conflict | None:
    """Why scores of this category cannot change now, or None: the judge's page shows the same
    reason read-only that a save would be refused with."""
    competition = category.competition
    if competition.is_published:
        return Conflict(_l("The results are published; scores can no longer change."), code="results_published")
    if competition.status == CompetitionStatus.DRAFT.value:
        return Conflict(_l("The competition has not opened yet."), code="not_open")
    return None


def _require_scoring_open(category: Category) -> None:
    _lock(category.competition)
    closed = scoring_closed(category)
    if closed is not None:
        raise closed


def enter_scores(judge: User, entry: Entry, values: dict[int, str]) -> list[Score]:
    """A judge's scores for one entrant: {aspect id: outcome label (measurement) or 0–3
    (judgement)}; empty values are left as they are. Every change is a new row (old → new)."""
    category = entry.category
    if not is_judge(judge, category):
        raise PermissionDenied(_l("You are not a judge of this category."))
    require_no_conflict(judge, entry)
    if entry.registration.status != RegStatus.CONFIRMED.value:
        raise Conflict(_l("Only approved entrants are scored."), code="not_approved")
    _require_scoring_open(category)
    current = sheet(entry)
    by_id = {s.aspect.id: s for s in current.states}
    errors, changes = {}, []
    for key, raw in (values or {}).items():
        state = by_id.get(int(key)) if str(key).isdigit() else None
        if state is None:
            errors[f"a{key}"] = _l("No such aspect in this marking scheme.")
            continue
        raw = (raw or "").strip() if isinstance(raw, str) else raw
        if raw in (None, ""):
            continue
        aspect = state.aspect
        if aspect.is_judgement:
            if str(raw) not in {str(n) for n in range(JUDGEMENT_SCALE + 1)}:
                errors[f"a{aspect.id}"] = _l("A judgement score is 0, 1, 2 or 3.")
                continue
            value, outcome = Decimal(str(raw)), ""
            previous = state.by_judge(judge.id)
            others = [s for s in state.scores if s.judge_id != judge.id]
            if previous is None and len(others) >= JUDGES_PER_JUDGEMENT:
                errors[f"a{aspect.id}"] = _l("Three judges have already scored this aspect.")
                continue
        else:
            match = next((o for o in aspect.outcomes if o["label"] == raw), None)
            if match is None:
                errors[f"a{aspect.id}"] = _l("Choose one of the defined outcomes.")
                continue
            value, outcome = Decimal(match["mark"]), match["label"]
            previous = state.scores[0] if state.scores else None
        if previous is not None and previous.value == value and previous.outcome == outcome:
            continue
        changes.append(Score(entry_id=entry.id, aspect_id=aspect.id, judge_id=judge.id, value=value, outcome=outcome,
                             old_value=previous.value if previous else None, entered_by_id=judge.id))
    if errors:
        raise InvalidInput(fields=errors)
    db.session.add_all(changes)
    db.session.flush()
    return changes


def history(entry: Entry) -> list[Score]:
    return list(db.session.scalars(sa.select(Score).where(Score.entry_id == entry.id).order_by(Score.id.desc())))


def confirm(actor: User, entry: Entry) -> Confirmation:
    """A second person confirms the entrant's scores: a judge of the category or its chief judge,
    who entered none of them and has no conflict of interest; all aspects scored, none flagged."""
    category = entry.category
    require_panel(actor, category)
    require_no_conflict(actor, entry)
    _require_scoring_open(category)
    current = sheet(entry)
    if actor.id in current.enterers:
        raise Conflict(_l("You entered some of these scores: another judge or the chief judge confirms them."),
                       code="own_scores")
    if not current.complete:
        raise Conflict(_l("Some aspects are not fully scored yet."), code="incomplete")
    if current.flagged:
        raise Conflict(_l("Scores of %(n)s aspects differ by more than one point: discuss and re-score first.",
                          n=len(current.flagged)), code="flagged")
    if current.confirmed:
        return current.confirmation
    confirmation = Confirmation(entry_id=entry.id, last_score_id=current.last_score_id, confirmed_by_id=actor.id)
    db.session.add(confirmation)
    db.session.flush()
    return confirmation


def category_sheets(category: Category) -> list[Sheet]:
    people = approved_entries(category)
    rows = list(db.session.scalars(sa.select(Score).join(Entry).where(Entry.category_id == category.id)
                                   .order_by(Score.id)))
    grouped: dict[int, list[Score]] = {}
    for row in rows:
        grouped.setdefault(row.entry_id, []).append(row)
    return [sheet(e, rows=grouped.get(e.id, [])) for e in people]


# -- results ----------------------------------------------------------------------------------
@dataclass
class Standing:
    entry: Entry
    total: Decimal
    first_criterion: Decimal
    checked_in_at: datetime | None
    by_criterion: list[tuple[Criterion, Decimal, Decimal]]
    rank: int = 0
    award: str | None = None

    @property
    def award_label(self) -> str:
        return Award(self.award).label if self.award else ""


def first_check_ins(category: Category) -> dict[int, datetime]:
    """registration id → its first accepted entry scan at the category's event checkpoint."""
    from app.checkin.models import Checkpoint, Scan, ScanResult

    rows = db.session.execute(
        sa.select(Scan.registration_id, sa.func.min(Scan.scanned_at))
        .join(Checkpoint, Checkpoint.id == Scan.checkpoint_id)
        .where(Checkpoint.event_id == category.event_id, Checkpoint.session_id.is_(None),
               Scan.result == ScanResult.OK.value, Scan.direction == "in")
        .group_by(Scan.registration_id))
    from app.timeutil import UTCDateTime

    out = {}
    for registration_id, at in rows:
        if isinstance(at, str):  # SQLite's min() loses the column type
            at = UTCDateTime().process_result_value(datetime.fromisoformat(at), None)
        elif at is not None and at.tzinfo is None:
            at = UTCDateTime().process_result_value(at, None)
        out[registration_id] = at
    return out


def rank(standings: list[Standing]) -> list[Standing]:
    """Order by the tie-break rule and give ranks; entrants equal on every key share the rank."""
    never = datetime.max.replace(tzinfo=None)

    def key(s: Standing):
        at = s.checked_in_at.replace(tzinfo=None) if s.checked_in_at else never
        return (-s.total, -s.first_criterion, at)

    ordered = sorted(standings, key=lambda s: (key(s), s.entry.id))
    for i, s in enumerate(ordered):
        s.rank = ordered[i - 1].rank if i and key(ordered[i - 1]) == key(s) else i + 1
    return ordered


def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def award_cutoffs(rules: dict, n: int) -> tuple[int, int, int]:
    """The last rank of 一等奖, 二等奖 and 三等奖 for n ranked entrants (see the module notes)."""
    if n <= 0:
        return 0, 0, 0
    if rules.get("mode", "share") == "count":
        first, second, third = (int(rules.get(k, 0)) for k in ("first", "second", "third"))
        return first, first + second, first + second + third
    first, second, third = (Decimal(str(rules.get(k, 0))) for k in ("first", "second", "third"))
    c1 = _round_half_up(n * first)
    if first > 0:
        c1 = max(1, c1)
    c2 = max(c1, _round_half_up(n * (first + second)))
    c3 = max(c2, _round_half_up(n * (first + second + third)))
    return min(c1, n), min(c2, n), min(c3, n)


def allocate_awards(ordered: list[Standing], rules: dict, max_marks: Decimal) -> list[Standing]:
    c1, c2, c3 = award_cutoffs(rules, len(ordered))
    merit_min = Decimal(max_marks) * Decimal(str(rules.get("merit_min_percent", 60))) / 100
    for s in ordered:
        if s.rank <= c1:
            s.award = Award.FIRST.value
        elif s.rank <= c2:
            s.award = Award.SECOND.value
        elif s.rank <= c3:
            s.award = Award.THIRD.value
        elif s.total >= merit_min:
            s.award = Award.MERIT.value
        else:
            s.award = None
    return ordered


def results(category: Category, sheets: list[Sheet] | None = None) -> list[Standing]:
    """The live ranking of entrants whose scores are confirmed, with their awards."""
    sheets = category_sheets(category) if sheets is None else sheets
    check_ins = first_check_ins(category)
    standings = []
    for s in sheets:
        if not s.confirmed:
            continue
        parts = s.by_criterion()
        standings.append(Standing(s.entry, s.total, parts[0][1] if parts else Decimal(0),
                                  check_ins.get(s.entry.registration_id), parts))
    return allocate_awards(rank(standings), category.competition.award_rules or DEFAULT_AWARD_RULES,
                           category.max_marks)


def publish_results(actor: User, competition: Competition) -> list[Result]:
    """Freeze every category's ranking and awards into Result rows; scores stop changing. Refused
    while an entrant has scores that are not confirmed."""
    require_run(actor, competition)
    _lock(competition)
    if competition.status != CompetitionStatus.CLOSED.value:
        raise Conflict(_l("Close the entries before publishing the results."), code="not_closed")
    frozen = []
    for category in competition.categories:
        sheets = category_sheets(category)
        waiting = [s.entry.display_name for s in sheets if s.scored and not s.confirmed]
        if waiting:
            raise Conflict(_l("%(category)s: the scores of %(names)s are not confirmed yet.",
                              category=category.name, names="、".join(waiting[:5])), code="unconfirmed_scores")
        now = utcnow()
        for s in results(category, sheets):
            result = Result(category_id=category.id, entry_id=s.entry.id, rank=s.rank, total=s.total,
                            award=s.award, published_at=now,
                            by_criterion=[{"name": c.name, "marks": str(m), "max": str(mx)}
                                          for c, m, mx in s.by_criterion])
            db.session.add(result)
            frozen.append(result)
    competition.status = CompetitionStatus.PUBLISHED.value
    competition.published_at = utcnow()
    db.session.flush()
    audit.record(actor, "competition.publish", competition, results=len(frozen))
    for result in frozen:
        entry = result.entry
        notify(entry.user, "results_published", _l("Results published: %(competition)s", competition=competition.name),
               "results_published", registration=entry.registration, occasion=competition.name)
    return frozen


def published_results(category: Category) -> list[Result]:
    return list(db.session.scalars(sa.select(Result).where(Result.category_id == category.id)
                                   .order_by(Result.rank, Result.entry_id)))


def result_of(entry: Entry) -> Result | None:
    return db.session.scalar(sa.select(Result).where(Result.entry_id == entry.id))


def awards(category: Category) -> list[tuple[Entry, Award, int]]:
    """Published awards of a category, best first: (entry, award, rank). For the certificates
    module (获奖证书): the entry carries the person (`entry.user`), team and employer."""
    return [(r.entry, Award(r.award), r.rank) for r in published_results(category) if r.award]
