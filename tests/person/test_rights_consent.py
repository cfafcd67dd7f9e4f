"""Consent to the privacy notice: recorded at sign-up with its version and time, required there,
asked again on the next page when the version changes (and of accounts admins created)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.accounts import services as accounts
from app.accounts.consents import PrivacyConsent
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.timeutil import as_utc, utcnow
from tests.fixtures.accounts import PASSWORD, api_token, login

SIGN_UP = {"name": "柏灵", "mobile": "13711112222", "password": "s3cret-pass"}


def _consents(db_session, user_id):
    return list(db_session.scalars(sa.select(PrivacyConsent).where(PrivacyConsent.user_id == user_id)
                                   .order_by(PrivacyConsent.id)))


def test_sign_up_records_the_consent_with_its_version_and_time(app, client, db_session):
    response = client.post("/signup", data={**SIGN_UP, "consent": "y"})
    assert response.status_code == 302
    user = db_session.scalar(sa.select(User).where(User.mobile == SIGN_UP["mobile"]))
    (consent,) = _consents(db_session, user.id)
    assert consent.version == app.config["PRIVACY_NOTICE_VERSION"]
    assert utcnow() - as_utc(consent.consented_at) < timedelta(minutes=1)
    assert client.get("/").status_code == 200  # not asked again


def test_sign_up_without_consent_is_refused_with_the_other_problems(client, db_session):
    page = client.post("/signup", data={**SIGN_UP, "email": "not-an-email"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "请阅读个人信息保护告知书，并勾选同意" in text and "邮箱" in text
    page = client.post("/signup", data=SIGN_UP)
    assert "请阅读个人信息保护告知书，并勾选同意" in page.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User).where(User.mobile == SIGN_UP["mobile"])) == 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PrivacyConsent)) == 0


def test_the_notice_is_public_and_in_chinese_first(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "个人信息保护告知书" in page and "2026-12" in page
    english = client.get("/privacy", headers={"Accept-Language": "en"}, query_string={"lang": "en"})
    assert english.status_code == 200


def test_a_new_version_asks_again_on_the_next_page_and_records_it(monkeypatch, app, client, db_session, create_user):
    user = create_user(name="柏灵")
    login(client, user)
    assert client.get("/me/registrations").status_code == 200
    monkeypatch.setitem(app.config, "PRIVACY_NOTICE_VERSION", "2027-06")
    asked = client.get("/me/registrations")
    assert asked.status_code == 302 and "/me/privacy/consent" in asked.headers["Location"]
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "2026-12" in page and "2027-06" in page
    assert client.get("/privacy").status_code == 200  # the notice itself is open
    # Not ticked: asked again, nothing recorded.
    assert client.post(asked.headers["Location"], data={}).status_code == 200
    assert [c.version for c in _consents(db_session, user.id)] == ["2026-12"]
    agreed = client.post(asked.headers["Location"], data={"consent": "y"})
    assert agreed.status_code == 302 and agreed.headers["Location"].endswith("/me/registrations")
    assert [c.version for c in _consents(db_session, user.id)] == ["2026-12", "2027-06"]
    assert client.get("/me/registrations").status_code == 200
    assert db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.consent")).detail == {
        "version": "2027-06"}


def test_declining_signs_out_and_changes_nothing(monkeypatch, app, client, db_session, create_user):
    user = create_user()
    monkeypatch.setitem(app.config, "PRIVACY_NOTICE_VERSION", "2027-06")
    login(client, user)
    declined = client.post("/me/privacy/consent", data={"decline": "1"})
    assert declined.status_code == 302
    assert client.get("/me/registrations").status_code == 302
    assert "/login" in client.get("/me/registrations").headers["Location"]
    assert [c.version for c in _consents(db_session, user.id)] == ["2026-12"]


def test_staff_created_by_an_admin_agree_at_first_sign_in(client, db_session, admin):
    staff = accounts.create_user(login="13722223333", password=PASSWORD, role="organiser", name="韦青",
                                 departments=["talent_center"], actor=admin)
    db_session.commit()
    assert _consents(db_session, staff.id) == []
    login(client, staff)
    asked = client.get("/console/events")
    assert asked.status_code == 302 and "/me/privacy/consent" in asked.headers["Location"]
    assert client.post("/me/privacy/consent", data={"consent": "y"}).status_code == 302
    assert client.get("/console/events").status_code == 200


def test_programs_are_not_redirected_and_rights_pages_stay_open(monkeypatch, app, client, db_session, create_user):
    user = create_user()
    monkeypatch.setitem(app.config, "PRIVACY_NOTICE_VERSION", "2027-06")
    token = api_token(client, user)
    assert client.get("/api/v1/me/registrations", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    login(client, user)
    assert client.get("/me/data").status_code == 200  # PIPL's rights do not wait for agreement


def test_consent_page_bad_input(client, create_user):
    assert client.get("/me/privacy/consent").status_code == 302  # signed out: to the login
    login(client, create_user())
    assert client.post("/me/privacy/consent", data={"consent": "y\x00"}).status_code in (400, 422)
    assert client.post("/me/privacy/consent?next=https://evil.example/", data={"consent": "y"}
                       ).headers["Location"].startswith("/")
