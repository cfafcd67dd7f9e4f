"""Issue 12, "Must show": on a phone in WeChat's browser, a participant with only a mobile number
signs up, registers for an event that needs approval, is rejected with a reason by an organiser,
and sees the reason on "my registrations" and the notice in the inbox, with the unread count in
the header; the SMS outbox holds the rejection for their number. Also defect 8 (the header stays on
one line behind a menu button; console tables scroll inside their frame) and the ticket's QR code
as an <img> (a long press saves or recognises it in WeChat)."""
from __future__ import annotations

import base64
import re
import secrets

import pytest
import sqlalchemy as sa

from tests.browser.conftest import PHONE, TIMEOUT_MS, assert_fits_phone, goto
from tests.browser.test_ticket_flow import decode_qr
from tests.conftest import PASSWORD as ORGANISER_PASSWORD

pytestmark = pytest.mark.browser

# The user agent of the brief: WeChat 8.0.47 on an iPhone.
WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN")
WECHAT_PHONE = {**PHONE, "user_agent": WECHAT_UA}
NAME = "陈思远"
PASSWORD = "闵行-wechat-2026"
REASON = "本场仅限闵行区重点企业在职人员参加，名额已满"
EMPLOYER = "上海闵行区紧密围绕集成电路产业的某某科技有限公司"
TEMPLATE = "SMS_490001"


def assert_header_one_line(page) -> None:
    """The header is the brand and a menu button on one line, not two or three lines of links."""
    toggle = page.locator("header .menu-toggle")
    assert toggle.is_visible(), "the menu button is not shown on a phone"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-nav").is_visible(), "the links should fold behind the menu button"
    height = page.locator("header.topbar").bounding_box()["height"]
    assert height <= 64, f"the header is {height}px high: it wraps"


def assert_tables_scroll_inside(page) -> None:
    """No table pushes the page sideways: each scrolls inside its frame, whose box is on screen,
    and no column is squeezed to a character per line."""
    assert_fits_phone(page)
    width = page.evaluate("() => window.innerWidth")
    frames = page.locator(".table-wrap")
    assert frames.count() >= 1
    for i in range(frames.count()):
        box = frames.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, box
        overflow = frames.nth(i).evaluate("e => getComputedStyle(e).overflowX")
        assert overflow in ("auto", "scroll"), overflow


@pytest.fixture
def approval_event(create_event, create_user, db_session):
    organiser = create_user("organiser", name="人才中心组织者")
    event = create_event(title="2026海聚英才·闵行重点产业人才政策闭门座谈会", capacity=30, requires_approval=True)
    db_session.commit()
    return {"id": event.id, "title": event.title, "organiser": organiser.mobile}


@pytest.fixture
def sms_template(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_TEMPLATES", {"rejected": TEMPLATE, "pending": "SMS_490000"})
    return TEMPLATE


def test_mobile_only_participant_in_wechat_is_rejected_and_told(app, live_server, browser, phone, approval_event,
                                                               sms_template, artifacts_dir):
    from app.accounts.models import User
    from app.extensions import db
    from app.notifications.sms.models import SmsMessage
    from app.registrations.models import Registration

    ev = approval_event
    mobile = f"137{secrets.randbelow(10**8):08d}"
    context = browser.new_context(accept_downloads=True, **WECHAT_PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    errors = []
    context.on("page", lambda p: p.on("pageerror", lambda exc: errors.append(str(exc))))
    try:
        page = context.new_page()
        assert page.evaluate("() => navigator.userAgent") == WECHAT_UA

        # 1. Sign up with a mobile number only (no email).
        goto(page, f"{live_server}/signup")
        assert_header_one_line(page)
        page.fill("#name", NAME)
        page.fill("#mobile", mobile)
        page.fill("#employer", EMPLOYER)
        page.fill("#password", PASSWORD)
        page.check("#consent")
        page.click("form.form button.btn-primary")
        page.wait_for_url(f"{live_server}/")
        assert page.locator(".flash-success").count() == 1
        assert_header_one_line(page)
        with app.app_context():
            user = db.session.scalar(sa.select(User).where(User.mobile == mobile))
            assert user is not None and user.email is None
            db.session.remove()

        # The menu button opens the links and says so (aria-expanded), and closes them again.
        page.click("header .menu-toggle")
        assert page.locator("header .menu-toggle").get_attribute("aria-expanded") == "true"
        assert page.locator("#site-nav").is_visible()
        assert page.locator("#site-nav a[href='/me/registrations']").is_visible()
        assert_fits_phone(page)
        page.click("header .menu-toggle")
        assert not page.locator("#site-nav").is_visible()

        # 2. Register for the event that needs approval: pending.
        goto(page, f"{live_server}/events/{ev['id']}")
        assert_header_one_line(page)
        assert page.locator("[data-wechat-hint]").is_visible()  # beside "Add to calendar"
        page.click(f"a.btn-primary[href$='/events/{ev['id']}/register']")
        page.wait_for_url(f"**/events/{ev['id']}/register")
        page.click("form.form button.btn-primary")
        page.wait_for_url("**/me/registrations")
        card = page.locator(".card", has_text=ev["title"])
        assert card.locator(".badge-pending").count() == 1

        # 3. The organiser (a second browser context, also a phone) rejects it with a reason,
        #    on the console's registrations page at phone size, whose table scrolls inside its frame.
        organiser = phone().new_page()
        goto(organiser, f"{live_server}/login")
        organiser.fill("#login", ev["organiser"])
        organiser.fill("#password", ORGANISER_PASSWORD)
        organiser.click("form.form button.btn-primary")
        organiser.wait_for_load_state()
        goto(organiser, f"{live_server}/console/events/{ev['id']}/registrations")
        assert_header_one_line(organiser)
        assert_tables_scroll_inside(organiser)
        row = organiser.locator("tr", has_text=NAME)
        assert row.count() == 1
        # The employer's name is not squeezed to a character or two per line.
        employer = row.locator("td", has_text=EMPLOYER[:6])
        chars = employer.evaluate("""e => { const s = getComputedStyle(e);
            return (e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)) / parseFloat(s.fontSize); }""")
        assert chars >= 6, f"the employer's column holds {chars:.1f} characters a line"
        organiser.screenshot(path=str(artifacts_dir / "wechat-console-registrations.png"), full_page=True)
        row.locator("input[name=ids]").check()
        organiser.fill("input[name=reason]", REASON)
        organiser.click("button[name=action][value=reject]")
        organiser.wait_for_load_state()
        assert organiser.locator(".flash-info").count() == 1

        # 4. The participant sees the reason on "my registrations" and the notice in the inbox, with
        #    the unread count on the header's menu button.
        goto(page, f"{live_server}/me/registrations")
        card = page.locator(".card", has_text=ev["title"])
        assert card.locator(".badge-rejected").count() == 1
        assert REASON in card.locator(".reason").inner_text()
        badge = page.locator("header .menu-toggle .unread-count")
        assert badge.is_visible() and int(badge.inner_text()) >= 1
        assert_header_one_line(page)
        goto(page, f"{live_server}/me/inbox")
        notice = page.locator(".inbox-message.unread", has_text=ev["title"])
        assert notice.count() >= 1
        assert page.locator(".inbox-message", has_text=REASON).count() == 1
        page.screenshot(path=str(artifacts_dir / "wechat-inbox.png"), full_page=True)

        # 5. The SMS outbox holds the rejection for their number, on the rejection template.
        with app.app_context():
            registration = db.session.scalar(sa.select(Registration).join(User).where(
                User.mobile == mobile, Registration.event_id == ev["id"]))
            assert registration.status == "rejected" and registration.rejection_reason == REASON
            rejected = db.session.scalars(sa.select(SmsMessage).where(SmsMessage.mobile == mobile,
                                                                      SmsMessage.kind == "rejected")).all()
            assert len(rejected) == 1
            assert rejected[0].template_code == TEMPLATE and rejected[0].user_id == registration.user_id
            assert rejected[0].params.get("name") and "link" in rejected[0].params
            db.session.remove()
    finally:
        context.close()
    assert not errors, errors


def test_ticket_qr_is_an_image_on_a_phone_in_wechat(app, live_server, browser, create_event, create_user,
                                                    db_session):
    from app.registrations import services as reg
    from app.tickets.services import ticket_token

    event = create_event(title="闵而好才·行者常至 校园招聘会", capacity=50)
    registration = reg.register(create_user(), event)
    db_session.commit()
    token, secret = ticket_token(registration), registration.ticket_secret
    db_session.commit()

    context = browser.new_context(**WECHAT_PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        goto(page, f"{live_server}/t/{secret}")
        qr = page.locator("#ticket-qr")
        assert qr.evaluate("e => e.tagName") == "IMG"
        assert page.locator(".ticket svg").count() == 0
        assert qr.evaluate("e => e.complete && e.naturalWidth > 0")
        box = qr.bounding_box()
        assert box["width"] >= 250 and box["x"] + box["width"] <= 390, box
        # What a long press saves is the image's own data: it decodes to the ticket's token.
        src = qr.get_attribute("src")
        assert src.startswith("data:image/png;base64,")
        assert decode_qr(base64.b64decode(src.split(",", 1)[1])) == token
        assert decode_qr(qr.screenshot()) == token
        # The download beside it carries the hint to open the page in the phone's browser.
        assert page.locator("a[href$='/ticket.png'][download]").count() == 1
        assert page.locator("[data-wechat-hint]").is_visible()
        assert re.search("在浏览器打开|Open in Browser", page.locator("[data-wechat-hint]").inner_text())
        assert_fits_phone(page)
    finally:
        context.close()


def test_header_links_stay_reachable_without_javascript(live_server, browser):
    """With scripts off (or page.js not loaded) there is no dead menu button: the links show."""
    context = browser.new_context(java_script_enabled=False, **WECHAT_PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        goto(page, f"{live_server}/")
        assert not page.locator("header .menu-toggle").is_visible()
        assert page.locator("#site-nav a[href^='/login']").first.is_visible()
        assert_fits_phone(page)
    finally:
        context.close()


def test_menu_closes_with_escape_and_returns_focus(live_server, phone, artifacts_dir):
    page = phone().new_page()
    goto(page, f"{live_server}/")
    toggle = page.locator("header .menu-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#site-nav").is_visible()
    page.screenshot(path=str(artifacts_dir / "wechat-menu-open.png"))
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not page.locator("#site-nav").is_visible()
    assert page.evaluate("() => document.activeElement.matches('[data-menu-toggle]')")
