"""Sign-ins end on the server: logout and a password change revoke them (issue 11, finding 5)."""
from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

import sqlalchemy as sa

from app.timeutil import utcnow
from tests.conftest import PASSWORD, login
from tests.fixtures.accounts import api_token


def _cookies(client) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def _replay(app, cookies: dict[str, str]):
    """A second browser holding copies of someone's cookies."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def _signed_in(client) -> bool:
    response = client.get("/me/profile")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _api_ok(client, token) -> int:
    return client.get("/api/v1/me/registrations", headers={"Authorization": f"Bearer {token}"}).status_code


def test_copied_cookies_stop_working_after_logout(app, client, create_user):
    user = create_user()
    login(client, user, remember=True)
    copied = _cookies(client)
    assert {"session", "remember_token"} <= copied.keys()
    assert _signed_in(_replay(app, copied))

    client.post("/logout")

    assert not _signed_in(client)
    replayed = _replay(app, copied).get("/me/profile")
    assert replayed.status_code == 302 and "/login" in replayed.location
    # The remember-me cookie alone does not bring the session back either.
    assert not _signed_in(_replay(app, {"remember_token": copied["remember_token"]}))


def test_logout_ends_only_that_session(app, create_user):
    user = create_user()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, user)
    login(laptop, user)
    phone.post("/logout")
    assert not _signed_in(phone) and _signed_in(laptop)


def test_password_change_ends_every_other_sign_in(app, create_user):
    from app.audit.models import AuditEntry
    from app.extensions import db

    user = create_user()
    other_user = create_user()
    changer, other_browser = app.test_client(), app.test_client()
    login(changer, user)
    login(other_browser, user, remember=True)
    copied = _cookies(other_browser)
    token = api_token(app.test_client(), user)
    others_token = api_token(app.test_client(), other_user)
    assert _api_ok(changer, token) == 200

    response = changer.post("/me/password", data={"pw-current": PASSWORD, "pw-new": "a-new-secret-42"})
    assert response.status_code == 302

    assert _signed_in(changer)  # the client that changed it stays signed in
    assert not _signed_in(other_browser)
    assert not _signed_in(_replay(app, copied))
    assert not _signed_in(_replay(app, {"remember_token": copied["remember_token"]}))
    assert _api_ok(changer, token) == 401
    assert _api_ok(changer, others_token) == 200  # nobody else's tokens
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.password"))
    assert entry.subject_id == user.id and entry.detail == {"sessions_ended": 1, "tokens_revoked": 1}
    # The new password works, the old one does not.
    assert app.test_client().post("/login", data={"login": user.mobile, "password": PASSWORD}).status_code == 200
    assert app.test_client().post("/login", data={"login": user.mobile,
                                                  "password": "a-new-secret-42"}).status_code == 302


def test_a_wrong_current_password_ends_nothing(app, create_user):
    user = create_user()
    changer, other_browser = app.test_client(), app.test_client()
    login(changer, user)
    login(other_browser, user)
    changer.post("/me/password", data={"pw-current": "not-the-password", "pw-new": "a-new-secret-42"})
    assert _signed_in(other_browser)


def test_remember_cookie_lasts_at_most_30_days(app, client, create_user):
    user = create_user()
    response = login(client, user, remember=True)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    expires = parsedate_to_datetime(next(part.split("=", 1)[1] for part in cookie.split("; ")
                                         if part.lower().startswith("expires=")))
    assert expires <= utcnow() + timedelta(days=30, minutes=1)
    assert app.config["REMEMBER_COOKIE_DURATION"] <= timedelta(days=30)


def test_a_forged_or_overlong_session_id_loads_nobody(app, create_user):
    from app.accounts.services import user_for_session

    user = create_user()
    with app.test_request_context():
        assert user_for_session(str(user.id)) is None  # the old cookie format: no sign-in row
        assert user_for_session(f"{user.id}:made-up") is None
        assert user_for_session("99999999999999999999:x") is None
        assert user_for_session(f"{user.id}:" + "x" * 500) is None


def test_profile_lists_and_revokes_own_api_tokens(app, client, create_user):
    from app.accounts.models import ApiToken
    from app.audit.models import AuditEntry
    from app.extensions import db

    user, stranger = create_user(), create_user()
    scanner = api_token(app.test_client(), user, name="入口扫码枪")
    kiosk = api_token(app.test_client(), user)
    strangers = api_token(app.test_client(), stranger)
    login(client, user)

    page = client.get("/me/profile").get_data(as_text=True)
    assert "入口扫码枪" in page and "API 令牌" in page
    ids = dict(db.session.execute(sa.select(ApiToken.name, ApiToken.id).where(ApiToken.user_id == user.id)).all())
    strangers_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == stranger.id))

    # Someone else's token: not found, nothing changes.
    assert client.post(f"/me/tokens/{strangers_id}/revoke").status_code == 404
    assert client.post("/me/tokens/99999999999/revoke").status_code == 404
    assert _api_ok(client, strangers) == 200

    response = client.post(f"/me/tokens/{ids['入口扫码枪']}/revoke")
    assert response.status_code == 302
    assert _api_ok(client, scanner) == 401 and _api_ok(client, kiosk) == 200
    assert "入口扫码枪" not in client.get("/me/profile").get_data(as_text=True)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "api_token.revoke"))
    assert entry.actor_id == user.id and entry.subject_id == ids["入口扫码枪"]
    assert client.post(f"/me/tokens/{ids['入口扫码枪']}/revoke").status_code == 404  # already revoked


def test_revoking_a_token_needs_the_csrf_token(app, client, create_user):
    user = create_user()
    token = api_token(app.test_client(), user)
    login(client, user)
    token_id = _token_id(user)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/me/tokens/{token_id}/revoke").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _api_ok(client, token) == 200


def _token_id(user) -> int:
    from app.accounts.models import ApiToken
    from app.extensions import db

    return db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == user.id))
