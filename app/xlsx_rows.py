"""Data rows of a write-only openpyxl sheet written as one XML element per row (issue 19).

openpyxl writes each cell through a WriteOnlyCell, its type checks and four nested lxml context
managers: about 6 µs a cell, two thirds of a 10,000-row export. A row of plain values (text and
whole numbers, the cells of every export) says the same thing as one `<row>` element parsed from
text and written at once, at about 40 % of the cost. What this writes is what openpyxl writes
(tests/platform/test_xlsx_rows.py reads both back): `t="inlineStr"` text with xml:space="preserve" when it
has surrounding spaces, `t="n"` numbers, an empty text as an empty cell, None as no cell. A row
with any other value (a date, a float, a bool, a styled cell, a formula) goes through openpyxl's
own writer. Text is expected clean: spreadsheets.safe_cell has dropped what XML cannot hold.

It plugs into openpyxl 3.1's write-only worksheet (its `_values_to_row` and the writer's
`write_row`, pinned in requirements.txt); `plain_rows` refuses a sheet that lacks them, so an
upgrade that changes them fails the export tests rather than writing a different file."""
from __future__ import annotations

from lxml import etree
from openpyxl.utils import get_column_letter

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                          # a parser turns a raw CR into LF: keep it as openpyxl's serialiser does
                          "\r": "&#13;"})
_LETTERS = [get_column_letter(i) for i in range(1, 16385)]


def plain_rows(sheet) -> None:
    """From now on, rows appended to the write-only `sheet` are written by `_row_element` (rows of
    plain values) or by openpyxl (any other row)."""
    writer = sheet._writer
    if writer is None or not callable(getattr(sheet, "_values_to_row", None)) \
            or not callable(getattr(writer, "write_row", None)):
        raise RuntimeError("plain_rows: not an openpyxl 3.1 write-only sheet with its first row written")
    cells_of, write_cells = sheet._values_to_row, writer.write_row

    def write_row(xf, values, row_idx: int) -> None:
        if not isinstance(values, (list, tuple)):
            values = list(values)  # a generator is read once: openpyxl may need it after us
        element = _row_element(values, row_idx, sheet.row_dimensions)
        if element is None:
            write_cells(xf, cells_of(values, row_idx), row_idx)
        else:
            xf.write(element)

    # the sheet hands what was appended to the writer untouched; write_row decides who writes it
    sheet._values_to_row = lambda values, row_idx: values
    writer.write_row = write_row


def _row_element(values, row_idx: int, dimensions):
    """The `<row>` of plain values, or None when a value is not plain or the row has dimensions."""
    if row_idx in dimensions:
        return None  # a height or a style of its own: openpyxl adds it to the row's attributes
    r = str(row_idx)
    parts = [f'<row r="{r}">']
    for col, value in enumerate(values):
        kind = type(value)
        if kind is str:
            if not value:
                parts.append(f'<c r="{_LETTERS[col]}{r}" t="inlineStr"/>')
                continue
            if value[0] == "=" and len(value) > 1:
                return None  # openpyxl writes it as a formula
            # Excel holds at most 32,767 characters in a cell: openpyxl cuts there too
            value = value[:32767]
            space = ' xml:space="preserve"' if value != value.strip() else ""
            parts.append(f'<c r="{_LETTERS[col]}{r}" t="inlineStr"><is><t{space}>'
                         f'{value.translate(_ESCAPES)}</t></is></c>')
        elif kind is int:
            parts.append(f'<c r="{_LETTERS[col]}{r}" t="n"><v>{"%.16g" % value}</v></c>')  # as openpyxl
        elif value is not None:
            return None
    parts.append("</row>")
    return etree.fromstring("".join(parts))
