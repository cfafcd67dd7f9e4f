"""The figures as XLSX for the bureau's files: one row per occasion (its kind, department-scoped as
the page is), then the totals per kind. Counts and scores only, nobody's answers; an export is
audited all the same (who took the figures out)."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from app.accounts.models import User
from app.accounts.services import organised_departments
from app.audit import services as audit
from app.satisfaction import figures
from app.spreadsheets import safe_row, sheet_title


def header() -> list[str]:
    return [_("Occasion"), _("Sent"), _("Answered"), _("Response rate"), _("Score (1–5)")]


def _line(row: figures.Row) -> list:
    return [row.label, row.sent, row.answered, figures.percent(row.response_rate),
            round(row.mean, 2) if row.mean is not None else ""]


def export_xlsx(actor: User) -> bytes:
    scope = organised_departments(actor)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(_("Satisfaction by occasion"), "Occasions")
    occasions = figures.rows(scope, by="occasion")
    for title, found in ((None, occasions), (_("By kind of occasion"), figures.rows(scope, by="kind")),
                         (_("By department"), figures.rows(scope, by="department"))):
        if title is not None:
            sheet = book.create_sheet(sheet_title(title, "Sheet"))
        sheet.append(safe_row(header()))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in found:
            sheet.append(safe_row(_line(row)))
    if occasions:  # an empty sheet says nothing about anybody
        audit.record(actor, "satisfaction.export", None, rows=len(occasions))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
