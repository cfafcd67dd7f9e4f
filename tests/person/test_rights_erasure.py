"""Erasure leaves no personal value anywhere in the database — every String/Text/JSON/LargeBinary
column of every table searched — except the certificate snapshots, while counts stay."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import ApiToken, User, UserSession
from app.audit.models import AuditEntry
from app.certificates.models import Certificate
from app.checkin.models import Scan
from app.competitions.models import Entry
from app.person.rights import erasure
from app.person.rights.models import Erasure
from app.pitch.models import PitchEntry
from app import private_files
from app.registrations.models import Registration
from app.tickets.models import PhoneKey
from app.transaction import commit  # the app's commit: its after-commit hook deletes the files
from tests.fixtures.accounts import PASSWORD, login
from tests.fixtures.rights import find_values

# The one column allowed to keep the name: a certificate as issued is a legally required record
# that third parties verify by its code; it prints the recipient's name as it was.
CERTIFICATE_SNAPSHOT = "certificates.recipient_name"


def _counts(db_session, event_id):
    def count(model, *where):
        return db_session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
    return {"registrations": count(Registration, Registration.event_id == event_id),
            "scans": count(Scan), "entries": count(Entry), "pitch_entries": count(PitchEntry),
            "certificates": count(Certificate, Certificate.subject_id == event_id)}


def _personal(p) -> list[str]:
    v = p.values
    return [v.name, v.mobile, v.email, v.id_number, v.employer, v.answer, v.team_mate, v.pitch_mate,
            v.applicant_company]


def test_erasure_leaves_no_personal_value_in_any_column_and_keeps_the_counts(db_session, active_person):
    p = active_person
    # A value in a column nobody listed for erasure (a note in the registration's history): the
    # generic pass over the person's rows must find it too.
    db_session.execute(sa.text("UPDATE registration_history SET note = :note WHERE registration_id = :id"),
                       {"note": f"电话联系{p.values.mobile}，{p.values.name}本人确认", "id": p.registration.id})
    db_session.commit()
    before = find_values(db_session, _personal(p))
    # Each value really is spread around before: the search is not vacuous.
    assert {"users.name", "outbox.to_address"} <= set(before[p.values.name] + before[p.values.email])
    assert "registration_answers.value" in before[p.values.answer]
    assert "competition_team_members.name" in before[p.values.team_mate]
    assert "pitch_members.name" in before[p.values.pitch_mate]
    assert "applications.id_number" in before[p.values.id_number]
    assert "audit_entries.detail" in before[p.values.mobile]
    assert CERTIFICATE_SNAPSHOT in before[p.values.name]
    decks = [p.application.pitch_deck, p.pitch_entry.deck]
    assert all(private_files.exists(name) for name in decks)
    counts = _counts(db_session, p.event.id)

    erasure.erase(None, p.user, via="retention")
    commit()

    after = find_values(db_session, _personal(p))
    assert after == {p.values.name: [CERTIFICATE_SNAPSHOT]}, after
    assert _counts(db_session, p.event.id) == counts
    assert not any(private_files.exists(name) for name in decks)
    user = db_session.get(User, p.user.id)
    assert user.name == f"已注销用户 #{user.id}" and not user.active
    assert (user.mobile, user.email, user.id_number, user.employer, user.calendar_token) == (None,) * 5
    assert db_session.get(Registration, p.registration.id).status == p.registration.status
    record = db_session.scalar(sa.select(Erasure).where(Erasure.user_id == user.id))
    assert record.done_at is not None and record.via == "retention"
    assert record.kept["registrations"] == 3  # the event, the competition and the pitch competition
    assert record.kept["scans"] == 1 and record.kept["certificates"] == 1


def test_the_search_finds_a_value_left_behind(db_session, active_person):
    """The must-show test's search is what makes it able to fail: a planted value in any table is found."""
    p = active_person
    erasure.erase(None, p.user, via="retention")
    db_session.commit()
    db_session.execute(sa.text("UPDATE events SET description = :d WHERE id = :id"),
                       {"d": f"联系人 {p.values.mobile}", "id": p.event.id})
    db_session.execute(sa.insert(AuditEntry).values(action="planted", detail={"who": p.values.employer}))
    db_session.commit()
    hits = find_values(db_session, _personal(p))
    assert hits[p.values.mobile] == ["events.description"]
    assert hits[p.values.employer] == ["audit_entries.detail"]


def test_erased_person_cannot_sign_in_and_their_sessions_end(client, db_session, active_person, phone):
    p = active_person
    their_phone = phone(p.user)
    login(client, p.user)
    assert client.get("/me/data").status_code == 200
    response = client.post("/me/data/erase", data={"understood": "y", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/data/erased")
    page = client.get("/me/data/erased").get_data(as_text=True)
    assert "证书" in page and "审计" in page  # what was kept, and why
    assert client.get("/me/data").status_code == 302  # signed out
    refused = client.post("/login", data={"login": p.values.mobile, "password": PASSWORD})
    assert refused.status_code != 302
    assert db_session.scalar(sa.select(sa.func.count()).select_from(UserSession)
                             .where(UserSession.user_id == p.user.id)) == 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ApiToken)
                             .where(ApiToken.user_id == p.user.id, ApiToken.revoked_at.is_(None))) == 0
    assert db_session.get(PhoneKey, their_phone.key_id).revoked_at is not None  # 我的码 stops too
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "person.erase"))
    assert entry.subject_id == p.user.id and entry.detail["via"] == "self"


def test_own_erasure_needs_the_password_and_the_tick(client, db_session, create_user):
    user = create_user(name="宋清")
    login(client, user)
    for data in ({"understood": "y", "password": "wrong-password"}, {"password": PASSWORD}):
        page = client.post("/me/data/erase", data=data)
        assert page.status_code == 200
        assert db_session.get(User, user.id).name == "宋清"
        assert db_session.scalar(sa.select(sa.func.count()).select_from(Erasure)) == 0


def test_admin_erases_on_request_with_a_reason(client, db_session, admin, create_user):
    person, organiser = create_user(name="贺兰"), create_user("organiser")
    login(client, organiser)
    assert client.post(f"/admin/users/{person.id}/erase", data={"reason": "x"}).status_code == 403
    client.post("/logout")
    login(client, admin)
    assert client.get(f"/admin/users/{person.id}/erase").status_code == 200
    no_reason = client.post(f"/admin/users/{person.id}/erase", data={"reason": ""})
    assert no_reason.status_code == 200 and db_session.get(User, person.id).name == "贺兰"
    done = client.post(f"/admin/users/{person.id}/erase", data={"reason": "本人2026年12月6日书面申请"})
    assert done.status_code == 302
    db_session.expire_all()
    assert db_session.get(User, person.id).name == f"已注销用户 #{person.id}"
    record = db_session.scalar(sa.select(Erasure).where(Erasure.user_id == person.id))
    assert record.via == "admin" and record.by_id == admin.id and record.reason.startswith("本人")
    again = client.post(f"/admin/users/{person.id}/erase", data={"reason": "再次"})
    assert again.status_code in (200, 302)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Erasure)) == 1
    assert client.post("/admin/users/99999999999/erase", data={"reason": "x"}).status_code == 404


def test_an_organisation_forgets_them_as_its_contact_person(db_session, admin, create_user, create_organisation):
    from app.organisations import contacts
    from app.organisations.models import Organisation

    person = create_user(name="端木清远", mobile="13755556666")
    company = create_organisation(name="上海清远联络测试有限公司", contact_name="端木清远", contact_phone="13755556666")
    contacts.add_contact(admin, company, person.mobile)
    db_session.commit()
    erasure.erase(admin, person, via="admin", reason="本人申请")
    db_session.commit()
    assert find_values(db_session, ["端木清远", "13755556666"]) == {}
    kept = db_session.get(Organisation, company.id)
    assert kept.name == "上海清远联络测试有限公司" and kept.contact_name == ""
