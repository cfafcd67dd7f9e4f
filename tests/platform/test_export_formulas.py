"""Every cell of an export is neutralised against spreadsheet formulas — titles and headers as well
as data rows (issue 11, finding 10)."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from app.checkin.services import ensure_checkpoints
from app.events import services as ev
from app.lifecycle import agenda
from app.registrations import services as reg
from app.spreadsheets import FORMULA_START
from app.timeutil import utcnow
from tests.conftest import login

EVIL_TITLE = '=HYPERLINK("http://evil.example","x")'
EVIL_SESSION = '=HYPERLINK("http://evil.example/s")'
EVIL_LABEL = "+cmd|' /C calc'!A0"
EVIL_CHECKPOINT = "@SUM(1)"


def _assert_neutral(cells):
    cells = [c for c in cells if isinstance(c, str)]
    assert cells
    for value in cells:
        assert value[:1] not in FORMULA_START, value


def _xlsx_cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    cells = []
    for sheet in book.worksheets:
        assert sheet.title[:1] not in FORMULA_START
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value  # nothing stored as a formula
                cells.append(cell.value)
    return cells


def _event(db_session, create_event, create_user):
    admin = create_user("admin")
    start = utcnow() + timedelta(days=3)
    event = create_event(title=EVIL_TITLE, starts_at=start, ends_at=start + timedelta(hours=4))
    session = agenda.save_session(admin, event, title=EVIL_SESSION, starts_at=start,
                                  ends_at=start + timedelta(hours=1))
    ev.save_question(admin, event, label=EVIL_LABEL, kind="text")
    db_session.flush()
    points = ensure_checkpoints(event)
    points[0].name = EVIL_CHECKPOINT
    reg.register(create_user(name="-张三"), event, sessions_all(event), [session.id])
    db_session.commit()
    return event


def sessions_all(event):
    return {str(q.id): "@answer" for q in event.questions}


def test_registration_exports_neutralise_titles_headers_and_data(client, db_session, create_event, create_user):
    event = _event(db_session, create_event, create_user)
    login(client, create_user("organiser"))
    xlsx = client.get(f"/console/events/{event.id}/registrations.xlsx")
    assert xlsx.status_code == 200
    cells = _xlsx_cells(xlsx.data)
    _assert_neutral(cells)
    assert "'" + EVIL_TITLE in cells and "'" + EVIL_SESSION in cells and "'" + EVIL_LABEL in cells

    response = client.get(f"/console/events/{event.id}/registrations.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    flat = [c for row in rows for c in row]
    _assert_neutral(flat)
    assert "'" + EVIL_SESSION in rows[0] and "'" + EVIL_LABEL in rows[0]


def test_attendance_export_neutralises_checkpoint_names(client, db_session, create_event, create_user):
    event = _event(db_session, create_event, create_user)
    login(client, create_user("organiser"))
    response = client.get(f"/console/events/{event.id}/attendance.xlsx")
    assert response.status_code == 200
    cells = _xlsx_cells(response.data)
    _assert_neutral(cells)
    assert "'" + EVIL_CHECKPOINT in cells and "'" + EVIL_TITLE in cells


def test_marking_scheme_sheet_is_neutral_and_reads_back_as_typed(db_session, contest):
    from app.competitions import schemes
    from app.competitions import services as cs

    organiser, competition = contest.organiser, contest.competition
    start = utcnow() + timedelta(days=2)
    category = cs.save_category(organiser, competition, name="=A1/[护理]:?*", venue="V", starts_at=start,
                                ends_at=start + timedelta(hours=8), capacity=10)
    criterion = cs.add_criterion(organiser, category, name="=1+1")
    cs.add_aspect(organiser, criterion, description="-血压", kind="judgement", max_mark="6")
    db_session.commit()
    data = schemes.export_xlsx(category)
    _assert_neutral(_xlsx_cells(data))
    rows = schemes.read_xlsx(data)
    assert rows[0]["criterion"] == "=1+1" and rows[0]["description"] == "-血压"
