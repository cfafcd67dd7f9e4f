"""The people or occasions behind a figure of the dashboard or a report: a page of them, and how
many in all, for a target within the reader's scope — the figure that was clicked narrows it to a
year, a department or a programme, exactly as that figure was counted (app/plans/ledger/figures.py).

People are listed with their name, masked mobile, employer, when they were first counted (Shanghai
time) and the programmes they count through; every page of people shown leaves an audit row
("plan_drilldown", no personal data in it). Occasions are listed with their title, date,
department and how many people checked in. Scope is checked here, not in the view: a head sees
only targets of their departments, and only the facts of their departments.

A page costs a fixed number of queries whatever its size or the target's: the total, the page
(joined to the people or occasions it shows) and, for people, their programmes."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Department, User
from app.audit import services as audit
from app.checkin.models import Checkpoint, Scan, ScanResult
from app.errors import InvalidInput, PermissionDenied
from app.events.models import Event
from app.extensions import db
from app.organisations.employees import EmployerLink
from app.organisations.models import Organisation
from app.plans.ledger import counters, figures
from app.plans.ledger.figures import Period
from app.plans.models import Target, TargetPeriod
from app.plans.scope import Scope, scope_of
from app.privacy import mask_phone
from app.registrations.models import Registration
from app.timeutil import as_utc, to_local

PER_PAGE, MAX_PER_PAGE = 50, 200


class EnteredFigureHasNoList(InvalidInput):
    code = "plan_figure_entered"
    default_message = _l("This figure was entered by hand with its evidence; there is no list of records behind it.")


class YearOutsidePlan(InvalidInput):
    code = "plan_year_outside"
    default_message = _l("That year is not within the plan.")


@dataclass(frozen=True)
class Clicked:
    """The figure clicked: the whole target (nothing set), one year, one department, one programme."""
    year: int | None = None
    department_id: int | None = None
    programme: str | None = None


@dataclass(frozen=True)
class PersonRow:
    user_id: int
    name: str
    mobile: str  # masked
    employer: str
    first_at: datetime  # Shanghai time
    programmes: tuple[str, ...]


@dataclass(frozen=True)
class OccasionRow:
    subject: int  # the event's or the studio's id (the counter's subject)
    event_id: int | None
    title: str
    at: datetime  # Shanghai time
    department: str
    participants: int


@dataclass
class Page:
    unit: str  # counters.PEOPLE or counters.OCCASIONS
    rows: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def narrowed_scope(scope: Scope, target: Target, department_id: int | None) -> Scope:
    """The reader's scope, refused for a target none of whose departments they read, narrowed to
    one department when a by-department figure was clicked (refused outside their own)."""
    if not scope.sees_departments({d.id for d in target.departments}):
        raise PermissionDenied()
    if department_id is None:
        return scope
    if not scope.everything and department_id not in scope.department_ids:
        raise PermissionDenied()
    return Scope(frozenset({department_id}))


def window(target: Target, as_of: date, year: int | None) -> tuple[Period, Period | None]:
    """The facts' period, as the clicked figure counted them, and for a year of a whole-plan
    target the year its people were first counted in (figures.by_year)."""
    plan = target.plan
    if year is None:
        return figures.target_period(target, as_of).upto(as_of), None
    if year not in figures.plan_years(plan, target.years if target.period == TargetPeriod.YEAR.value else 1):
        raise YearOutsidePlan()
    if target.period == TargetPeriod.YEAR.value:
        return figures.year_period(plan, year, target.years).upto(as_of), None
    return figures.plan_period(plan).upto(as_of), figures.year_period(plan, year)


def _counter(target: Target) -> counters.Counter:
    if not target.computed:
        raise EnteredFigureHasNoList()
    return counters.get(target.rule.get("counter", ""))


def _page_numbers(page: int, per_page: int) -> tuple[int, int]:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(fields={"page": _l("That page does not exist.")})
    return page, per_page


def _firsts(target: Target, scope: Scope, period: Period, first_in: Period | None, programme: str | None):
    first = figures.firsts(target, scope, period, programme)
    if first_in is None:
        return first
    return (sa.select(first).where(first.c.first_at >= first_in.start, first.c.first_at < first_in.end)
            .subquery("firsts_in"))


def drilldown(actor: User, target: Target, *, as_of: date, clicked: Clicked = Clicked(), page: int = 1,
              per_page: int = PER_PAGE) -> Page:
    """The page of people or occasions behind the clicked figure (see the module's docstring)."""
    counter = _counter(target)
    page, per_page = _page_numbers(page, per_page)
    scope = narrowed_scope(scope_of(actor), target, clicked.department_id)
    period, first_in = window(target, as_of, clicked.year)
    if counter.unit == counters.PEOPLE:
        result = _people(target, scope, period, first_in, clicked.programme, page, per_page)
        audit.record(actor, "plan_drilldown", target, as_of=as_of.isoformat(), year=clicked.year,
                     department_id=clicked.department_id, programme=clicked.programme, page=page,
                     shown=len(result.rows), total=result.total)
        return result
    return _occasions(target, scope, period, first_in, clicked.programme, page, per_page)


def _people(target, scope, period, first_in, programme, page, per_page) -> Page:
    first = _firsts(target, scope, period, first_in, programme)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(first)) or 0
    rows = db.session.execute(
        sa.select(first.c.subject, first.c.first_at, User.name, User.mobile, User.employer, Organisation.name)
        .select_from(first)
        .join(User, User.id == first.c.subject)
        .outerjoin(EmployerLink, EmployerLink.user_id == User.id)
        .outerjoin(Organisation, Organisation.id == EmployerLink.organisation_id)
        .order_by(first.c.first_at, first.c.subject)
        .offset((page - 1) * per_page).limit(per_page)).all()
    programmes: dict[int, set[str]] = {}
    if rows:
        f = figures.facts(target, scope, period, programme)
        for subject, name in db.session.execute(
                sa.select(f.c.subject, f.c.programme).distinct().where(f.c.subject.in_([r[0] for r in rows]))):
            programmes.setdefault(subject, set()).add(name)
    out = [PersonRow(subject, name, mask_phone(mobile), organisation or employer or "", to_local(as_utc(at)),
                     tuple(sorted(programmes.get(subject, ()))))
           for subject, at, name, mobile, employer, organisation in rows]
    return Page(counters.PEOPLE, out, total, page, per_page)


def _occasions(target, scope, period, first_in, programme, page, per_page) -> Page:
    f = figures.facts(target, scope, period, programme)
    grouped = (sa.select(f.c.subject, sa.func.min(f.c.at).label("first_at"), sa.func.min(f.c.event_id).label("event_id"),
                         sa.func.min(f.c.department_id).label("department_id"))
               .group_by(f.c.subject).subquery("occasions"))
    if first_in is not None:
        grouped = (sa.select(grouped).where(grouped.c.first_at >= first_in.start, grouped.c.first_at < first_in.end)
                   .subquery("occasions_in"))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(grouped)) or 0
    participants = (sa.select(sa.func.count(sa.distinct(Registration.user_id)))
                    .select_from(Scan)
                    .join(Checkpoint, Checkpoint.id == Scan.checkpoint_id)
                    .join(Registration, Registration.id == Scan.registration_id)
                    .where(Checkpoint.event_id == grouped.c.event_id, Scan.result == ScanResult.OK.value,
                           Scan.direction == "in")
                    .scalar_subquery())
    rows = db.session.execute(
        sa.select(grouped.c.subject, grouped.c.event_id, grouped.c.first_at, Event.title, Department.name,
                  participants)
        .select_from(grouped)
        .outerjoin(Event, Event.id == grouped.c.event_id)
        .outerjoin(Department, Department.id == grouped.c.department_id)
        .order_by(grouped.c.first_at, grouped.c.subject)
        .offset((page - 1) * per_page).limit(per_page))
    out = [OccasionRow(subject, event_id, title or "", to_local(as_utc(at)), department or "", int(n or 0))
           for subject, event_id, at, title, department, n in rows]
    return Page(counters.OCCASIONS, out, total, page, per_page)
