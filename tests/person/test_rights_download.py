"""A person's download: every kind of their rows in the JSON, no secrets, a readable PDF in a CJK
font; each download audited."""
from __future__ import annotations

import json

import sqlalchemy as sa

from app.accounts import services as accounts
from app.accounts.models import User
from app.audit.models import AuditEntry
from tests.fixtures.accounts import login
from tests.fixtures.certificates import pdf_file, pdf_fonts, pdf_text


def test_json_holds_each_kind_of_row_and_no_secret(client, db_session, active_person):
    p = active_person
    token = accounts.issue_api_token(p.user, "我的脚本")
    db_session.commit()
    login(client, p.user)
    response = client.get("/me/data.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    body = response.get_data(as_text=True)
    data = json.loads(body)
    assert data["profile"]["name"] == p.values.name and data["profile"]["id_number"] == p.values.id_number
    tables = data["tables"]
    for kind in ("registrations", "registration_answers", "scans", "registration_history", "applications",
                 "application_history", "competition_entries", "competition_team_members", "pitch_entries",
                 "pitch_members", "certificates", "outbox", "privacy_consents", "api_tokens", "user_sessions"):
        assert tables.get(kind), kind
    assert [a["value"] for a in tables["registration_answers"]] == [p.values.answer]
    assert {r["event_id"] for r in tables["registrations"]} >= {p.event.id}
    assert tables["api_tokens"][0]["name"] == "我的脚本"
    # No credential or key: none of the columns, none of the values.
    user = db_session.get(User, p.user.id)
    registration_secret = db_session.execute(sa.text("SELECT ticket_secret FROM registrations WHERE id = :id"),
                                             {"id": p.registration.id}).scalar()
    for secret in (user.password_hash, registration_secret, token, accounts._hash_token(token)):
        assert secret not in body
    for name in ("password_hash", "token_hash", "ticket_secret", "calendar_token"):
        assert f'"{name}"' not in body
    assert all("id" not in row for row in tables["user_sessions"])  # a session's id is its cookie
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "person.data_export"))
    assert entry.subject_id == p.user.id and entry.detail["format"] == "json"
    assert entry.detail["rows"]["registrations"] == len(tables["registrations"])


def test_another_persons_rows_are_not_in_my_download(client, db_session, active_person):
    other = active_person.others[0]
    login(client, other.user)
    body = client.get("/me/data.json").get_data(as_text=True)
    assert active_person.values.name not in body and active_person.values.answer not in body
    assert active_person.values.team_mate not in body


def test_pdf_is_readable_in_a_cjk_font(client, db_session, tmp_path, active_person):
    login(client, active_person.user)
    response = client.get("/me/data.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    path = pdf_file(tmp_path, response.data)
    fonts = pdf_fonts(path)
    assert any("CJK" in f["name"] and f["emb"] == "yes" and f["uni"] == "yes" for f in fonts), fonts
    text = pdf_text(path)
    assert active_person.values.name in text and "签到" in text
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "person.data_export"))
    assert entry.detail["format"] == "pdf"


def test_downloads_need_a_sign_in(client):
    for path in ("/me/data", "/me/data.json", "/me/data.pdf", "/me/data/erase"):
        assert client.get(path).status_code == 302, path
