import csv
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit.models import AuditEntry
from app.events import services as ev
from app.registrations import services as reg
from app.registrations.models import Registration
from app.timeutil import fmt
from tests.conftest import login

ID = "11010519491231002X"


def _setup(db_session, create_event, create_user):
    event = create_event(capacity=1)
    admin = create_user("admin")
    q = ev.save_question(admin, event, label="关注议题", kind="multiple", choices=ev.parse_choices("落户\n住房"))
    note = ev.save_question(admin, event, label="备注", kind="text")
    db_session.commit()
    a = create_user(name="张玥", mobile="13812345678", id_number=ID, employer="紫竹高新区某公司")
    b = create_user(name="〇一", mobile="13987654321")
    reg.register(a, event, {str(q.id): ["落户", "住房"], str(note.id): "=HYPERLINK(\"http://evil\")"})
    reg.register(b, event)
    db_session.commit()
    return event


def test_xlsx_export_masks_by_default(client, db_session, create_event, create_user):
    event = _setup(db_session, create_event, create_user)
    organiser = create_user("organiser")
    login(client, organiser)
    response = client.get(f"/console/events/{event.id}/registrations.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header, first, second = rows[1], rows[2], rows[3]
    assert "关注议题" in header
    assert first[1] == "张玥" and first[2] == "138****5678" and first[5] == "110***********002X"
    assert "落户；住房" in first and "'=HYPERLINK(\"http://evil\")" in first
    assert second[1] == "〇一" and second[8] == 1  # waiting-list position
    registered = db_session.scalars(sa.select(Registration.created_at).where(Registration.event_id == event.id)
                                    .order_by(Registration.created_at, Registration.id)).all()
    assert [first[7], second[7]] == [fmt(t) for t in registered]  # "Registered at", Shanghai time
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "registrations.export"))
    assert entry.actor_id == organiser.id and entry.detail == {"full_values": False, "rows": 2}


def test_full_values_are_logged(client, db_session, create_event, create_user):
    event = _setup(db_session, create_event, create_user)
    organiser = create_user("organiser")
    login(client, organiser)
    response = client.get(f"/console/events/{event.id}/registrations.csv?full=1")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][2] == "13812345678" and rows[1][5] == ID
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "registrations.export"))
    assert entry.detail["full_values"] is True and entry.actor_id == organiser.id
