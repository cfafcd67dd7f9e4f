"""End to end, 扫码投递: the booth's code on its screen page is read back with a real decoder
(zxing-cpp); a job seeker opens that link on their phone (signing in first, and brought back),
chooses a position, agrees to share with the employer named in the consent, and the employer's
contact sees them in the portal."""
from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tests.browser.conftest import assert_fits_phone, goto, sign_in

pytestmark = pytest.mark.browser

SEEKER = "司马雨桐"


def decode_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    image.load()
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1, f"expected one QR code, zxing found {len(results)}"
    return results[0].text


@pytest.fixture
def fair(job_fair, create_user, db_session):
    made = job_fair()
    seeker = create_user(name=SEEKER)
    db_session.commit()  # the server thread sees committed rows only
    return {"booth_id": made.booths[0].id, "code": made.booths[0].booth_code,
            "employer": made.booths[0].organisation.name, "position": made.booths[0].positions[0].title,
            "organiser": made.organiser, "contact": made.contacts[0], "other_contact": made.contacts[1],
            "seeker": seeker}


def test_scan_the_booth_code_express_interest_and_the_employer_sees_it(app, live_server, phone, fair):
    from app.extensions import db
    from app.jobfairs.models import Consent, Interest

    # The booth's screen, opened by the fair's organiser: its QR decoded as a phone camera would.
    screen = phone().new_page()
    sign_in(screen, live_server, fair["organiser"])
    goto(screen, f"{live_server}/jobfairs/booths/{fair['booth_id']}/screen")
    link = decode_qr(screen.locator("#booth-qr").screenshot())
    assert link.endswith(f"/jobfairs/b/{fair['code']}") and link.startswith(app.config["PUBLIC_BASE_URL"])
    # Its path on the test server (the link's host is the configured public address).
    booth_url = live_server + urlsplit(link).path

    # The seeker's phone: not signed in, so the login page first, then back at the booth.
    page = phone().new_page()
    page.goto(booth_url)
    page.wait_for_url("**/login**")
    page.fill("input[name=login]", fair["seeker"].mobile)
    page.fill("input[name=password]", "correct-horse-9")
    page.locator("form .btn-primary").click()
    page.wait_for_url(booth_url)
    assert_fits_phone(page)
    assert page.get_by_text(fair["position"]).count() >= 1
    consent_label = page.locator(".field.consent label")
    assert fair["employer"] in consent_label.inner_text()

    page.locator("input[name=positions]").first.check()
    page.select_option("select[name=education]", "bachelor")
    page.fill("input[name=school]", "上海交通大学")
    page.fill("input[name=major]", "计算机科学与技术")
    # Without the consent nothing is sent: the form comes back.
    page.locator("#interest-form .btn-primary").click()
    page.wait_for_load_state()
    assert page.url == booth_url
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Interest)) == 0
    page.locator("input[name=positions]").first.check()
    page.locator(".field.consent input[type=checkbox]").check()
    page.locator("#interest-form .btn-primary").click()
    page.wait_for_url("**/me/jobfairs")
    assert page.locator(f"[data-status=shared]", has_text=fair["employer"]).count() == 1
    with app.app_context():
        consent = db.session.scalar(sa.select(Consent))
        assert consent is not None and consent.withdrawn_at is None and consent.user_id == fair["seeker"].id

    # The employer's contact sees the candidate in the portal; the other employer does not.
    employer = phone().new_page()
    sign_in(employer, live_server, fair["contact"])
    goto(employer, f"{live_server}/employer/jobfairs")
    row = employer.locator("[data-candidate]", has_text=SEEKER)
    assert row.count() == 1 and fair["position"] in row.inner_text()
    assert fair["seeker"].mobile not in row.inner_text()  # masked: the mobile was not agreed to
    assert_fits_phone(employer)
    other = phone().new_page()
    sign_in(other, live_server, fair["other_contact"])
    goto(other, f"{live_server}/employer/jobfairs")
    assert other.locator("[data-candidate]").count() == 0
