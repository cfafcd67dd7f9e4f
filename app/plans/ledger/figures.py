"""A target's figures within a reader's scope: how many so far, against the target and against the
time gone, month by month, by year, department or programme, and who or what is behind the number.

Computed targets count distinct subjects over their counter's facts (app/plans/ledger/counters.py):
a person is counted once in a window however many facts they have, and in the year (or month) of
their first fact, so the yearly figures of a whole-plan target add up to its total. Entered
targets read the figure in force (app/plans/models.EnteredFigure, the last one not corrected).
Periods are whole days in Asia/Shanghai: a check-in at 23:30 on 31 December counts for that year."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.plans.ledger import counters, sources  # noqa: F401 - sources register the counters
from app.plans.models import EnteredFigure, Plan, Target, TargetPeriod
from app.plans.scope import Scope
from app.timeutil import LOCAL_TZ, as_utc

MET, ON_TRACK, BEHIND, NOT_STARTED, NO_DATA = "met", "on_track", "behind", "not_started", "no_data"
INDICATOR = "indicator"  # watched, with no number to reach


def day_start(day: date) -> datetime:
    """The first instant of a Shanghai day, in UTC."""
    return as_utc(datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ))


@dataclass(frozen=True)
class Period:
    """Whole Shanghai days from `first` to `last`, inclusive."""
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return day_start(self.first)

    @property
    def end(self) -> datetime:  # exclusive
        return day_start(self.last + timedelta(days=1))

    def elapsed(self, as_of: date) -> float:
        """The share of the period gone by the end of `as_of` (0 before it, 1 after)."""
        if as_of < self.first:
            return 0.0
        if as_of >= self.last:
            return 1.0
        return ((as_of - self.first).days + 1) / ((self.last - self.first).days + 1)

    def upto(self, as_of: date) -> Period:
        return Period(self.first, min(self.last, max(as_of, self.first - timedelta(days=1))))

    def months(self) -> list[date]:
        """The last day of each month of the period (the period's last day for the last)."""
        out, day = [], self.first
        while day <= self.last:
            nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
            out.append(min(nxt - timedelta(days=1), self.last))
            day = nxt
        return out


def plan_period(plan: Plan) -> Period:
    return Period(plan.starts_on, plan.ends_on)


def year_period(plan: Plan, year: int, years: int = 1) -> Period:
    """Calendar years from `year` (`years` of them), cut to the plan's days."""
    return Period(max(plan.starts_on, date(year, 1, 1)), min(plan.ends_on, date(year + years - 1, 12, 31)))


def plan_years(plan: Plan, years: int = 1) -> list[int]:
    """The first year of each period of `years` years, from the plan's first year."""
    return list(range(plan.starts_on.year, plan.ends_on.year + 1, years))


def target_period(target: Target, as_of: date) -> Period:
    """The period a target is judged over on `as_of`: the plan, or (per-year targets) the year, or
    the run of `target.years` years counted from the plan's first, that holds `as_of`."""
    plan = target.plan
    if target.period != TargetPeriod.YEAR.value:
        return plan_period(plan)
    starts = plan_years(plan, target.years)
    year = max([y for y in starts if y <= as_of.year] or starts[:1])
    return year_period(plan, year, target.years)


# -- computed targets -----------------------------------------------------------------------------

def facts(target: Target, scope: Scope, period: Period, programme: str | None = None) -> sa.Subquery:
    """The target's facts inside the period and the reader's departments (and one programme's
    only, for the drill-down from a by-programme figure)."""
    rows = counters.get(target.rule.get("counter", "")).facts(target.rule).subquery("facts")
    conditions = [rows.c.at >= period.start, rows.c.at < period.end]
    if scope.department_ids is not None:
        conditions.append(rows.c.department_id.in_(sorted(scope.department_ids)))
    if programme is not None:
        conditions.append(rows.c.programme == programme)
    return sa.select(rows).where(*conditions).subquery("scoped")


def firsts(target: Target, scope: Scope, period: Period, programme: str | None = None) -> sa.Subquery:
    """Each subject once, with the time of its first fact in the period."""
    f = facts(target, scope, period, programme)
    return sa.select(f.c.subject, sa.func.min(f.c.at).label("first_at")).group_by(f.c.subject).subquery("firsts")


def count(target: Target, scope: Scope, period: Period) -> int:
    f = facts(target, scope, period)
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(f.c.subject)))) or 0


def cumulative(target: Target, scope: Scope, period: Period, days: list[date]) -> list[int]:
    """How many subjects had their first fact by the end of each day in `days`: one query."""
    if not days:
        return []
    first = firsts(target, scope, period)
    columns = [sa.func.coalesce(sa.func.sum(sa.case((first.c.first_at < day_start(d + timedelta(days=1)), 1),
                                                    else_=0)), 0) for d in days]
    return [int(v) for v in db.session.execute(sa.select(*columns)).one()]


def by_year(target: Target, scope: Scope, as_of: date) -> list[tuple[int, int]]:
    """(year, subjects first counted that year) for a whole-plan target; for a per-year target,
    (year, subjects in that year)."""
    plan = target.plan
    if target.period == TargetPeriod.YEAR.value:
        starts = [y for y in plan_years(plan, target.years) if date(y, 1, 1) <= as_of]
        return [(y, count(target, scope, year_period(plan, y, target.years).upto(as_of))) for y in starts]
    years = [y for y in plan_years(plan) if date(y, 1, 1) <= as_of]
    period = plan_period(plan).upto(as_of)
    ends = [min(year_period(plan, y).last, period.last) for y in years]
    totals = cumulative(target, scope, period, ends)
    return [(y, n - (totals[i - 1] if i else 0)) for i, (y, n) in enumerate(zip(years, totals))]


def by_column(target: Target, scope: Scope, period: Period, column: str) -> list[tuple[object, int]]:
    """(department_id or programme, distinct subjects): a person in two departments' programmes
    counts once in each, so these add up to more than the total."""
    f = facts(target, scope, period)
    key = f.c[column]
    rows = db.session.execute(sa.select(key, sa.func.count(sa.distinct(f.c.subject)))
                              .group_by(key).order_by(sa.func.count(sa.distinct(f.c.subject)).desc(), key))
    return [(k, int(n)) for k, n in rows]


def subjects(target: Target, scope: Scope, period: Period, *, offset: int = 0, limit: int = 50
             ) -> tuple[list[tuple[int, datetime]], int]:
    """A page of (subject id, first fact's time), earliest first, and how many there are in all."""
    first = firsts(target, scope, period)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(first)) or 0
    rows = db.session.execute(sa.select(first.c.subject, first.c.first_at)
                              .order_by(first.c.first_at, first.c.subject).offset(offset).limit(limit))
    return [(s, as_utc(at)) for s, at in rows], total


# -- entered targets ------------------------------------------------------------------------------

def figure_in_force(target: Target, as_of: date, year: int | None = None) -> EnteredFigure | None:
    """The latest figure standing at `as_of` that no later row corrects."""
    corrected = sa.select(EnteredFigure.corrects_id).where(EnteredFigure.corrects_id.is_not(None))
    query = (sa.select(EnteredFigure).where(EnteredFigure.target_id == target.id, EnteredFigure.as_of <= as_of,
                                            EnteredFigure.id.not_in(corrected))
             .order_by(EnteredFigure.as_of.desc(), EnteredFigure.id.desc()).limit(1))
    if year is not None:
        query = query.where(EnteredFigure.year == year)
    return db.session.scalar(query)


# -- a target's progress --------------------------------------------------------------------------

@dataclass
class Progress:
    target: Target
    period: Period
    as_of: date
    actual: Decimal | None  # None: nothing entered yet
    elapsed: float  # share of the period gone
    series: list[tuple[date, Decimal]] = field(default_factory=list)  # month ends, running figure
    figure: EnteredFigure | None = None

    @property
    def number(self) -> Decimal | None:
        return self.target.number

    @property
    def expected(self) -> Decimal | None:
        """Where the figure would be by now if it grew evenly over the period."""
        if self.number is None:
            return None
        return (self.number * Decimal(str(self.elapsed))).quantize(Decimal("0.01"))

    @property
    def gap(self) -> Decimal | None:
        """Ahead (+) or behind (−) the even pace."""
        return None if self.actual is None or self.number is None else self.actual - self.expected

    @property
    def share(self) -> float | None:
        if self.actual is None or not self.number:
            return None
        return float(self.actual / self.number)

    @property
    def status(self) -> str:
        if self.actual is None:
            return NO_DATA
        if self.number is None:
            return INDICATOR
        if self.actual >= self.number:
            return MET
        if self.elapsed == 0:
            return NOT_STARTED
        return ON_TRACK if self.actual >= self.expected else BEHIND


def progress(target: Target, scope: Scope, as_of: date) -> Progress:
    period = target_period(target, as_of)
    elapsed = period.elapsed(as_of)
    if target.computed:
        gone = period.upto(as_of)
        days = [d for d in period.months() if d <= gone.last]
        if days and days[-1] != gone.last and gone.last >= period.first:
            days.append(gone.last)
        values = cumulative(target, scope, gone, days)
        series = [(d, Decimal(v)) for d, v in zip(days, values)]
        actual = series[-1][1] if series else Decimal(0)
        return Progress(target, period, as_of, actual, elapsed, series)
    year = period.first.year if target.period == TargetPeriod.YEAR.value else None
    figure = figure_in_force(target, as_of, year)
    history = _entered_series(target, period, as_of, year)
    return Progress(target, period, as_of, figure.value if figure else None, elapsed, history, figure)


def _entered_series(target: Target, period: Period, as_of: date, year: int | None) -> list[tuple[date, Decimal]]:
    """The figure in force at each month's end (months before the first figure left out)."""
    corrected = sa.select(EnteredFigure.corrects_id).where(EnteredFigure.corrects_id.is_not(None))
    query = (sa.select(EnteredFigure.as_of, EnteredFigure.value)
             .where(EnteredFigure.target_id == target.id, EnteredFigure.as_of <= as_of,
                    EnteredFigure.id.not_in(corrected))
             .order_by(EnteredFigure.as_of, EnteredFigure.id))
    if year is not None:
        query = query.where(EnteredFigure.year == year)
    figures = list(db.session.execute(query))
    out, current, i = [], None, 0
    for day in (d for d in period.months() if d <= as_of):
        while i < len(figures) and figures[i][0] <= day:
            current = figures[i][1]
            i += 1
        if current is not None:
            out.append((day, current))
    return out
