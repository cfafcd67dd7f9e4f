"""The attendance list an organiser downloads, with the audit row saying who took it."""
from __future__ import annotations

from app.accounts.models import User
from app.audit import services as audit
from app.checkin.services import attendance_rows
from app.events.models import Event


def attendance_export(actor: User, event: Event) -> tuple[list, list]:
    header, rows = attendance_rows(event)
    audit.record(actor, "attendance.export", event, rows=len(rows))
    return header, rows
