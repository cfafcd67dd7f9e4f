"""The figures as XLSX for the bureau's files: one row per programme and months after its end.
Counts only, nobody's answers; an export with figures is audited all the same (who took them out)."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from app.accounts.models import User
from app.audit import services as audit
from app.followups.figures import WORKING_ORDER, figures, percent
from app.followups.models import ProgrammeKind, Working
from app.spreadsheets import safe_row, sheet_title


def header() -> list[str]:
    return [_("Programme kind"), _("Programme"), _("Months after the end"), _("Sent"), _("Answered"),
            _("Response rate"), _("In Minhang"), _("Share in Minhang")] + [Working(w).label for w in WORKING_ORDER] \
        + [_("Founders' funding, sum (万元)"), _("Founders' funding, median (万元)"), _("Team size, sum"),
           _("Team size, median")]


def export_xlsx(actor: User) -> bytes:
    rows = figures(actor)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(_("Follow-up surveys"), "Followups")
    sheet.append(safe_row(header()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for f in rows:
        sheet.append(safe_row([
            ProgrammeKind.label_of(f.programme_kind), f.label, f.months_after, f.sent, f.answered,
            percent(f.response_rate), f.in_minhang, percent(f.in_minhang_share)]
            + [f.working[w] for w in WORKING_ORDER]
            + [f.funding_sum, f.funding_median if f.funding_median is not None else "", f.team_sum,
               f.team_median if f.team_median is not None else ""]))
    if rows:  # an empty sheet says nothing about anybody
        audit.record(actor, "followups.export", None, rows=len(rows))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
