"""End to end on a phone: sign up, register with custom questions, open the ticket, and read its
QR code back from the screen (and from the saved image) with a real decoder (zxing-cpp)."""
from __future__ import annotations

import base64
import io
import re
import secrets

import pytest
import sqlalchemy as sa

from tests.browser.conftest import assert_fits_phone, goto

pytestmark = pytest.mark.browser

NAME = "王堃"  # 堃: a rare character that many name fields and fonts get wrong
PASSWORD = "闵行-ticket-2026"
TEXT_ANSWER = "上海闵行区某科技有限公司 研发部"
CHOICE_A, CHOICE_B = "现场参会", "线上观看"
B64URL = re.compile(r"^[A-Za-z0-9_-]+$")
HEADER_CHARS = 14   # 11 header bytes = 88 bits: characters 0..13 are header only
TOKEN_CHARS = 100   # 75 bytes, base64url, no padding


# -- helpers --------------------------------------------------------------------
def decode_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    image.load()
    # Only QR codes, as a venue scanner reads: a line of digits on the saved ticket image
    # can otherwise pass for a 1D barcode.
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1, f"expected one QR code in the image, zxing found {len(results)}"
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def flip(token: str, index: int) -> str:
    """The token with one base64url character replaced by another (each character carries
    6 bits and 100 characters hold exactly 600 bits, so every flip changes the bytes)."""
    new = "A" if token[index] != "A" else "B"
    return token[:index] + new + token[index + 1:]


@pytest.fixture
def event_with_questions(create_event, create_user, db_session):
    from app.events.services import save_question

    organiser = create_user("organiser")
    event = create_event(title="2026海聚英才·闵行人才政策宣讲会", capacity=80)
    text_q = save_question(organiser, event, label="工作单位", kind="text", required=True,
                           help_text="请填写全称")
    choice_q = save_question(organiser, event, label="参会方式", kind="single", required=True,
                             choices=[{"label": CHOICE_A, "limit": None}, {"label": CHOICE_B, "limit": None}])
    db_session.commit()  # the server thread only sees committed rows
    return {"id": event.id, "title": event.title, "text_q": text_q.id, "choice_q": choice_q.id}


# -- the flow -------------------------------------------------------------------
def test_sign_up_register_and_scan_ticket_on_phone(app, live_server, phone, event_with_questions,
                                                   artifacts_dir):
    from app.accounts.models import User
    from app.extensions import db
    from app.registrations.models import Registration
    from app.tickets.services import InvalidTicket, check_token, ticket_token

    ev = event_with_questions
    mobile = f"138{secrets.randbelow(10**8):08d}"  # the create_user factory uses 139…
    page = phone().new_page()

    # 1. Sign up with a rare-character name.
    goto(page, f"{live_server}/signup")
    assert_fits_phone(page)
    page.fill("#name", NAME)
    page.fill("#mobile", mobile)
    page.fill("#password", PASSWORD)
    page.check("#consent")
    page.click("form.form button[type=submit], form.form button.btn-primary")
    page.wait_for_url(f"{live_server}/")
    assert page.locator(".flash-success").count() == 1
    assert page.locator("header .nav").get_by_text(NAME, exact=True).count() == 1
    assert_fits_phone(page)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.mobile == mobile))
        assert user is not None and user.name == NAME

    # 2. Open the published event and click Register.
    goto(page, f"{live_server}/events/{ev['id']}")
    assert_fits_phone(page)
    page.click(f"a.btn-primary[href$='/events/{ev['id']}/register']")
    page.wait_for_url(f"**/events/{ev['id']}/register")
    assert_fits_phone(page)

    # 3. A required question left empty: a clear message and nothing saved.
    page.check(f"input[name='q{ev['choice_q']}'][value='{CHOICE_A}']")
    page.click("form.form button.btn-primary")
    page.wait_for_load_state()
    assert page.url.endswith(f"/events/{ev['id']}/register")
    assert page.locator(f".field.has-error #q{ev['text_q']}").count() == 1
    assert page.locator(".field.has-error .error").first.is_visible()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                                 .where(Registration.event_id == ev["id"])) == 0

    # 4. Answer both questions and submit.
    page.fill(f"#q{ev['text_q']}", TEXT_ANSWER)
    page.check(f"input[name='q{ev['choice_q']}'][value='{CHOICE_B}']")
    page.click("form.form button.btn-primary")
    page.wait_for_url("**/me/registrations")
    assert page.locator(".flash-success").count() == 1
    assert_fits_phone(page)

    # 5. My registrations -> the ticket.
    card = page.locator(".card", has_text=ev["title"])
    assert card.count() == 1
    card.locator("a.btn-primary[href^='/t/']").click()
    page.wait_for_url(re.compile(r"/t/[A-Za-z0-9_-]+$"))
    ticket_url = page.url
    qr = page.locator("#ticket-qr")
    qr.wait_for(state="visible")
    assert_fits_phone(page)
    assert page.locator(".ticket .holder").inner_text().startswith(NAME)
    assert mobile not in page.content(), "the ticket page must show the mobile number masked"
    assert page.locator("form[action$='/ticket/reset']").count() == 1  # the owner may reset

    # The QR is big on the phone screen and not cut off.
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 250 and abs(box["width"] - box["height"]) <= 2, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844, f"QR not on the first screen: {box}"

    # 6. Decode what the phone shows.
    data_token = qr.get_attribute("data-token")
    shot = qr.screenshot()
    decoded = decode_qr(shot)
    page.screenshot(path=str(artifacts_dir / "ticket.png"), full_page=True)
    (artifacts_dir / "ticket-qr.png").write_bytes(shot)

    assert decoded == data_token
    assert len(decoded) == TOKEN_CHARS and B64URL.match(decoded)
    assert len(base64.urlsafe_b64decode(decoded + "==")) == 75

    # 7. The same token in the "Save as image" PNG. (A browser saves whatever the link returns,
    #    error pages included, so ask for the status first to fail with a clear message.)
    save = page.locator("a[href$='/ticket.png']")
    assert save.get_attribute("download") is not None
    png = page.request.get(f"{live_server}{save.get_attribute('href')}")
    assert png.status == 200, f"Save as image: HTTP {png.status}"
    assert png.headers["content-type"] == "image/png"
    assert decode_qr(png.body()) == decoded
    with page.expect_download() as download_info:
        save.click()
    download = download_info.value
    assert download.failure() is None
    download.save_as(artifacts_dir / "ticket-saved.png")
    assert re.fullmatch(r"ticket-\d+-\d+\.png", download.suggested_filename)
    with open(download.path(), "rb") as fh:
        assert decode_qr(fh.read()) == decoded

    # 8. The database agrees: the token is the registration's, and the check-in check accepts it.
    with app.app_context():
        registration = db.session.scalar(
            sa.select(Registration).join(User).where(User.mobile == mobile,
                                                     Registration.event_id == ev["id"]))
        assert registration is not None and registration.status == "confirmed"
        assert ticket_url.endswith(f"/t/{registration.ticket_secret}")
        assert {a.question_id: a.value for a in registration.answers} == {
            ev["text_q"]: TEXT_ANSWER, ev["choice_q"]: CHOICE_B}
        assert ticket_token(registration) == decoded
        assert check_token(decoded).id == registration.id

        # Tampering anywhere is caught: header (version, event id, registration id, generation)
        # and signature alike.
        for index in (0, 3, 8, 13, HEADER_CHARS + 1, 57, TOKEN_CHARS - 1):
            forged = flip(decoded, index)
            assert forged != decoded
            with pytest.raises(InvalidTicket):
                check_token(forged)
        db.session.rollback()
        db.session.remove()

    # 9. The private link works without signing in, in a fresh browser (e.g. forwarded to oneself).
    stranger = phone().new_page()
    response = goto(stranger, ticket_url)
    assert "no-store" in response.headers.get("cache-control", "")
    assert stranger.locator("#ticket-qr").get_attribute("data-token") == decoded
    assert decode_qr(stranger.locator("#ticket-qr").screenshot()) == decoded
    assert stranger.locator("form[action$='/ticket/reset']").count() == 0  # not the owner
    assert stranger.locator("header .nav").get_by_text(NAME, exact=True).count() == 0  # not signed in


# -- phone layout ---------------------------------------------------------------
def test_home_and_event_pages_fit_a_phone_screen(live_server, phone, create_event, db_session):
    from datetime import timedelta

    from app.events.models import EventSession, Series

    series = Series(slug=f"talent-week-{secrets.token_hex(3)}", name="2026人才闵行周·海聚英才全球创新创业大赛")
    db_session.add(series)
    event = create_event(
        title="闵而好才·行者常至——2026届高校毕业生闵行区重点产业专场校园招聘会暨人才政策宣讲（上海交通大学站）",
        series=series, kind="campus_recruiting", capacity=300,
        venue="上海交通大学闵行校区学生服务中心一楼多功能厅（东川路800号）",
        address="上海市闵行区东川路800号上海交通大学闵行校区学生服务中心",
        description="参会企业：紧密围绕集成电路、人工智能、生物医药、航空航天等重点产业。\n"
                    "携带材料：个人简历若干份、学生证、身份证原件及复印件。")
    db_session.add(EventSession(event=event, title="开幕式暨人才政策解读", room="多功能厅",
                                speaker="闵行区人力资源和社会保障局人才开发科",
                                starts_at=event.starts_at, ends_at=event.starts_at + timedelta(hours=1)))
    db_session.commit()
    event_id = event.id

    page = phone().new_page()
    for path in ("/", f"/events/{event_id}"):
        goto(page, f"{live_server}{path}")
        page.wait_for_load_state("load")
        assert_fits_phone(page)
    assert page.locator("h1").inner_text().startswith("闵而好才")
