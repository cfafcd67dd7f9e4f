"""Every cell of every spreadsheet the app writes (XLSX and CSV) goes through `safe_cell`: text a
spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe, and
characters XLSX cannot hold are dropped. Titles, headers and data alike: a session title or a
question label is typed by a person just as an answer is."""
from __future__ import annotations

import io
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from app.errors import InvalidInput

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def safe_cell(value):
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value[:1] in FORMULA_START:
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


def unescape_cell(value):
    """What safe_cell wrote, as typed: for sheets the app reads back (a marking scheme)."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def sheet_title(text: str, fallback: str = "Sheet") -> str:
    """A worksheet name Excel accepts (at most 31 characters, none of \\ / * ? : [ ]), not starting
    like a formula either: formulas refer to sheets by name."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", text or ""))
    cleaned = cleaned.lstrip("".join(FORMULA_START) + " '")[:31].strip()
    return cleaned or fallback


def cell_text(value, *, keep_dates: bool = False):
    """A cell read back as typed: whole numbers without ".0", what safe_cell escaped unescaped,
    surrounding spaces gone; with `keep_dates`, a date cell stays a date for the caller to check."""
    if value is None:
        return ""
    if keep_dates and isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(unescape_cell(str(value))).strip()


def sheet_rows(data: bytes, width: int, max_rows: int, *, keep_dates: bool = False) -> tuple[list, bool]:
    """The filled rows below the header of an uploaded workbook's first sheet, as (row number,
    `width` cells read by cell_text), and whether the sheet has more than `max_rows` rows. A file
    that is no workbook at all is the file field's error: every reader says it the same way."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        raw_rows = list(book.worksheets[0].iter_rows(min_row=2, max_row=max_rows + 2, max_col=width,
                                                     values_only=True))
    except Exception:  # noqa: BLE001 - anything unreadable is the same message to the person
        raise InvalidInput(fields={"file": _l("This is not an XLSX workbook.")}) from None
    rows = []
    for number, raw in enumerate(raw_rows, start=2):
        cells = [cell_text(v, keep_dates=keep_dates) for v in list(raw)[:width] + [None] * (width - len(raw))]
        if any(str(c) for c in cells):
            rows.append((number, cells))
    return rows, len(raw_rows) > max_rows
