"""Checking a plan file's content (app/plans/loading.py reads and writes it): every problem is
collected, each naming the field and the item or target it is in, before anything is written."""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.accounts.models import Department
from app.errors import InvalidInput
from app.events.models import EventKind
from app.plans.ledger import counters, sources  # noqa: F401 - sources register the counters
from app.plans.models import Measure, TargetPeriod

MAX_FILE_BYTES = 1024 * 1024
MAX_NUMBER = Decimal("999999999999")  # the column holds 14 digits, two after the point
MAX_YEARS = 10
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
DEPARTMENT_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
# The programme keys an item's `serves` may name (app/plans/tagging.py gives them their subjects).
PROGRAMMES = ("series", "camp", "traineeship", "competition", "studio", "online")
EVENT_PREFIX = "event:"


def programme_keys() -> tuple[str, ...]:
    return PROGRAMMES + tuple(EVENT_PREFIX + kind.value for kind in EventKind)


class PlanFileInvalid(InvalidInput):
    """The file cannot be loaded; `problems` lists every reason, each naming where it is."""
    code = "plan_file_invalid"
    default_message = _l("The plan file cannot be loaded; nothing was changed.")

    def __init__(self, problems: list, **kw):
        self.problems = [str(p) for p in problems]
        super().__init__(**kw)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "problems": self.problems}


@dataclass
class ItemSpec:
    code: str
    section: str
    title: str
    summary: str
    departments: list[str]
    serves: list[str]
    position: int


@dataclass
class TargetSpec:
    code: str
    item: str | None
    parent: str | None
    title: str
    number: Decimal | None
    unit: str
    period: str
    years: int
    measure: str
    rule: dict
    definition: str
    departments: list[str]
    position: int


@dataclass
class PlanSpec:
    slug: str
    title: str
    issued_by: str
    issued_on: date | None
    starts_on: date
    ends_on: date
    new_departments: dict[str, str]  # name -> code, created when missing
    items: list[ItemSpec] = field(default_factory=list)
    targets: list[TargetSpec] = field(default_factory=list)


# -- checking ---------------------------------------------------------------------------------
class _Checker:
    def __init__(self):
        self.problems: list = []

    def add(self, where, field_name: str, message) -> None:
        self.problems.append(_l("%(where)s, field “%(field)s”: %(message)s",
                                where=where, field=field_name, message=message))

    def text(self, raw: dict, key: str, where, *, limit: int, required: bool = True) -> str:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                self.add(where, key, _l("is missing."))
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.add(where, key, _l("must be text."))
            return ""
        value = value.strip()
        if len(value) > limit:
            self.add(where, key, _l("is longer than %(n)s characters.", n=limit))
        return value

    def day(self, raw: dict, key: str, where, *, required: bool = True) -> date | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.add(where, key, _l("is missing."))
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(where, key, _l("must be a date written 2022-01-01."))
        return None

    def names(self, raw: dict, key: str, where, known) -> list[str]:
        value = raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(where, key, _l("must be a list of names."))
            return []
        out = []
        for name in value:
            name = name.strip()
            if known is not None and name not in known:
                self.add(where, key, _l("names “%(value)s”, which is not known.", value=name[:80]))
            elif name not in out:
                out.append(name)
        return out


def _number(checker: _Checker, raw: dict, where) -> Decimal | None:
    if "number" not in raw:
        checker.add(where, "number", _l("is missing (write null for an indicator without a number)."))
        return None
    value = raw["number"]
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        checker.add(where, "number", _l("must be a number."))
        return None
    if isinstance(value, float) and not math.isfinite(value):
        checker.add(where, "number", _l("must be a number."))
        return None
    number = Decimal(str(value))
    if number < 0 or number > MAX_NUMBER:
        checker.add(where, "number", _l("must be between 0 and %(max)s.", max=f"{MAX_NUMBER:,}"))
        return None
    if number != number.quantize(Decimal("0.01")):
        checker.add(where, "number", _l("has more than two decimals."))
        return None
    return number


def _rule(checker: _Checker, raw: dict, where, measure: str) -> dict:
    rule = raw.get("rule")
    if measure != Measure.COMPUTED.value:
        if rule:
            checker.add(where, "rule", _l("only a computed target has a counting rule."))
        return {}
    if not isinstance(rule, dict) or not isinstance(rule.get("counter"), str):
        checker.add(where, "rule", _l("a computed target needs a rule naming its counter."))
        return {}
    name = rule["counter"]
    if name not in counters.COUNTERS:
        checker.add(where, "rule", _l("names the counter “%(name)s”, which this system does not know (known: %(known)s).",
                                      name=name[:40], known=", ".join(sorted(counters.COUNTERS))))
        return {}
    try:
        json.dumps(rule)
        counters.COUNTERS[name].facts(dict(rule))  # the parameters build its query, or they are wrong
    except Exception:  # noqa: BLE001 - any refusal of the parameters is the file's problem
        checker.add(where, "rule", _l("the counter “%(name)s” does not accept these parameters.", name=name))
        return {}
    return dict(rule)


def check(content: dict, departments: dict[str, Department]) -> PlanSpec:
    """The plan the file describes, or PlanFileInvalid listing every problem. `departments` are the
    existing ones by name and by code."""
    c = _Checker()
    top = _l("The plan")
    slug = c.text(content, "slug", top, limit=60)
    if slug and not SLUG.match(slug):
        c.add(top, "slug", _l("may hold only lower-case letters, digits and hyphens."))
    title = c.text(content, "title", top, limit=200)
    issued_by = c.text(content, "issued_by", top, limit=120, required=False)
    issued_on = c.day(content, "issued_on", top, required=False)
    starts_on, ends_on = c.day(content, "starts_on", top), c.day(content, "ends_on", top)
    if starts_on and ends_on and ends_on < starts_on:
        c.add(top, "ends_on", _l("is before starts_on."))

    new_departments: dict[str, str] = {}
    raw_departments = content.get("departments") or {}
    if not isinstance(raw_departments, dict):
        c.add(top, "departments", _l("must map each new department's name to its code."))
        raw_departments = {}
    for name, code in raw_departments.items():
        if not isinstance(name, str) or not isinstance(code, str) or not DEPARTMENT_CODE.match(code) \
                or len(name) > 80:
            c.add(top, "departments", _l("“%(name)s”: a department needs a name and a code of lower-case letters, "
                                         "digits and underscores.", name=str(name)[:80]))
            continue
        existing = departments.get(name)
        if existing is None and code in departments:
            c.add(top, "departments", _l("the code %(code)s belongs to another department.", code=code))
        elif existing is None:
            new_departments[name] = code
    known_departments = set(departments) | set(new_departments)
    valid_serves = set(programme_keys())

    items_raw = content.get("items")
    if not isinstance(items_raw, list) or not items_raw:
        c.add(top, "items", _l("must list the plan's items."))
        items_raw = []
    items: list[ItemSpec] = []
    for position, raw in enumerate(items_raw):
        where = _l("Item %(n)s", n=position + 1)
        if not isinstance(raw, dict):
            c.add(where, "-", _l("must be a mapping."))
            continue
        code = c.text(raw, "code", where, limit=20)
        if code:
            where = _l("Item %(code)s", code=code)
            if any(i.code == code for i in items):
                c.add(where, "code", _l("is used twice."))
        serves = raw.get("serves") or []
        if not isinstance(serves, list) or not all(isinstance(s, str) for s in serves):
            c.add(where, "serves", _l("must be a list of programme keys."))
            serves = []
        for key in serves:
            if key not in valid_serves:
                c.add(where, "serves", _l("names “%(value)s”, which is not a programme (known: %(known)s).",
                                          value=key[:40], known=", ".join(sorted(valid_serves))))
        items.append(ItemSpec(code=code, section=c.text(raw, "section", where, limit=120, required=False),
                              title=c.text(raw, "title", where, limit=200),
                              summary=c.text(raw, "summary", where, limit=4000, required=False),
                              departments=c.names(raw, "departments", where, known_departments),
                              serves=list(dict.fromkeys(serves)), position=position))
    item_codes = {i.code for i in items}

    targets_raw = content.get("targets")
    if not isinstance(targets_raw, list):
        c.add(top, "targets", _l("must list the plan's targets."))
        targets_raw = []
    targets: list[TargetSpec] = []
    for position, raw in enumerate(targets_raw):
        where = _l("Target %(n)s", n=position + 1)
        if not isinstance(raw, dict):
            c.add(where, "-", _l("must be a mapping."))
            continue
        code = c.text(raw, "code", where, limit=40)
        if code:
            where = _l("Target %(code)s", code=code)
            if any(t.code == code for t in targets):
                c.add(where, "code", _l("is used twice."))
        item = c.text(raw, "item", where, limit=20, required=False) or None
        if item and item not in item_codes:
            c.add(where, "item", _l("names the item %(value)s, which the file does not have.", value=item))
        period = raw.get("period", TargetPeriod.PLAN.value)
        if period not in {p.value for p in TargetPeriod}:
            c.add(where, "period", _l("must be plan or year."))
            period = TargetPeriod.PLAN.value
        years = raw.get("years", 1)
        if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
            c.add(where, "years", _l("must be a whole number of years from 1 to %(max)s.", max=MAX_YEARS))
            years = 1
        elif period == TargetPeriod.PLAN.value and years != 1:
            c.add(where, "years", _l("only a per-year target runs over several years."))
        measure = raw.get("measure")
        if measure not in {m.value for m in Measure}:
            c.add(where, "measure", _l("must be computed or entered."))
            measure = Measure.ENTERED.value
        targets.append(TargetSpec(
            code=code, item=item, parent=c.text(raw, "parent", where, limit=40, required=False) or None,
            title=c.text(raw, "title", where, limit=200), number=_number(c, raw, where),
            unit=c.text(raw, "unit", where, limit=20), period=period, years=years, measure=measure,
            rule=_rule(c, raw, where, measure), definition=c.text(raw, "definition", where, limit=4000),
            departments=c.names(raw, "departments", where, known_departments), position=position))
    by_code = {t.code: t for t in targets}
    for target in targets:
        if target.parent is None:
            continue
        where = _l("Target %(code)s", code=target.code)
        parent = by_code.get(target.parent)
        if parent is None:
            c.add(where, "parent", _l("names the target %(value)s, which the file does not have.", value=target.parent))
        elif parent is target or parent.parent is not None:
            c.add(where, "parent", _l("must name a target that is not itself a part."))
        elif parent.measure != target.measure:
            c.add(where, "parent", _l("a part is measured the way its whole is."))

    if c.problems:
        raise PlanFileInvalid(c.problems)
    return PlanSpec(slug=slug, title=title, issued_by=issued_by, issued_on=issued_on, starts_on=starts_on,
                    ends_on=ends_on, new_departments=new_departments, items=items, targets=targets)


