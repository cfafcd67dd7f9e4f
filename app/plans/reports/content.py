"""What a report holds, as plain data for both the PDF and the XLSX: every number comes from the
ledger's figures (progress, by_year, by_column), the query the dashboard shows."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Callable

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import Department
from app.extensions import db
from app.plans.ledger import counters, figures
from app.plans.models import EnteredFigure, Plan, PlanItem, Target, TargetPeriod
from app.plans.reports.models import ReportKind
from app.plans.scope import Scope
from app.timeutil import utcnow

STATUS_WORDS = {
    figures.MET: _l("Met"),
    figures.ON_TRACK: _l("On track"),
    figures.BEHIND: _l("Behind"),
    figures.NOT_STARTED: _l("Not started"),
    figures.NO_DATA: _l("No figure yet"),
    figures.INDICATOR: _l("Indicator (no number set)"),
}
# Rule parameters a reader may need to check what counted, in words.
RULE_WORDS = {"kinds": _l("kinds"), "invited_only": _l("invitation-only occasions"), "months": _l("months"),
              "programmes": _l("programmes")}


def number(value) -> str:
    """A figure as printed: whole numbers without decimals, thousands separated."""
    if value is None:
        return "—"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.quantize(Decimal('0.01')):,}"


def signed(value) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + number(value)


@dataclass
class TargetFigures:
    target: Target
    progress: figures.Progress
    years: list[tuple[int, Decimal | int]]  # computed: new that year; entered: the figure at the year's end
    departments: list[tuple[str, int]]  # computed targets only: distinct subjects per department
    change: Decimal | None = None  # monthly: since the end of the month before

    @property
    def status_words(self) -> str:
        return str(STATUS_WORDS[self.progress.status])

    @property
    def depth(self) -> int:
        return 1 if self.target.parent_id else 0


@dataclass
class ItemSection:
    item: PlanItem | None
    departments: list[str]
    targets: list[TargetFigures]
    entered: list[EnteredFigure] = field(default_factory=list)

    @property
    def status_line(self) -> str:
        return status_line(self.targets)


@dataclass
class Definition:
    target: Target
    text: str
    counter: str  # the counter's label and parameters, or how an entered figure is kept


@dataclass
class Report:
    plan: Plan
    kind: str
    first: date
    last: date  # the day the figures stand at
    scope: Scope
    scope_names: list[str]  # empty: the whole bureau
    generated_at: datetime
    targets: list[TargetFigures]
    items: list[ItemSection]
    definitions: list[Definition]

    @property
    def behind(self) -> list[TargetFigures]:
        return [f for f in self.targets if f.progress.status == figures.BEHIND]


def period_of(plan: Plan, kind: str, *, year: int | None = None, day: date | None = None) -> tuple[date, date]:
    """The days a report covers: the calendar year (cut to the plan and to `day`, the last day it
    may reach), the plan's start to `day`, or the month ending on `day`."""
    if kind == ReportKind.ANNUAL.value:
        first, last = max(plan.starts_on, date(year, 1, 1)), min(plan.ends_on, date(year, 12, 31))
        return first, min(last, day) if day else last
    if kind == ReportKind.MIDTERM.value:
        return plan.starts_on, day
    return max(plan.starts_on, day.replace(day=1)), day


def targets_in_scope(plan: Plan, scope: Scope) -> list[Target]:
    """The plan's targets whose 责任部门 (the target's, else its item's) the reader sees."""
    out = []
    for target in plan.targets:
        departments = target.departments or (target.item.departments if target.item else [])
        if scope.everything or scope.sees_departments(d.id for d in departments):
            out.append(target)
    return out


def _years(target: Target, scope: Scope, as_of: date) -> list[tuple[int, Decimal | int]]:
    if target.computed:
        return figures.by_year(target, scope, as_of)
    step = target.years if target.period == TargetPeriod.YEAR.value else 1
    out = []
    for year in figures.plan_years(target.plan, step):
        if date(year, 1, 1) > as_of:
            break
        end = min(figures.year_period(target.plan, year, step).last, as_of)
        out.append((year, figures.progress(target, scope, end).actual))
    return out


def _departments(target: Target, scope: Scope, p: figures.Progress, names: dict[int, str]) -> list[tuple[str, int]]:
    if not target.computed:
        return []
    rows = figures.by_column(target, scope, p.period.upto(p.as_of), "department_id")
    return [(names.get(k, str(k)), n) for k, n in rows]


def _change(target: Target, scope: Scope, p: figures.Progress, first: date) -> Decimal | None:
    """How much the figure moved in the days from `first` (within the target's current period)."""
    if p.actual is None:
        return None
    before = first - timedelta(days=1)
    if before < p.period.first:
        return p.actual
    earlier = figures.progress(target, scope, before).actual
    return p.actual - (earlier or 0)


def build(plan: Plan, kind: str, scope: Scope, first: date, last: date,
          on_step: Callable[[int, int], None] | None = None) -> Report:
    """The report's content; `on_step(done, total)` after each target."""
    names = {i: name for i, name in db.session.execute(sa.select(Department.id, Department.name))}
    chosen = targets_in_scope(plan, scope)
    rows = []
    for n, target in enumerate(chosen, 1):
        p = figures.progress(target, scope, last)
        row = TargetFigures(target, p, _years(target, scope, last), _departments(target, scope, p, names))
        if kind == ReportKind.MONTHLY.value:
            row.change = _change(target, scope, p, first)
        rows.append(row)
        if on_step:
            on_step(n, len(chosen))
    sections = []
    for item in [*plan.items, None]:
        members = [r for r in rows if (r.target.item_id or None) == (item.id if item else None)]
        if not members:
            continue
        sections.append(ItemSection(item, [d.name for d in item.departments] if item else [], members,
                                    _entered([r.target for r in members], last)))
    scope_names = [] if scope.everything else sorted(names.get(i, str(i)) for i in scope.department_ids)
    return Report(plan, kind, first, last, scope, scope_names, utcnow(), rows, sections,
                  [Definition(t, t.definition, rule_words(t)) for t in chosen])


def _entered(targets: list[Target], last: date) -> list[EnteredFigure]:
    ids = [t.id for t in targets if not t.computed]
    if not ids:
        return []
    return list(db.session.scalars(sa.select(EnteredFigure).where(
        EnteredFigure.target_id.in_(ids), EnteredFigure.as_of <= last)
        .order_by(EnteredFigure.target_id, EnteredFigure.as_of, EnteredFigure.id)))


def rule_words(target: Target) -> str:
    """What the figure is made of: the counter's label and its parameters, or for an entered
    figure that it is entered by hand with evidence."""
    if not target.computed:
        return _("Entered by hand with evidence; the figure in force on the report's day is printed, "
                 "corrections keep the earlier value.")
    rule = dict(target.rule or {})
    name = rule.pop("counter", "")
    label = str(counters.COUNTERS[name].label) if name in counters.COUNTERS else name
    unit = counters.COUNTERS[name].unit if name in counters.COUNTERS else counters.PEOPLE
    once = _("each person counted once") if unit == counters.PEOPLE else _("each occasion counted once")
    params = []
    for key, value in sorted(rule.items()):
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        params.append(f"{RULE_WORDS.get(key, key)}: {value}")
    return "；".join([f"{label}（{name}，{once}）", *params])


def status_line(rows: list[TargetFigures]) -> str:
    """One sentence from the figures, e.g. "3 项指标中 2 项达标，1 项落后：…"."""
    numbered = [r for r in rows if r.target.number is not None]
    if not numbered:
        return _("Indicators only: watched without a number to reach.")
    met = sum(r.progress.status == figures.MET for r in numbered)
    on_track = sum(r.progress.status == figures.ON_TRACK for r in numbered)
    behind = [r for r in numbered if r.progress.status == figures.BEHIND]
    summary = _("%(met)s of %(total)s targets met, %(on_track)s on track, %(behind)s behind.",
                met=met, total=len(numbered), on_track=on_track, behind=len(behind))
    if not behind:
        return summary
    gaps = [_("“%(title)s” %(gap)s %(unit)s behind the pace", title=r.target.title, gap=number(-r.progress.gap),
              unit=r.target.unit) for r in behind]
    return _("%(summary)s Behind: %(behind)s.", summary=summary, behind="；".join(gaps))
