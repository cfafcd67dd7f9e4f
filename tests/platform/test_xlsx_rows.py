"""The fast row writer (app/xlsx_rows.py) writes what openpyxl's own writer writes: the same cells,
values and types read back, for text that needs escaping, spaces, line breaks, empty text, None,
numbers; rows it does not handle (dates, floats, formulas) go through openpyxl unchanged. And
spreadsheets.safe_cell's fast path escapes and cleans exactly as the regex alone did."""
from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from app.spreadsheets import FORMULA_START, safe_cell, xlsx_file
from app.xlsx_rows import plain_rows

ROWS = [
    [1, "张伟明", "138****5678", "", None, "310112********1234", "已确认", "2026-12-14 09:00"],
    [2, "a & b <c> \"d\" 'e'", " leading", "trailing ", "line\nbreak", "cr\rhere", "tab\there", "\u3000全角"],
    [3, "'=SUM(A1)", "✓", "落户；住房", 0, -7, 10**17, "x" * 40000],
    [4, date(2026, 12, 14), "a row with a date goes through openpyxl", None, "", 1],
    [5, 2.5, datetime(2026, 12, 14, 9, 30), True],
    [6, "=1+1", "a formula: openpyxl's own writer"],
    [],
    [None, None, "after two empty cells"],
]


def _book(fast: bool) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(["header"])
    if fast:
        plain_rows(sheet)
    for n, row in enumerate(ROWS):
        sheet.append(row if n % 2 else (value for value in row))  # openpyxl takes generators too
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cells(data: bytes) -> list:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [[(c.coordinate, c.value, c.data_type) for c in row] for row in sheet.iter_rows()]


def test_the_fast_rows_read_back_as_openpyxls():
    assert _cells(_book(fast=True)) == _cells(_book(fast=False))


def test_the_fast_rows_keep_text_as_typed():
    cells = {coordinate: value for row in _cells(_book(fast=True)) for coordinate, value, _t in row}
    assert cells["B3"] == "a & b <c> \"d\" 'e'"
    assert cells["F3"] == "cr\rhere" and cells["E3"] == "line\nbreak" and cells["C3"] == " leading"
    assert cells["G4"] == 10**17 and cells["H4"] == "x" * 32767


def test_plain_rows_needs_a_write_only_sheet_that_has_begun():
    sheet = Workbook(write_only=True).create_sheet("s")
    with pytest.raises(RuntimeError):
        plain_rows(sheet)


@pytest.mark.parametrize("value", ["普通文字", "=cmd", "+1", "-1", "@x", "\tx", "\rx", "a\x00b\x1fc", "\u3000x",
                                   "\x0b=x", "", "ok\nline", "'=x", 12, None])
def test_safe_cell_is_the_regex_then_the_apostrophe(value):
    expected = value
    if isinstance(value, str):
        expected = ILLEGAL_CHARACTERS_RE.sub("", value)
        expected = "'" + expected if expected[:1] in FORMULA_START else expected
    assert safe_cell(value) == expected


def test_an_export_reads_back_with_its_title_header_and_rows():
    rows = [[n, f"=evil{n}", "", None, " 空格 "] for n in range(1, 301)]
    with xlsx_file("=title", ["No.", "+Name", "Empty", "None", "Spaced"], rows, sheet_title="s") as out:
        sheet = load_workbook(out).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "'=title" and values[1] == ["No.", "'+Name", "Empty", "None", "Spaced"]
    assert values[2:] == [[n, f"'=evil{n}", None, None, " 空格 "] for n in range(1, 301)]
    assert not any(re.match("=", str(v)) for row in values for v in row)
