"""Registrations with answers as XLSX or CSV; personal numbers masked unless asked for.

Exports stream (issue 19): the rows, their answers and their session bookings are read through
three server-side cursors in the same order, CHUNK rows at a time, and merged as they come, so a
Talent Week of 10,000 registrants costs three statements and the memory of a chunk. The CSV is
written into the response as it is read; the XLSX is written in openpyxl's write-only mode into a
temporary file, which the response then streams."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

import sqlalchemy as sa
from flask_babel import gettext as _

from app.accounts.models import User
from app.audit import services as audit
from app.events.models import Event
from app.events.services import require_manage
from app.extensions import db
from app.privacy import mask_email, mask_id_number, mask_phone
from app.registrations.models import Registration, RegistrationAnswer, RegStatus, SessionBooking
from app.spreadsheets import Grouped, csv_chunks, xlsx_file
from app.spreadsheets import sheet_title as safe_sheet_title
from app.timeutil import fmt

CHUNK = 500


def _format_answer(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return str(value)


def export_rows(actor: User, event: Event, *, full: bool = False) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of the event's registrations, oldest first. The rows are a
    generator: they are read while they are written, after the caller has committed the audit
    row recorded here (with the number of rows as counted now)."""
    require_manage(actor, event)
    questions = [(q.id, q.label) for q in event.questions]
    sessions = [(s.id, s.title) for s in event.sessions]
    header = [_("No."), _("Name"), _("Mobile"), _("Email"), _("Employer"), _("ID number"), _("Status"),
              _("Registered at"), _("Waiting-list position")]
    header += [title for _id, title in sessions] + [label for _id, label in questions]
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                              .where(Registration.event_id == event.id))
    audit.record(actor, "registrations.export", event, full_values=full, rows=count)
    return header, _rows(event.id, [sid for sid, _t in sessions], [qid for qid, _l in questions], full)


def _rows(event_id: int, session_ids: list[int], question_ids: list[int], full: bool) -> Iterator[list]:
    statuses = {s.value: s.label for s in RegStatus}
    booking_labels = _booking_labels()
    answers = Grouped(_per_registration(event_id, RegistrationAnswer.registration_id,
                                        RegistrationAnswer.question_id, RegistrationAnswer.value)
                      if question_ids else iter(()))
    booked = Grouped(_per_registration(event_id, SessionBooking.registration_id,
                                       SessionBooking.session_id, SessionBooking.status)
                     if session_ids else iter(()))
    for number, row in enumerate(_registrations(event_id), 1):
        mine, seats = answers.take(row.id), booked.take(row.id)
        yield [
            number, row.name,
            (row.mobile or "") if full else mask_phone(row.mobile),
            (row.email or "") if full else mask_email(row.email),
            row.employer or "",
            (row.id_number or "") if full else mask_id_number(row.id_number),
            statuses.get(row.status, row.status), fmt(row.created_at), row.position or "",
            *[_seat(booking_labels, seats.get(sid)) for sid in session_ids],
            *[_format_answer(mine.get(qid)) for qid in question_ids],
        ]


# Every stream below is in the export's order (created_at, id of the registration), so the
# answers and bookings are merged with the rows as they come: three statements for the whole
# export, none per row or per chunk, and at most a chunk of each held at a time.
ORDER = (Registration.created_at, Registration.id)


def _registrations(event_id: int) -> Iterator:
    """The registrations with their person and waiting-list place, from a server-side cursor.
    The place comes from a window over the waiting rows (in queue order)."""
    waiting = Registration.status == RegStatus.WAITLISTED.value
    position = sa.case((waiting, sa.func.row_number().over(
        partition_by=waiting, order_by=(Registration.queued_at, Registration.id))))
    query = (sa.select(Registration.id, Registration.status, Registration.created_at, position.label("position"),
                       User.name, User.mobile, User.email, User.employer, User.id_number)
             .join(User, User.id == Registration.user_id)
             .where(Registration.event_id == event_id)
             .order_by(*ORDER).execution_options(yield_per=CHUNK))
    return iter(db.session.execute(query))


def _per_registration(event_id: int, registration_id, key, value) -> Iterator:
    """(registration id, key, value) of a child table, in the export's order."""
    query = (sa.select(registration_id, key, value)
             .join(Registration, Registration.id == registration_id)
             .where(Registration.event_id == event_id)
             .order_by(*ORDER).execution_options(yield_per=CHUNK))
    return iter(db.session.execute(query))


def _booking_labels() -> dict[str, str]:
    return {"cancelled": "", "confirmed": "✓", "waitlisted": _("Waiting list"), "requested": _("Not confirmed yet")}


def _seat(labels: dict[str, str], status: str | None) -> str:
    """A booking's status as a cell: a tick for a seat, nothing when cancelled or never booked."""
    return "" if status is None else labels.get(status, status)


def xlsx_stream(title: str, header: list[str], rows: Iterable[list], *, sheet_title: str | None = None,
                freeze: str = "C3", max_width: int = 60) -> IO[bytes]:
    """The workbook as a rewound temporary file, for `app.web.download` to stream: what exports
    of many rows use. Every cell is defused (spreadsheets.safe_cell): the title and header as
    well as the data."""
    return xlsx_file(title, header, rows, sheet_title=safe_sheet_title(sheet_title or _("Registrations")),
                     freeze=freeze, max_width=max_width)


def to_xlsx(title: str, header: list[str], rows: Iterable[list], *, sheet_title: str | None = None,
            freeze: str = "C3", max_width: int = 60) -> bytes:
    """A title row, a bold header and the rows, columns sized to their first rows; cells that a
    spreadsheet would run as formulas are defused. Every export of the app uses it (the
    marking-scheme sheet, which is read back, uses the same cell helpers); exports of many rows
    stream with xlsx_stream instead."""
    with xlsx_stream(title, header, rows, sheet_title=sheet_title, freeze=freeze, max_width=max_width) as out:
        return out.read()


def to_csv(header: list[str], rows: Iterable[list]) -> bytes:
    return b"".join(csv_chunks(header, rows))


def csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """The CSV in chunks (the BOM first), for a streamed response."""
    return csv_chunks(header, rows)
