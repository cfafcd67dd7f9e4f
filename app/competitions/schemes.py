"""Marking schemes to and from XLSX.

Column layout (first worksheet; row 1 is the header and is not read; one aspect per row; empty
rows are skipped):

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

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from app.competitions.models import AspectKind, Category
from app.competitions.services import (
    check_aspect,
    outcomes_text,
    parse_mark,
    parse_outcomes,
    replace_scheme,
    require_scheme_editable,
)
from app.errors import InvalidInput
from app.spreadsheets import safe_row, sheet_title, unescape_cell

KIND_WORDS = {"measurement": AspectKind.MEASUREMENT.value, "测量": AspectKind.MEASUREMENT.value,
              "客观": AspectKind.MEASUREMENT.value, "judgement": AspectKind.JUDGEMENT.value,
              "judgment": AspectKind.JUDGEMENT.value, "评价": AspectKind.JUDGEMENT.value,
              "主观": AspectKind.JUDGEMENT.value}
MAX_ROWS = 500


def header() -> list[str]:
    return [_("Criterion"), _("Aspect"), _("Type (measurement / judgement)"), _("Max mark"),
            _("Outcomes (measurement: label=marks; …)")]


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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(unescape_cell(value)).strip()


def read_xlsx(data: bytes) -> list[dict]:
    """The rows of a scheme sheet, checked; InvalidInput with one message per wrong row."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        raw_rows = list(sheet.iter_rows(min_row=2, max_row=MAX_ROWS + 2, max_col=5, values_only=True))
    except Exception:  # noqa: BLE001 - anything unreadable is the same message to the person
        raise InvalidInput(fields={"file": _l("This is not an XLSX workbook.")}) from None
    errors: dict[str, object] = {}
    rows, criterion = [], ""
    for number, values in enumerate(raw_rows, start=2):
        values = list(values) + [None] * (5 - len(values))
        cells = [_text(v) for v in values[:5]]
        if not any(cells):
            continue
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
    if len(raw_rows) > MAX_ROWS:
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
