"""Issue 12, defects 1 and 6, on a phone in WeChat's browser: the registration form never ticks a
full session and says it is full beside it, with the seats left of the others; submitting names the
session waited for; opening the form again shows the registration, not a blank form."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import assert_fits_phone, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def agenda(db_session, create_event, create_user):
    from app.events import services as ev
    from app.lifecycle.agenda import save_session
    from app.registrations import services as reg

    event = create_event(title="2026人才闵行周·产业人才论坛", capacity=60)
    admin = create_user("admin")
    start = event.starts_at
    full = save_session(admin, event, title="分论坛：集成电路", starts_at=start,
                        ends_at=start + timedelta(hours=1), room="A101", capacity=1)
    main = save_session(admin, event, title="主论坛", starts_at=start + timedelta(hours=1),
                        ends_at=start + timedelta(hours=2), room="大礼堂", capacity=30)
    question = ev.save_question(admin, event, label="工作单位", kind="text", required=True)
    db_session.commit()
    reg.register(create_user(), event, {str(question.id): "某公司"}, [full.id])
    db_session.commit()  # the server thread only sees committed rows
    return {"id": event.id, "full": full.id, "main": main.id, "question": question.id,
            "person": create_user(name="李青")}


def test_full_session_not_preticked_and_registered_person_sees_their_registration(live_server, phone, agenda,
                                                                                  artifacts_dir):
    a = agenda
    page = phone().new_page()
    sign_in(page, live_server, a["person"])
    page.goto(f"{live_server}/events/{a['id']}/register")
    assert_fits_phone(page)

    full = page.locator(f"label[data-session='{a['full']}']")
    main = page.locator(f"label[data-session='{a['main']}']")
    assert not full.locator("input[type=checkbox]").is_checked()
    assert full.locator(".seat").inner_text() == "已满，将进入候补"
    assert full.locator(".seat").is_visible()
    assert main.locator("input[type=checkbox]").is_checked()
    assert main.locator(".seat").inner_text() == "剩余30席（共30席）"
    page.screenshot(path=str(artifacts_dir / "registration-sessions-form.png"), full_page=True)

    # choosing the full session anyway: the message says it is waited for
    page.fill(f"#q{a['question']}", "上海某科技有限公司")
    full.locator("input[type=checkbox]").check()
    page.locator("form.form button.btn-primary").click()
    page.wait_for_url("**/me/registrations")
    message = page.locator(".flash-success").inner_text()
    assert "报名成功" in message and "分论坛：集成电路（候补第1位）" in message

    # opening the form again shows the registration: status, answers, sessions, ticket, change form
    page.goto(f"{live_server}/events/{a['id']}/register")
    assert page.locator("h1").inner_text() == "我的报名"
    assert_fits_phone(page)
    assert "已确认" in page.locator("#registration-status").inner_text()
    assert "上海某科技有限公司" in page.locator("#registration-answers").inner_text()
    sessions = page.locator("ul.bookings li")
    assert "候补第1位" in sessions.nth(0).inner_text() and "已预约" in sessions.nth(1).inner_text()
    assert page.locator("a[href^='/t/']").count() == 1
    assert page.locator(f"#registration-edit #q{a['question']}").input_value() == "上海某科技有限公司"
    page.screenshot(path=str(artifacts_dir / "registration-mine.png"), full_page=True)

    # and changing sessions there: dropping the one waited for
    page.locator(f"#registration-edit label[data-session='{a['full']}'] input").uncheck()
    page.locator("#registration-edit button.btn-primary").click()
    page.wait_for_load_state()
    assert "修改已保存。" in page.locator(".flash-success").inner_text()
    assert page.locator("ul.bookings li").count() == 1
    assert "主论坛" in page.locator("ul.bookings li").inner_text()
