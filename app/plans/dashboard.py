"""The leaders' dashboard (/dashboard): the current plan's targets within the reader's scope, each with
its progress against the target and the time gone, a target's breakdowns, the drill-down from a
figure to the people or occasions behind it, and the brand events' panel.

Every figure of a target comes from app/plans/ledger/figures (progress(), by_year(), by_column(),
firsts()): the dashboard shows what the report prints and the tests check, and computes none of it.
The number of queries of a page depends on the number of targets and brand series, never on the
number of people or facts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.accounts.models import Department, User
from app.checkin.models import Checkpoint, Scan, ScanResult
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.events.models import KIND_LABELS, Event, EventStatus, Series
from app.extensions import db
from app.jobfairs.models import FairEmployer, Interest, InterestOutcome, Outcome
from app.plans.ledger import counters, figures
from app.plans.ledger import drilldown as ledger_drilldown
from app.plans.ledger import people as ledger_people
from app.plans.models import EnteredFigure, Plan, PlanItem, Target
from app.plans.scope import Scope, scope_of
from app.registrations.models import Registration, RegStatus
from app.satisfaction import figures as satisfaction
from app.timeutil import local_today, utcnow

PAGE_SIZE = 50
BRAND_ROWS = 30  # brand series shown (the most occasions first): bounds the panel's queries
SLUG_MAX = 60
PROGRAMME_MAX = 40

STATUS_LABELS = {
    figures.MET: _l("Target met"),
    figures.ON_TRACK: _l("On track"),
    figures.BEHIND: _l("Behind schedule"),
    figures.NOT_STARTED: _l("Not started yet"),
    figures.NO_DATA: _l("No figure yet"),
    figures.INDICATOR: _l("Indicator (no number set)"),
}


# -- the plan shown ------------------------------------------------------------------------------

def all_plans() -> list[Plan]:
    return list(db.session.scalars(sa.select(Plan).order_by(Plan.starts_on.desc(), Plan.id.desc())))


def current_plan(plans: list[Plan], slug: str | None, today: date) -> Plan | None:
    """The plan named by `slug`; else the one whose period holds today (the latest to start), else
    the latest. `plans` is all_plans()."""
    if slug is not None:
        if not slug or len(slug) > SLUG_MAX:
            raise InvalidInput(fields={"plan": _l("No such plan.")})
        found = next((p for p in plans if p.slug == slug), None)
        if found is None:
            raise NotFound(_l("No such plan."))
        return found
    running = [p for p in plans if p.starts_on <= today <= p.ends_on]
    return (running or plans or [None])[0]


def departments_of(target: Target) -> list[Department]:
    """A target's 责任部门 (its item's when the target names none)."""
    if target.departments:
        return target.departments
    return target.item.departments if target.item is not None else []


def visible(target: Target, scope: Scope) -> bool:
    return scope.sees_departments(d.id for d in departments_of(target))


def unit_of(target: Target) -> str:
    """counters.PEOPLE or counters.OCCASIONS for a computed target ('' for an entered one)."""
    return counters.get(target.rule.get("counter", "")).unit if target.computed else ""


# -- the board -----------------------------------------------------------------------------------

@dataclass
class Row:
    """One target on the board, with its progress (figures.progress(), nothing else)."""
    progress: figures.Progress
    part: bool = False  # a part of a split target (正高 140 = 教育 30 + 卫生 70 …)

    @property
    def target(self) -> Target:
        return self.progress.target

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.progress.status])


@dataclass
class Group:
    item: PlanItem | None
    rows: list[Row] = field(default_factory=list)


@dataclass
class BrandRow:
    series_id: int
    name: str
    held: int = 0  # occasions held (published events of the series started in the period)
    confirmed: int = 0  # confirmed registrations of those occasions
    attended: int = 0  # of those, the ones with an accepted entry scan
    participants: int = 0  # distinct people who came, each once per series
    hires: int = 0  # job-fair candidates marked hired by an employer at those occasions
    satisfaction: satisfaction.Summary | None = None

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.confirmed if self.confirmed else None


@dataclass
class Board:
    plans: list[Plan]
    plan: Plan | None
    scope: Scope
    as_of: date
    groups: list[Group] = field(default_factory=list)
    brand: list[BrandRow] = field(default_factory=list)
    brand_period: figures.Period | None = None


def _targets(plan: Plan) -> list[Target]:
    query = (sa.select(Target).where(Target.plan_id == plan.id)
             .options(selectinload(Target.departments), selectinload(Target.item).selectinload(PlanItem.departments))
             .order_by(Target.position, Target.id))
    return list(db.session.scalars(query))


def _ordered(plan: Plan, targets: list[Target]) -> list[tuple[PlanItem | None, list[tuple[Target, bool]]]]:
    """Targets grouped by plan item in the plan's order; a split target's parts right after it."""
    children: dict[int, list[Target]] = {}
    for t in targets:
        if t.parent_id is not None:
            children.setdefault(t.parent_id, []).append(t)
    ids = {t.id for t in targets}
    tops = [t for t in targets if t.parent_id is None or t.parent_id not in ids]
    by_item: dict[int | None, list[tuple[Target, bool]]] = {}
    for t in tops:
        entries = by_item.setdefault(t.item_id, [])
        entries.append((t, False))
        entries.extend((c, True) for c in children.get(t.id, []))
    items = sorted({t.item for t in tops if t.item is not None}, key=lambda i: (i.position, i.id))
    out = [(item, by_item[item.id]) for item in items]
    if None in by_item:
        out.append((None, by_item[None]))
    return out


def board(actor: User, *, slug: str | None = None, as_of: date | None = None) -> Board:
    """The dashboard of the reader: the plan's targets they may see, their progress, brand events."""
    scope = scope_of(actor)
    as_of = as_of or local_today()
    plans = all_plans()
    plan = current_plan(plans, slug, as_of)
    result = Board(plans, plan, scope, as_of)
    if plan is None:
        return result
    shown = [t for t in _targets(plan) if visible(t, scope)]
    for item, entries in _ordered(plan, shown):
        group = Group(item)
        for target, part in entries:
            group.rows.append(Row(figures.progress(target, scope, as_of), part))
        result.groups.append(group)
    result.brand_period = figures.plan_period(plan).upto(as_of)
    result.brand = brand_panel(scope, result.brand_period)
    return result


def chart(p: figures.Progress) -> dict:
    """A target's line chart: the running figure at each month's end (progress().series) against the
    even pace to the target over the whole period."""
    days = p.period.months()
    # by month: the series' last point of a month (a month end, or the day the figures stand at)
    actual = {d.isoformat()[:7]: float(v) for d, v in p.series}
    labels = [d.isoformat()[:7] for d in days]
    data = {"labels": labels, "actual": [actual.get(m) for m in labels], "pace": None}
    if p.number is not None:
        data["pace"] = [round(float(p.number) * p.period.elapsed(d), 2) for d in days]
    return data


# -- brand events --------------------------------------------------------------------------------

def _brand_events(scope: Scope, period: figures.Period):
    """The brand series' occasions held in the period within the reader's departments."""
    end = min(period.end, utcnow())
    conditions = [Event.series_id.is_not(None), Event.status == EventStatus.PUBLISHED.value,
                  Event.starts_at >= period.start, Event.starts_at < end]
    if scope.department_ids is not None:
        conditions.append(Event.department_id.in_(sorted(scope.department_ids) or [-1]))
    return conditions


def brand_panel(scope: Scope, period: figures.Period) -> list[BrandRow]:
    """Per brand series: occasions held, confirmed places, attended, distinct participants, hires and
    感受度, in a fixed number of aggregate queries (plus one 感受度 summary per series shown)."""
    where = _brand_events(scope, period)
    held = db.session.execute(
        sa.select(Event.series_id, Series.name, sa.func.count(Event.id)).join(Series, Series.id == Event.series_id)
        .where(*where).group_by(Event.series_id, Series.name)
        .order_by(sa.func.count(Event.id).desc(), Series.name).limit(BRAND_ROWS)).all()
    rows = {sid: BrandRow(sid, name, int(n)) for sid, name, n in held}
    if not rows:
        return []
    ids = sorted(rows)
    where = [*where, Event.series_id.in_(ids)]
    confirmed = sa.and_(Registration.status == RegStatus.CONFIRMED.value)
    for sid, n in db.session.execute(
            sa.select(Event.series_id, sa.func.count(Registration.id)).join(Registration, Registration.event_id == Event.id)
            .where(*where, confirmed).group_by(Event.series_id)):
        rows[sid].confirmed = int(n)
    came = (sa.select(Event.series_id,
                      sa.func.count(sa.distinct(sa.case((confirmed, Scan.registration_id)))),
                      sa.func.count(sa.distinct(Registration.user_id)))
            .select_from(Scan).join(Checkpoint, Checkpoint.id == Scan.checkpoint_id)
            .join(Event, Event.id == Checkpoint.event_id)
            .join(Registration, Registration.id == Scan.registration_id)
            .where(*where, Scan.result == ScanResult.OK.value, Scan.direction == "in", Registration.event_id == Event.id)
            .group_by(Event.series_id))
    for sid, attended, people in db.session.execute(came):
        rows[sid].attended, rows[sid].participants = int(attended), int(people)
    hires = (sa.select(Event.series_id, sa.func.count(sa.distinct(Interest.user_id)))
             .select_from(InterestOutcome).join(Interest, Interest.id == InterestOutcome.interest_id)
             .join(FairEmployer, FairEmployer.id == Interest.fair_employer_id)
             .join(Event, Event.id == FairEmployer.event_id)
             .where(*where, InterestOutcome.status == Outcome.HIRED.value).group_by(Event.series_id))
    for sid, n in db.session.execute(hires):
        rows[sid].hires = int(n)
    events: dict[int, list[int]] = {}
    for sid, eid in db.session.execute(sa.select(Event.series_id, Event.id).where(*where)):
        events.setdefault(sid, []).append(eid)
    departments = None if scope.department_ids is None else set(scope.department_ids)
    for sid, row in rows.items():
        row.satisfaction = satisfaction.summary(departments, start=period.start, end=period.end,
                                                event_ids=events.get(sid, []))
    return [rows[sid] for sid, *_ in held]


# -- a target's page -----------------------------------------------------------------------------

@dataclass
class Breakdown:
    key: object  # the year, department id or programme key the drill-down filters on
    label: str
    count: int
    param: str  # the drill-down's query argument: year, department or programme


@dataclass
class TargetPage:
    progress: figures.Progress
    scope: Scope
    unit: str
    window: figures.Period  # the days the breakdowns count over
    by_year: list[Breakdown] = field(default_factory=list)
    by_department: list[Breakdown] = field(default_factory=list)
    by_programme: list[Breakdown] = field(default_factory=list)
    people: ledger_people.Breakdown | None = None  # by gender, age band, employer's district (people targets)
    history: list[EnteredFigure] = field(default_factory=list)  # entered targets: every row, newest first
    corrected: set[int] = field(default_factory=set)  # ids of rows a later row corrects

    @property
    def target(self) -> Target:
        return self.progress.target

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.progress.status])


def get_target(actor: User, target_id: int) -> tuple[Target, Scope]:
    """The target, once the reader's scope holds one of its 责任部门."""
    scope = scope_of(actor)
    target = db.session.get(Target, target_id)
    if target is None:
        raise NotFound()
    if not visible(target, scope):
        raise PermissionDenied()
    return target, scope


def window(target: Target, as_of: date) -> figures.Period:
    """What a target's breakdowns and drill-down count over: the days of its period gone by `as_of`
    (the whole plan's, or the current year's or run of years')."""
    return figures.target_period(target, as_of).upto(as_of)


def programme_label(key: str | None) -> str:
    if not key:
        return str(_l("Not recorded"))
    if key.startswith("event:"):
        return str(KIND_LABELS.get(key[6:], key[6:]))
    return str(PROGRAMME_LABELS.get(key, key))


PROGRAMME_LABELS = {"camp": _l("Entrepreneurship camps"), "traineeship": _l("Traineeships"),
                    "competition": _l("Skills competitions"), "studio": _l("Skills master studios"),
                    "series": _l("Event series"), "online": _l("Online events"),
                    "followup": _l("Follow-up surveys")}


def target_page(actor: User, target_id: int, *, as_of: date | None = None) -> TargetPage:
    target, scope = get_target(actor, target_id)
    as_of = as_of or local_today()
    p = figures.progress(target, scope, as_of)
    page = TargetPage(p, scope, unit_of(target), window(target, as_of))
    if target.computed:
        page.by_year = [Breakdown(y, str(y), n, "year") for y, n in figures.by_year(target, scope, as_of)]
        depts = figures.by_column(target, scope, page.window, "department_id")
        names = dict(db.session.execute(sa.select(Department.id, Department.name)
                                        .where(Department.id.in_([k for k, _ in depts if k is not None] or [-1]))).all())
        page.by_department = [Breakdown(k, names.get(k, str(_l("Not recorded"))), n, "department") for k, n in depts]
        page.by_programme = [Breakdown(k, programme_label(k), n, "programme")
                             for k, n in figures.by_column(target, scope, page.window, "programme")]
        page.people = ledger_people.breakdown(target, scope, page.window)
    else:
        page.history = list(db.session.scalars(
            sa.select(EnteredFigure).where(EnteredFigure.target_id == target.id)
            .options(selectinload(EnteredFigure.entered_by))
            .order_by(EnteredFigure.as_of.desc(), EnteredFigure.id.desc())))
        page.corrected = {f.corrects_id for f in page.history if f.corrects_id is not None}
    return page


# -- the drill-down ------------------------------------------------------------------------------

@dataclass
class Drilldown:
    """A page of the list behind a figure (app/plans/ledger/drilldown.py), with what was clicked."""
    target: Target
    window: figures.Period
    year: int | None
    department: Department | None
    programme: str | None
    found: ledger_drilldown.Page

    @property
    def unit(self) -> str:
        return self.found.unit

    @property
    def total(self) -> int:
        return self.found.total

    @property
    def page(self) -> int:
        return self.found.page

    @property
    def pages(self) -> int:
        return self.found.pages

    @property
    def rows(self) -> list:
        return self.found.rows


def drilldown(actor: User, target_id: int, *, year: int | None = None, department_id: int | None = None,
              programme: str | None = None, page: int = 1, as_of: date | None = None) -> Drilldown:
    """A page of the people (masked; the viewing audited by the ledger) or occasions behind a figure:
    the total, a year's, a department's or a programme's, within the reader's scope. Its total is
    the figure's (the same facts, app/plans/ledger/drilldown.py)."""
    target, scope = get_target(actor, target_id)
    if not target.computed:
        raise NotFound(_l("An entered figure has no list of people; its evidence is on the target's page."))
    as_of = as_of or local_today()
    department = None
    if department_id is not None:
        if not scope.everything and department_id not in scope.department_ids:
            raise PermissionDenied()
        department = db.session.get(Department, department_id)
        if department is None:
            raise NotFound()
    if programme is not None and (not programme or len(programme) > PROGRAMME_MAX):
        raise InvalidInput(fields={"programme": _l("No such programme.")})
    clicked = ledger_drilldown.Clicked(year=year, department_id=department_id, programme=programme)
    found = ledger_drilldown.drilldown(actor, target, as_of=as_of, clicked=clicked, page=page, per_page=PAGE_SIZE)
    if page > found.pages:
        raise NotFound(_l("There is no such page."))  # the view's error answer rolls the audit row back
    period, _first_in = ledger_drilldown.window(target, as_of, year)
    return Drilldown(target, period, year, department, programme, found)
