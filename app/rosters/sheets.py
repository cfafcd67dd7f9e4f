"""A roster as XLSX for the bureau's files: each member with term, status and what came through
their referral link. Phones are masked (the sheet leaves the system); the export is audited."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from app.accounts.models import User
from app.audit import services as audit
from app.privacy import mask_phone
from app.rosters import referrals
from app.rosters.models import RosterKind
from app.rosters.services import members_for
from app.spreadsheets import safe_row, sheet_title


def header() -> list[str]:
    return [_("Name"), _("Mobile"), _("Organisation"), _("Expertise"), _("Department"), _("Term from"),
            _("Term to"), _("Status"), _("Referral code"), _("Event registrations"), _("Confirmed"), _("Came to the event"),
            _("Camp applications"), _("Admitted")]


def export_xlsx(actor: User, kind: RosterKind) -> bytes:
    members = members_for(actor, kind)
    credit = referrals.credits(members)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(kind.label, kind.value)
    sheet.append(safe_row(header()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for m in members:
        c = credit[m.id]
        sheet.append(safe_row([
            m.user.name, mask_phone(m.user.mobile), m.organisation.name if m.organisation else "", m.expertise,
            m.department.name, m.term_from.isoformat(), m.term_to.isoformat(), m.status_label,
            m.referral_code or "", c.registrations, c.confirmed, c.attended, c.applications, c.admitted]))
    if members:  # an empty sheet holds nobody's data
        audit.record(actor, "roster.export", None, kind=kind.value, count=len(members))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
