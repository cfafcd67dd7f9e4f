"""Registrations with answers as XLSX or CSV; personal numbers masked unless asked for."""
from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.events.models import Event
from app.events.services import require_manage
from app.extensions import db
from app.privacy import mask_email, mask_id_number, mask_phone
from app.registrations.models import Registration, RegStatus
from app.spreadsheets import safe_cell, safe_row
from app.spreadsheets import sheet_title as safe_sheet_title
from app.timeutil import fmt


def _format_answer(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return str(value)


def export_rows(actor: User, event: Event, *, full: bool = False) -> tuple[list[str], list[list]]:
    require_manage(actor, event)
    questions = list(event.questions)
    sessions = list(event.sessions)
    header = [_("No."), _("Name"), _("Mobile"), _("Email"), _("Employer"), _("ID number"), _("Status"),
              _("Registered at"), _("Waiting-list position")]
    header += [s.title for s in sessions] + [q.label for q in questions]
    registrations = db.session.scalars(
        sa.select(Registration).where(Registration.event_id == event.id)
        .options(selectinload(Registration.user), selectinload(Registration.answers),
                 selectinload(Registration.bookings))
        .order_by(Registration.created_at, Registration.id)).all()
    waiting = sorted((r for r in registrations if r.status == RegStatus.WAITLISTED.value),
                     key=lambda r: (r.queued_at, r.id))
    position = {r.id: i + 1 for i, r in enumerate(waiting)}
    rows = []
    for n, reg in enumerate(registrations, 1):
        user = reg.user
        answers = reg.answer_map()
        booked = {b.session_id: b.status for b in reg.bookings}
        rows.append([
            n, user.name,
            (user.mobile or "") if full else mask_phone(user.mobile),
            (user.email or "") if full else mask_email(user.email),
            user.employer or "",
            (user.id_number or "") if full else mask_id_number(user.id_number),
            reg.status_enum.label, fmt(reg.created_at), position.get(reg.id, ""),
            *[_session_label(booked.get(s.id)) for s in sessions],
            *[_format_answer(answers.get(q.id)) for q in questions],
        ])
    audit.record(actor, "registrations.export", event, full_values=full, rows=len(rows))
    return header, rows


def _session_label(status: str | None) -> str:
    if status is None or status == "cancelled":
        return ""
    return {"confirmed": "✓", "waitlisted": _("Waiting list"), "requested": _("Not confirmed yet")}.get(status, status)


def to_xlsx(title: str, header: list[str], rows: list[list], *, sheet_title: str | None = None,
            freeze: str = "C3", max_width: int = 60) -> bytes:
    """A title row, a bold header and the rows, columns sized to their content; cells that a
    spreadsheet would run as formulas are defused (spreadsheets.safe_cell): the title and header
    as well as the data. Every export of the app uses it (the marking-scheme sheet, which is read
    back, uses the same cell helpers)."""
    book = Workbook()
    sheet = book.active
    sheet.title = safe_sheet_title(sheet_title or _("Registrations"))
    sheet.append([safe_cell(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(safe_row(header))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    for i, name in enumerate(header, 1):
        width = max([len(str(name))] + [len(str(r[i - 1])) for r in rows[:200]]) + 2
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width * 1.6, 8), max_width)
    sheet.freeze_panes = freeze
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    # BOM: Excel on Chinese Windows reads UTF-8 CSV correctly only with it.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
