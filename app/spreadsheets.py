"""Every cell of every spreadsheet the app writes (XLSX and CSV) goes through `safe_cell`: text a
spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe, and
characters XLSX cannot hold are dropped. Titles, headers and data alike: a session title or a
question label is typed by a person just as an answer is."""
from __future__ import annotations

import csv
import io
import itertools
import re
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timezone
from typing import IO
from zipfile import ZIP_DEFLATED, ZipFile

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from app.errors import InvalidInput
from app.xlsx_rows import plain_rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
# Column widths are guessed from this many rows: write-only sheets need them before the first row.
WIDTH_SAMPLE = 200
# A workbook up to this size stays in memory; a larger one goes to a temporary file.
SPOOL_BYTES = 4 * 1024 * 1024
# zlib level of the workbook's zip: 3 packs a 13,000-row sheet (11 MB of XML) in 0.03 s CPU to
# 827 KB, the default 6 in 0.08 s to 745 KB, 1 in 0.025 s to 936 KB (measured 2026-12-07)
ZIP_LEVEL = 3


def safe_cell(value):
    if not isinstance(value, str):
        return value
    # Every character XLSX cannot hold is a control character, so text that is all printable
    # (isprintable runs in C; most cells are) needs no regex.
    if not value.isprintable():
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


def xlsx_file(title: str | None, header: list[str], rows: Iterable[list], *, sheet_title: str,
              freeze: str | None = "C3", max_width: int = 60) -> IO[bytes]:
    """A title row (none when `title` is None), a bold header and the rows, as an XLSX workbook in
    a (spooled) temporary file, rewound. openpyxl's write-only mode keeps only the row being written in memory, so
    `rows` may be a generator over a server-side cursor; the zip is assembled into the file at
    save, never as one bytes object."""
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    for i, name in enumerate(header, 1):
        width = max([len(str(name))] + [len(str(r[i - 1])) for r in sample]) + 2
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width * 1.6, 8), max_width)
    sheet.freeze_panes = freeze
    if title is not None:
        sheet.append([_styled(sheet, safe_cell(title), Font(bold=True, size=13))])
    bold = Font(bold=True)
    sheet.append([_styled(sheet, v, bold) for v in safe_row(header)])
    plain_rows(sheet)
    for row in itertools.chain(sample, rows):
        sheet.append(safe_row(row))
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    _save(book, out)
    out.seek(0)
    return out


def _save(book: Workbook, out: IO[bytes]) -> None:
    """Workbook.save (openpyxl's save_workbook) with the zip level ZIP_LEVEL instead of zlib's
    default: the sheet's XML is megabytes of repetitive markup, which level 3 packs in under half
    the time for a file a tenth larger."""
    archive = ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=ZIP_LEVEL)
    book.properties.modified = datetime.now(tz=timezone.utc).replace(tzinfo=None)
    ExcelWriter(book, archive).save()


def _styled(sheet, value, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


class Grouped:
    """{key: value} of each parent row in turn, from a stream of (parent id, key, value) in the
    order of the parent rows: a streamed export merges a child table with its rows as they come,
    one statement for the whole export and none per row."""

    def __init__(self, stream: Iterator):
        self.stream, self.ahead = stream, next(stream, None)

    def take(self, parent_id: int) -> dict:
        found = {}
        while self.ahead is not None and self.ahead[0] == parent_id:
            found[self.ahead[1]] = self.ahead[2]
            self.ahead = next(self.stream, None)
        return found


def csv_chunks(header: list[str], rows: Iterable[list], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The CSV as UTF-8 byte chunks of a few hundred rows each, for a streamed response. The BOM
    first: Excel on Chinese Windows reads UTF-8 CSV correctly only with it."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(safe_row(header))
    for n, row in enumerate(rows, 1):
        writer.writerow(safe_row(row))
        if n % rows_per_chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")
