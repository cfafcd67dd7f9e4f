"""A person's download: everything stored about them, as data (JSON) — the PDF is the same content
laid out for reading (pdf.py). Each download is audited ("person.data_export")."""
from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts import consents
from app.audit import services as audit
from app.extensions import db
from app.person.rights import inventory
from app.timeutil import iso, utcnow

# Headings for the kinds most people have; any other table is shown under its own name.
SECTIONS = {
    "privacy_consents": _l("Privacy consents"),
    "registrations": _l("Registrations"),
    "registration_answers": _l("Answers to registration questions"),
    "registration_history": _l("Registration history"),
    "scans": _l("Check-ins (scans)"),
    "session_bookings": _l("Session bookings"),
    "reminders": _l("Reminders"),
    "applications": _l("Camp applications"),
    "application_history": _l("Camp application history"),
    "enrolments": _l("Camp enrolments"),
    "grades": _l("Grades"),
    "attendance_marks": _l("Attendance"),
    "competition_entries": _l("Competition entries"),
    "competition_team_members": _l("Team members"),
    "competition_scores": _l("Competition scores"),
    "competition_results": _l("Competition results"),
    "pitch_entries": _l("Pitch competition entries"),
    "pitch_members": _l("Pitch team members"),
    "pitch_scores": _l("Pitch scores"),
    "apprenticeships": _l("Apprenticeships"),
    "trainee_applications": _l("Traineeship applications"),
    "placements": _l("Traineeship placements"),
    "traineeship_evaluations": _l("Traineeship evaluations"),
    "mentor_pairings": _l("Mentoring"),
    "mentoring_sessions": _l("Mentoring sessions"),
    "certificates": _l("Certificates"),
    "inbox_messages": _l("Inbox"),
    "outbox": _l("Mail sent to you"),
    "sms_messages": _l("Text messages sent to you"),
    "api_tokens": _l("API tokens"),
    "user_sessions": _l("Sign-ins"),
    "fair_interests": _l("Job fair applications"),
    "satisfaction_surveys": _l("Satisfaction surveys"),
    "satisfaction_answers": _l("Answers to satisfaction surveys"),
}


def section_title(table_name: str) -> str:
    title = SECTIONS.get(table_name)
    return str(title) if title is not None else table_name.replace("_", " ")


def _plain(value):
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _without_secrets(table: sa.Table, row: dict) -> dict:
    return {name: _plain(value) for name, value in row.items()
            if not inventory.is_secret(table, table.c[name])}


def collect(user) -> dict:
    """Everything stored about `user`: the profile, then every table of theirs with its rows."""
    users = inventory.users_table()
    profile_row = dict(db.session.execute(sa.select(users).where(users.c.id == user.id)).mappings().one())
    profile = _without_secrets(users, profile_row)
    profile["roles"] = sorted(user.roles)
    profile["departments"] = [d.name for d in user.departments]
    profile["calendar_feed"] = bool(user.calendar_token)
    tables = {}
    for name, rows in sorted(inventory.person_rows(user.id).items()):
        table = db.metadata.tables[name]
        tables[name] = [_without_secrets(table, row) for row in rows]
    return {"generated_at": iso(utcnow()), "privacy_notice_version": consents.current_version(),
            "profile": profile, "tables": tables}


def export(actor, user, fmt: str) -> dict:
    """The download of `user`'s data for `actor` (themselves), audited with its format and size."""
    data = collect(user)
    audit.record(actor, "person.data_export", user, format=fmt,
                 rows={name: len(rows) for name, rows in data["tables"].items()})
    return data
