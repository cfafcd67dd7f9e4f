"""Marking schemes: a category's criteria → aspects. Measurement aspects: the judge picks one of
the defined outcomes (label=marks; the best earns the maximum). Judgement aspects: three judges
give 0–3 each. The scheme is fixed once scoring has begun.

Schemes go to and from XLSX. Column layout (first worksheet; row 1 is the header and is not
read; one aspect per row; empty rows are skipped):

    A 评分项 Criterion     the criterion's name; empty = the criterion of the row above
    B 评分细则 Aspect      what is marked (up to 300 characters)
    C 类型 Type            measurement / judgement (also 测量 / 评价)
    D 满分 Max mark        a number above 0 with at most two decimals
    E 结果选项 Outcomes    measurement only: label=marks separated by ";", e.g.
                           完全正确=3; 部分正确=1.5; 错误=0 — the best outcome earns the maximum;
                           empty for judgement (three judges give 0–3)

An import replaces the whole scheme, and only when every row is right: otherwise each wrong row
gets its own message and nothing changes.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.competitions.access import require_run
from app.competitions.models import Aspect, AspectKind, Category, Criterion, Entry, Score
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.spreadsheets import safe_row, sheet_rows, sheet_title

CENT = Decimal("0.01")
KIND_WORDS = {"measurement": AspectKind.MEASUREMENT.value, "测量": AspectKind.MEASUREMENT.value,
              "客观": AspectKind.MEASUREMENT.value, "judgement": AspectKind.JUDGEMENT.value,
              "judgment": AspectKind.JUDGEMENT.value, "评价": AspectKind.JUDGEMENT.value,
              "主观": AspectKind.JUDGEMENT.value}
MAX_ROWS = 500


def find_criterion(criterion_id: int) -> Criterion | None:
    return db.session.get(Criterion, criterion_id)


def find_aspect(aspect_id: int) -> Aspect | None:
    return db.session.get(Aspect, aspect_id)


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


# -- XLSX --------------------------------------------------------------------------------------
def header() -> list[str]:
    return [_("Criterion"), _("Aspect"), _("Type (measurement / judgement)"), _("Max mark"),
            _("Outcomes (measurement: label=marks; …)")]


def load_scheme(category: Category) -> Category:
    """The category with its criteria and their aspects loaded (three statements, however many
    criteria), for the pages and the export that show the whole scheme."""
    db.session.execute(sa.select(Category).where(Category.id == category.id)
                       .options(selectinload(Category.criteria).selectinload(Criterion.aspects))).all()
    return category


def export_xlsx(category: Category) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(category.name, "scheme")
    sheet.append(safe_row(header()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for criterion in category.criteria:
        for aspect in criterion.aspects:
            mark = aspect.max_mark
            sheet.append(safe_row([criterion.name, aspect.description, aspect.kind,
                                   float(mark) if mark != mark.to_integral_value() else int(mark),
                                   outcomes_text(aspect)]))
    for column, width in zip("ABCDE", (24, 48, 14, 10, 48)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[dict]:
    """The rows of a scheme sheet, checked; InvalidInput with one message per wrong row."""
    filled, too_long = sheet_rows(data, 5, MAX_ROWS)
    errors: dict[str, object] = {}
    rows, criterion = [], ""
    for number, cells in filled:
        name, description, kind_word, max_text, outcome_text = cells
        criterion = name or criterion
        problems = []
        if not criterion:
            problems.append(_l("the criterion is empty"))
        elif len(criterion) > 120:
            problems.append(_l("the criterion name is longer than 120 characters"))
        if not description:
            problems.append(_l("the aspect is empty"))
        elif len(description) > 300:
            problems.append(_l("the aspect is longer than 300 characters"))
        kind = KIND_WORDS.get(kind_word.casefold())
        if kind is None:
            problems.append(_l("the type must be measurement or judgement"))
        mark = None
        try:
            mark = parse_mark(max_text, allow_zero=False)
        except ValueError:
            problems.append(_l("the max mark must be a number above 0 with at most two decimals"))
        outcomes = []
        try:
            outcomes = parse_outcomes(outcome_text)
        except ValueError:
            problems.append(_l("write the outcomes as label=marks; label=marks"))
        if kind and mark is not None and not problems:
            problem = check_aspect(kind, mark, outcomes)
            if problem:
                problems.append(problem)
        if problems:
            errors[f"row{number}"] = _l("Row %(n)s: %(problems)s.", n=number,
                                        problems="; ".join(str(p) for p in problems))
        else:
            rows.append({"criterion": criterion, "description": description, "kind": kind, "max_mark": mark,
                         "outcomes": outcomes})
    if too_long:
        errors["file"] = _l("At most %(n)s aspects.", n=MAX_ROWS)
    if not rows and not errors:
        errors["file"] = _l("The sheet has no aspects below its header row.")
    if errors:
        raise InvalidInput(fields=errors)
    return rows


def import_xlsx(actor, category: Category, data: bytes):
    """Replace the category's scheme with the workbook's; nothing changes unless all rows are right."""
    require_scheme_editable(actor, category)
    return replace_scheme(actor, category, read_xlsx(data))
