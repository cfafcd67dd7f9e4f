"""Loading a plan from its file (plans/*.yaml or *.json; the format is described in plans/README.md).

`load_file(path)` / `load_text(text, kind)` read the file, check ALL of it first and only then write:
an invalid file raises PlanFileInvalid listing every problem (each naming the field and the item or
target it is in) and changes nothing. Loading a plan whose slug exists updates it in place — the
plan's dates and titles, the items' titles and 责任部门, the targets' numbers, rules and definitions
— and keeps what was recorded against it (entered figures, organisers' tags). A target or an item
the file no longer has is removed only when nothing was recorded against it; otherwise the load is
refused, because history is never deleted.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
import yaml
from flask_babel import lazy_gettext as _l

from app.accounts.models import Department
from app.audit import services as audit
from app.extensions import db
from app.plans.models import EnteredFigure, Plan, PlanItem, PlanTag, Target
from app.plans.plan_check import MAX_FILE_BYTES, PlanFileInvalid, PlanSpec, check
from app.timeutil import local_today, utcnow


class PlanHistoryKept(PlanFileInvalid):
    code = "plan_history_kept"


@dataclass
class LoadResult:
    plan: Plan
    created: bool
    items: int
    targets: int
    departments_created: list[str]
    removed: list[str]


# -- reading ----------------------------------------------------------------------------------
def read_text(data: bytes, kind: str) -> dict:
    """The file's mapping; `kind` is "yaml" or "json"."""
    if len(data) > MAX_FILE_BYTES:
        raise PlanFileInvalid([_l("The file is larger than %(kb)s KB.", kb=MAX_FILE_BYTES // 1024)])
    if b"\x00" in data:
        raise PlanFileInvalid([_l("The file contains NUL bytes: it is not a text file.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlanFileInvalid([_l("The file is not UTF-8 text.")]) from None
    try:
        content = json.loads(text) if kind == "json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else getattr(exc, "lineno", "?")
        raise PlanFileInvalid([_l("The file is not valid %(kind)s (at line %(where)s).",
                                  kind=kind.upper(), where=where)]) from None
    except RecursionError:
        raise PlanFileInvalid([_l("The file is nested too deeply.")]) from None
    if not isinstance(content, dict):
        raise PlanFileInvalid([_l("The file must hold a mapping with slug, title, dates, items and targets.")])
    return content


def kind_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    raise PlanFileInvalid([_l("A plan file ends in .yaml, .yml or .json.")])


# -- writing ----------------------------------------------------------------------------------
def _departments_by_key() -> dict[str, Department]:
    out = {}
    for dept in db.session.scalars(sa.select(Department)):
        out[dept.name] = dept
        out[dept.code] = dept
    return out


def load_text(data: bytes, kind: str, *, source: str = "", actor=None) -> LoadResult:
    """Check the file's content and load it (the caller commits)."""
    content = read_text(data, kind)
    departments = _departments_by_key()
    spec = check(content, departments)
    plan = db.session.scalar(sa.select(Plan).where(Plan.slug == spec.slug))
    removed = _removals(plan, spec) if plan is not None else ([], [])
    return _write(plan, spec, departments, removed, source=source, actor=actor)


def load_file(path: str | Path, *, actor=None) -> LoadResult:
    kind = kind_of(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PlanFileInvalid([_l("The file cannot be read: %(reason)s", reason=exc.strerror or exc)]) from None
    return load_text(data, kind, source=Path(path).name, actor=actor)


def _removals(plan: Plan, spec: PlanSpec) -> tuple[list[Target], list[PlanItem]]:
    """What the file no longer has; refused when anything was recorded against it."""
    codes = {t.code for t in spec.targets}
    gone_targets = [t for t in plan.targets if t.code not in codes]
    item_codes = {i.code for i in spec.items}
    gone_items = [i for i in plan.items if i.code not in item_codes]
    problems = []
    if gone_targets:
        with_figures = set(db.session.scalars(sa.select(EnteredFigure.target_id).where(
            EnteredFigure.target_id.in_([t.id for t in gone_targets]))))
        for target in gone_targets:
            if target.id in with_figures:
                problems.append(_l("Target %(code)s is not in the file but has entered figures: "
                                   "history is kept, so it cannot be removed.", code=target.code))
    if gone_items:
        tagged = set(db.session.scalars(sa.select(PlanTag.item_id).where(
            PlanTag.item_id.in_([i.id for i in gone_items]))))
        for item in gone_items:
            if item.id in tagged:
                problems.append(_l("Item %(code)s is not in the file but organisers tagged occasions with it: "
                                   "it cannot be removed.", code=item.code))
    if problems:
        raise PlanHistoryKept(problems)
    return gone_targets, gone_items


def _write(plan: Plan | None, spec: PlanSpec, departments: dict[str, Department], removed, *, source: str,
           actor) -> LoadResult:
    created_departments = []
    for name, code in spec.new_departments.items():
        dept = Department(name=name, code=code)
        db.session.add(dept)
        departments[name] = departments[code] = dept
        created_departments.append(name)
    created = plan is None
    if created:
        plan = Plan(slug=spec.slug)
        db.session.add(plan)
    plan.title, plan.issued_by, plan.issued_on = spec.title, spec.issued_by, spec.issued_on
    plan.starts_on, plan.ends_on = spec.starts_on, spec.ends_on
    plan.source = source[:200]
    plan.loaded_at = utcnow()

    gone_targets, gone_items = removed
    for target in gone_targets:
        db.session.delete(target)
    for item in gone_items:
        db.session.delete(item)
    db.session.flush()

    items = {i.code: i for i in plan.items if i not in gone_items}
    for spec_item in spec.items:
        item = items.get(spec_item.code)
        if item is None:
            item = items[spec_item.code] = PlanItem(plan=plan, code=spec_item.code)
            db.session.add(item)
        item.section, item.title, item.summary = spec_item.section, spec_item.title, spec_item.summary
        item.position, item.serves = spec_item.position, list(spec_item.serves)
        item.departments = _unique(departments[n] for n in spec_item.departments)

    targets = {t.code: t for t in plan.targets if t not in gone_targets}
    for spec_target in spec.targets:
        target = targets.get(spec_target.code)
        if target is None:
            target = targets[spec_target.code] = Target(plan=plan, code=spec_target.code)
            db.session.add(target)
        target.item = items[spec_target.item] if spec_target.item else None
        target.title, target.number, target.unit = spec_target.title, spec_target.number, spec_target.unit
        target.period, target.years, target.measure = spec_target.period, spec_target.years, spec_target.measure
        target.rule, target.definition = dict(spec_target.rule), spec_target.definition
        target.position = spec_target.position
        target.departments = _unique(departments[n] for n in spec_target.departments)
    for spec_target in spec.targets:
        targets[spec_target.code].parent = targets[spec_target.parent] if spec_target.parent else None
    db.session.flush()
    audit.record(actor, "plan.load", plan, slug=plan.slug, created=created, items=len(spec.items),
                 targets=len(spec.targets), departments_created=created_departments,
                 removed=[t.code for t in gone_targets] + [i.code for i in gone_items])
    return LoadResult(plan=plan, created=created, items=len(spec.items), targets=len(spec.targets),
                      departments_created=created_departments,
                      removed=[t.code for t in gone_targets] + [i.code for i in gone_items])


def _unique(departments) -> list[Department]:
    out = []
    for dept in departments:
        if dept not in out:
            out.append(dept)
    return out


def plans() -> list[Plan]:
    return list(db.session.scalars(sa.select(Plan).order_by(Plan.starts_on.desc(), Plan.id.desc())))


def current_plan(today: date | None = None) -> Plan | None:
    """The plan in force on `today` (Shanghai), else the latest one."""
    today = today or local_today()
    in_force = db.session.scalar(sa.select(Plan).where(Plan.starts_on <= today, Plan.ends_on >= today)
                                 .order_by(Plan.starts_on.desc(), Plan.id.desc()).limit(1))
    return in_force or db.session.scalar(sa.select(Plan).order_by(Plan.ends_on.desc(), Plan.id.desc()).limit(1))
