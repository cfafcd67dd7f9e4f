"""End to end, 场所码: the organiser's screen shows the door's rotating venue code; a person's phone
reads it (decoded back with zxing-cpp, as a camera would), signs in, comes back and is checked in
with a green page; the screen's count of arrivals follows by itself. The printed poster's code
is read back too."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import assert_fits_phone, goto, sign_in
from tests.browser.test_booth_interest import decode_qr

pytestmark = pytest.mark.browser


def test_scan_the_screens_code_sign_in_and_be_checked_in(app, live_server, phone, venue, artifacts_dir):
    screen = phone().new_page()
    sign_in(screen, live_server, venue.organiser)
    goto(screen, f"{live_server}/console/checkpoints/{venue.door.id}/screen")
    assert screen.locator("#projector-expected").inner_text() == "1"
    assert screen.locator("#projector-arrived").inner_text() == "0"
    link = decode_qr(screen.locator("#projector-qr").screenshot())
    assert link.startswith(app.config["PUBLIC_BASE_URL"]) and "/c/" in link

    page = phone().new_page()
    page.goto(live_server + urlsplit(link).path)
    page.wait_for_url("**/login**")
    page.fill("input[name=login]", venue.person.mobile)
    page.fill("input[name=password]", "correct-horse-9")
    page.locator("form .btn-primary").click()
    page.wait_for_url("**/c/**")
    verdict = page.locator(".verdict")
    assert verdict.get_attribute("data-result") == "ok" and "verdict-ok" in verdict.get_attribute("class")
    assert_fits_phone(page)
    page.screenshot(path=str(artifacts_dir / "venue-code-checked-in.png"))
    page.reload()
    assert page.locator(".verdict").get_attribute("data-result") == "already_checked_in"

    # The screen polls every 5 s: the arrival shows without reloading.
    screen.wait_for_function("() => document.getElementById('projector-arrived').textContent === '1'",
                             timeout=12_000)


def test_the_printed_posters_code_reads_back(app, live_server, phone, venue):
    page = phone().new_page()
    sign_in(page, live_server, venue.organiser)
    goto(page, f"{live_server}/console/checkpoints/{venue.door.id}/poster")
    page.locator("form button", has_text="生成打印场所码").click()
    page.wait_for_selector(".venue-poster-qr svg")
    link = decode_qr(page.locator(".venue-poster-qr").screenshot())
    assert "/c/" in link
    other = phone().new_page()
    sign_in(other, live_server, venue.person)
    goto(other, live_server + urlsplit(link).path)
    assert other.locator(".verdict").get_attribute("data-result") == "ok"
