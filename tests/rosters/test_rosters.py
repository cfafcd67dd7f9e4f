"""Rosters of mentors, ambassadors and recruiting officers: appointing (one current appointment of a
kind per person), the status moves and an expired term, the pages, the XLSX export and the 聘书."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit.models import AuditEntry
from app.certificates import batches
from app.certificates import services as certificates
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.rosters import letters
from app.rosters import services as rosters
from app.rosters.models import RosterMember
from app.timeutil import local_today
from app.transitions import IllegalTransition, changes_of
from tests.conftest import login
from tests.fixtures.certificates import pdf_file, pdf_fonts, pdf_text


def test_appointing_checks_scope_input_and_one_current_appointment(db_session, appoint, create_user, departments,
                                                                  create_organisation):
    company = create_organisation(kind="company", name="上海闵行跨境科技有限公司")
    member = appoint("ambassador", organisation_id=company.id)
    assert member.status == "active" and member.serving and member.organisation.name == "上海闵行跨境科技有限公司"
    assert len(member.referral_code) == 8 and member.user.mobile not in member.referral_code
    assert appoint("mentor").referral_code is None  # mentors bring nobody in by link
    with pytest.raises(Conflict) as twice:
        rosters.appoint(member.organiser, kind="ambassador", user=member.user, department=departments["talent_center"],
                        term_from=date(2026, 1, 1), term_to=date(2027, 1, 1))
    assert twice.value.code == "already_appointed"
    other = create_user("organiser", department="skills")
    with pytest.raises(PermissionDenied):
        rosters.appoint(other, kind="officer", user=create_user(), department=departments["talent_center"],
                        term_from=date(2026, 1, 1), term_to=date(2027, 1, 1))
    with pytest.raises(PermissionDenied):
        rosters.set_status(other, member, "suspended")
    with pytest.raises(InvalidInput) as bad:
        rosters.appoint(member.organiser, kind="officer", user=create_user(), department=departments["talent_center"],
                        term_from=date(2027, 1, 1), term_to=date(2026, 1, 1), organisation_id=10 ** 12,
                        expertise="x" * 201)
    assert {"term_to", "organisation_id", "expertise"} <= set(bad.value.fields)
    with pytest.raises(InvalidInput):
        rosters.appoint(member.organiser, kind="guru", user=create_user(), department=departments["talent_center"],
                        term_from=date(2026, 1, 1), term_to=date(2027, 1, 1))


def test_status_moves_and_an_expired_term(db_session, appoint, departments):
    member = appoint("officer")
    rosters.set_status(member.organiser, member, "suspended", note="休假")
    assert member.status == "suspended" and not member.serving
    rosters.set_status(member.organiser, member, "active")
    rosters.set_status(member.organiser, member, "ended", note="聘期内离职")
    db_session.commit()
    assert member.ended_on == local_today() and [c.to_status for c in changes_of(member)] == [
        "active", "suspended", "active", "ended"]
    with pytest.raises(IllegalTransition):
        rosters.set_status(member.organiser, member, "active")
    with pytest.raises(Conflict):
        rosters.update_member(member.organiser, member, term_from=date(2026, 1, 1), term_to=date(2031, 1, 1))
    # Ended, the person may be appointed again for a new term.
    again = rosters.appoint(member.organiser, kind="officer", user=member.user, department=departments["talent_center"],
                            term_from=local_today() - timedelta(days=400), term_to=local_today() - timedelta(days=1))
    db_session.commit()
    assert again.status == "active" and again.expired and not again.serving
    assert again.referral_code != member.referral_code


def test_console_pages_export_and_permissions(client, db_session, appoint, create_user, admin):
    member = appoint("ambassador", user=create_user(name="赵赟"))
    login(client, create_user("organiser", department="skills"))
    assert client.get(f"/console/rosters/{member.id}").status_code == 403
    assert "赵赟" not in client.get("/console/rosters/?kind=ambassador").text
    login(client, member.organiser)
    listing = client.get("/console/rosters/?kind=ambassador")
    assert listing.status_code == 200 and "赵赟" in listing.text and member.user.mobile not in listing.text
    assert client.get("/console/rosters/?kind=nonsense").status_code == 404
    page = client.get(f"/console/rosters/{member.id}").text
    assert f"/r/{member.referral_code}" in page
    newcomer = create_user(name="林〇")
    response = client.post("/console/rosters/new?kind=officer", data={
        "mobile": newcomer.mobile, "department_id": str(member.department_id), "organisation_id": "",
        "expertise": "高校引才", "term_from": "2026-03-01", "term_to": "2028-02-29"})
    assert response.status_code == 302
    officer = db_session.scalar(sa.select(RosterMember).where(RosterMember.user_id == newcomer.id))
    assert officer.kind == "officer" and officer.expertise == "高校引才"
    bad = client.post("/console/rosters/new?kind=officer", data={
        "mobile": "13000000000", "department_id": str(member.department_id), "term_from": "2026-03-01",
        "term_to": "2026-01-01"})
    assert bad.status_code == 200 and db_session.scalar(sa.select(sa.func.count()).select_from(RosterMember)) == 2
    assert client.post(f"/console/rosters/{officer.id}/edit", data={
        "organisation_id": "", "expertise": "海外引才", "term_from": "2026-03-01",
        "term_to": "2029-02-28"}).status_code == 302
    assert client.post(f"/console/rosters/{officer.id}/status", data={"status": "bogus"}).status_code == 302
    db_session.expire_all()
    assert officer.status == "active" and officer.term_to == date(2029, 2, 28)
    assert client.post(f"/console/rosters/{officer.id}/status", data={"status": "ended", "note": "调离"}).status_code == 302
    db_session.expire_all()
    assert officer.status == "ended" and officer.end_note == "调离"
    export = client.get("/console/rosters/export.xlsx?kind=ambassador")
    assert export.status_code == 200 and export.headers["Cache-Control"] == "private, no-store"
    rows = list(load_workbook(io.BytesIO(export.data)).active.values)
    assert rows[1][0] == "赵赟" and rows[1][1] != member.user.mobile and "****" in rows[1][1]
    assert db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "roster.export")) is not None


def test_an_appointment_letter_is_issued_once_and_verifiable_with_cjk_fonts(app, client, db_session, appoint,
                                                                            create_user, create_organisation,
                                                                            tmp_path):
    org = create_organisation(kind="company", name="上海闵行跨境科技有限公司")
    member = appoint("mentor", user=create_user(name="王堃"), organisation_id=org.id, expertise="硬科技投融资")
    login(client, member.organiser)
    assert client.post(f"/console/rosters/{member.id}/letter").status_code == 302
    assert client.post(f"/console/rosters/{member.id}/letter").status_code == 302  # a second: skipped
    db_session.expire_all()
    (cert,) = letters.letters_of(member.organiser, member)
    assert cert.kind == "appointment" and cert.title == "聘书" and "-PS-" in cert.serial
    assert cert.programme == "闵行区海(境)外创业导师" and cert.held_on == "2026年1月1日至2030年12月31日"
    assert certificates.find_for_verification(cert.code).id == cert.id
    shown = client.get(f"/verify/{cert.code}")
    assert shown.status_code == 200 and "聘书" in shown.text
    path = pdf_file(tmp_path, batches.certificates_pdf([cert]))
    fonts = pdf_fonts(path)
    assert fonts and all(f["emb"] == "yes" and f["type"].startswith("CID") for f in fonts)
    text = pdf_text(path)
    assert "兹聘请" in text and "王堃" in text and "闵行区海(境)外创业导师" in text
    rosters.set_status(member.organiser, member, "suspended")
    with pytest.raises(Conflict):
        letters.issue_letter(member.organiser, member)


def test_an_appointment_letter_is_never_issued_for_attendance(db_session, create_attended_event, create_user):
    organiser = create_user("organiser")
    event, _came, _ = create_attended_event(["周〇"])
    with pytest.raises(InvalidInput):
        certificates.issue_for_attendance(organiser, event, kind="appointment")
    with pytest.raises(InvalidInput):
        certificates.preview_for_attendance(organiser, event, kind="appointment")
