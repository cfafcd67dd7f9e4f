"""Every cell of every spreadsheet the app writes (XLSX and CSV) goes through `safe_cell`: text a
spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe, and
characters XLSX cannot hold are dropped. Titles, headers and data alike: a session title or a
question label is typed by a person just as an answer is."""
from __future__ import annotations

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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
