import re

import pytest
import sqlalchemy as sa

from app.accounts import services
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.errors import InvalidInput
from tests.conftest import PASSWORD, login

VALID_ID = "11010519491231002X"


def test_valid_id_number_checks_the_check_character():
    assert services.valid_id_number(VALID_ID)
    assert services.valid_id_number(VALID_ID.lower())
    assert not services.valid_id_number("110105194912310021")
    assert not services.valid_id_number("12345")


def test_sign_up_by_mobile_and_log_in_with_either_login(client, db_session):
    response = client.post("/signup", data={
        "name": "李喆", "mobile": "138 0013 8001", "email": "Li.Zhe@Example.com", "employer": "上海交通大学",
        "password": "s3cret-pass", "id_number": VALID_ID, "consent": "y"})
    assert response.status_code == 302
    user = db_session.scalar(sa.select(User).where(User.mobile == "13800138001"))
    assert user.email == "li.zhe@example.com"
    assert user.password_hash != "s3cret-pass" and user.check_password("s3cret-pass")
    client.post("/logout")
    for login_name in ("13800138001", "LI.ZHE@example.com", "+86 138-0013-8001"):
        response = client.post("/login", data={"login": login_name, "password": "s3cret-pass"})
        assert response.status_code == 302, login_name
        client.post("/logout")
    response = client.post("/login", data={"login": "13800138001", "password": "wrong-password"})
    assert response.status_code == 200
    assert "手机号、邮箱或密码错误" in response.get_data(as_text=True)


def test_sign_up_rejects_bad_input_and_changes_nothing(client, db_session, create_user):
    create_user(mobile="13900000001")
    before = db_session.scalar(sa.select(sa.func.count()).select_from(User))
    response = client.post("/signup", data={"name": "王堃", "mobile": "13900000001", "email": "not-an-email",
                                            "password": "short", "id_number": "110105194912310021"})
    assert response.status_code == 200
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == before
    with pytest.raises(InvalidInput) as info:
        services.sign_up(name="王堃", password="long-enough", mobile="12345")
    assert set(info.value.fields) == {"mobile"}


def test_profile_shows_id_number_masked_only(client, create_user):
    user = create_user(id_number=VALID_ID)
    login(client, user)
    html = client.get("/me/profile").get_data(as_text=True)
    assert VALID_ID not in html
    assert "110***********002X" in html


def test_profile_chooses_the_channels_for_notices(client, db_session, create_user):
    user = create_user(email="wang.kun@example.com")
    login(client, user)
    html = client.get("/me/profile").get_data(as_text=True)
    assert 'name="notify_mail"' in html and 'name="notify_sms"' in html
    assert html.count("checked") >= 2  # both on for a new account
    data = {"name": user.name, "mobile": user.mobile, "email": user.email, "language": "zh_CN",
            "notify_mail": "y"}  # SMS unticked
    assert client.post("/me/profile", data=data).status_code == 302
    db_session.refresh(user)
    assert (user.notify_mail, user.notify_sms) == (True, False)
    data.pop("notify_mail")
    data["notify_sms"] = "y"
    assert client.post("/me/profile", data=data).status_code == 302
    db_session.refresh(user)
    assert (user.notify_mail, user.notify_sms) == (False, True)


def test_admin_user_list_masks_phone_numbers(client, create_user):
    admin = create_user("admin")
    create_user(name="赵赟", mobile="13912345678")
    login(client, admin)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "赵赟" in html and "13912345678" not in html and "139****5678" in html


def test_only_admins_manage_accounts(client, create_user):
    login(client, create_user("organiser"))
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/outbox").status_code == 403


def test_admin_grants_roles_and_it_is_audited(client, db_session, create_user, departments):
    admin = create_user("admin")
    person = create_user()
    login(client, admin)
    response = client.post(f"/admin/users/{person.id}", data={
        "roles": ["organiser", "trainer"], "departments": [departments["skills"].id], "active": "y"})
    assert response.status_code == 302
    db_session.expire_all()
    assert person.roles == {"organiser", "trainer", "participant"}
    assert person.department_ids == {departments["skills"].id}
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.roles"))
    assert entry.actor_id == admin.id and entry.subject_id == person.id
    # an organiser without a department is refused
    response = client.post(f"/admin/users/{person.id}", data={"roles": ["organiser"], "active": "y"})
    assert response.status_code == 200
    db_session.expire_all()
    assert person.department_ids == {departments["skills"].id}


def test_cli_creates_accounts_of_any_role(app, db_session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--role", "organiser", "--login", "org@example.com",
                                 "--password", "Organiser#1", "--name", "组织者", "--department", "高服中心"])
    assert result.exit_code == 0, result.output
    user = db_session.scalar(sa.select(User).where(User.email == "org@example.com"))
    assert user.roles == {"organiser", "participant"} and [d.name for d in user.departments] == ["高服中心"]
    again = runner.invoke(args=["users", "create", "--role", "admin", "--login", "org@example.com",
                                "--password", "whatever-123"])
    assert again.exit_code != 0 and "已存在" in again.output


def test_csrf_is_enforced_on_forms(app, client, create_user):
    user = create_user()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/login", data={"login": user.mobile, "password": PASSWORD})
        assert response.status_code == 400
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"login": user.mobile, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_login_is_rate_limited(app, client, create_user):
    from app.extensions import limiter

    user = create_user()
    limiter.reset()
    app.config["LOGIN_RATE_LIMIT"] = "10 per minute"
    try:
        codes = [client.post("/login", data={"login": user.mobile, "password": "wrong-one"}).status_code
                 for _ in range(12)]
        blocked = client.post("/login", data={"login": user.mobile, "password": PASSWORD})
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "100000 per minute"
        limiter.reset()
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
    assert blocked.status_code == 429 and "尝试次数过多" in blocked.get_data(as_text=True)


def test_production_cookies_are_secure():
    from app.config import Config

    assert Config.SESSION_COOKIE_SECURE and Config.SESSION_COOKIE_HTTPONLY
    assert Config.SESSION_COOKIE_SAMESITE == "Lax"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    from app import create_app

    with pytest.raises(RuntimeError):
        create_app("production", SECRET_KEY=None)


def test_full_width_mobile_digits_are_the_same_number_at_sign_up_and_login(client, db_session):
    """Issue 12, defect 13: 「１３９…」 typed by a Chinese input method was refused."""
    response = client.post("/signup", data={"name": "陈静", "mobile": "＋８６ １３９－００１２－３４５６",
                                            "password": "s3cret-pass", "consent": "y"})
    assert response.status_code == 302
    user = db_session.scalar(sa.select(User).where(User.name == "陈静"))
    assert user.mobile == "13900123456"
    client.post("/logout")
    for typed in ("１３９００１２３４５６", "13900123456", "0086 139 0012 3456"):
        assert client.post("/login", data={"login": typed, "password": "s3cret-pass"}).status_code == 302, typed
        client.post("/logout")
    assert services.canonical_login("１３９ ００１２ ３４５６") == "13900123456"
    assert services.canonical_login("Li＠Example.com") == "li@example.com"
    with pytest.raises(InvalidInput) as taken:  # one number, one account, however it is typed
        services.sign_up(name="另一人", password="long-enough", mobile="１３９００１２３４５６")
    assert set(taken.value.fields) == {"mobile"}


def test_find_by_mobile_reads_the_number_as_the_login_does(db_session, create_user):
    """Issue 13: the one look-up of a person by mobile number (enrolling a founder, adding an apprentice
    or a master) normalises as the login does."""
    person = create_user(name="林森", mobile="13812345678")
    for typed in ("13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "１３８１２３４５６７８",
                  "＋８６ １３８－１２３４－５６７８", " 138 1234 5678 "):
        assert services.find_by_mobile(typed) == person, typed
    for nobody in ("13812345679", "", None, "+86"):
        assert services.find_by_mobile(nobody) is None, nobody


@pytest.mark.parametrize("typed, says", [
    ("12345", "身份证号码应为 18 位，现在是 5 位。"),
    ("11010519491231002Y", "身份证号码由 17 位数字加 1 位数字或 X 组成。"),
    ("110105194913310021", "第 7–14 位是出生日期（年月日），19491331 不是有效日期。"),
    ("110105194912310021", "最后一位校验码与前 17 位不符，请检查是否有输错的字符。"),
])
def test_an_id_number_says_exactly_what_is_wrong(client, db_session, typed, says):
    """Issue 12, defect 13: five digits got the "check the last character" message."""
    with pytest.raises(InvalidInput) as info:
        services.sign_up(name="王堃", password="long-enough", mobile="13900000077", id_number=typed)
    assert str(info.value.fields["id_number"]) == says
    page = client.post("/signup", data={"name": "王堃", "mobile": "13900000077", "password": "long-enough",
                                        "id_number": typed, "consent": "y"}).get_data(as_text=True)
    assert says in page and "检查最后一位" not in page
    assert services.normalise_id_number("１１０１０５１９４９１２３１００２ｘ") == VALID_ID
