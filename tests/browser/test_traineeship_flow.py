"""A youth traineeship in Debian's Chromium: a young person applies on a phone for two places in
order of preference, the first host's contact accepts them in the host portal on a laptop, the
bureau confirms the placement, the trainee sees it on their phone; then the host's contact confirms
the placement's first month and the trainee sees that month too.

A month is confirmed once its days are over, so the batch (made through the batch service, whose
rules allow it) takes applications while its placements already run: they started on the first of
last month."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.timeutil import local_today
from app.traineeships import months
from tests.browser.conftest import PHONE, TIMEOUT_MS, assert_fits_phone, sign_in

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def test_apply_on_a_phone_accept_in_the_portal_confirm_in_the_console(live_server, browser, db_session,
                                                                      traineeship, create_user, artifacts_dir):
    last_month = months.first_of(months.first_of(local_today()) - timedelta(days=1))
    world = traineeship(starts_on=last_month, ends_on=local_today() + timedelta(days=60))
    batch, (first_place, second_place) = world.batch, world.places
    trainee = create_user(name="韩雨桐")
    errors = []

    def context(options):
        made = browser.new_context(**options)
        made.set_default_timeout(TIMEOUT_MS)
        made.on("page", lambda page: page.on("pageerror", lambda exc: errors.append(str(exc))))
        return made

    phone, laptop = context(PHONE), context(LAPTOP)
    try:
        # -- the young person, on a phone ------------------------------------------------
        page = phone.new_page()
        sign_in(page, live_server, trainee)
        page.goto(f"{live_server}/traineeships/")
        page.get_by_role("link", name=batch.title).click()
        page.wait_for_url(f"**/traineeships/{batch.id}/apply")
        assert_fits_phone(page)
        page.select_option("select[name=choice_1]", str(first_place.id))
        page.select_option("select[name=choice_2]", str(second_place.id))
        page.fill("input[name=school_name]", "上海师范大学")
        page.fill("input[name=major]", "汉语言文学")
        page.select_option("select[name=education]", "bachelor")
        page.fill("input[name=graduation_year]", "2026")
        page.fill("input[name=birth_date]", "2003-10-08")
        page.check("input[name=in_shanghai_household]")
        page.check("input[name=left_school_unemployed]")
        page.locator("#apply-form button.btn-primary").click()
        page.wait_for_url("**/me/traineeships")
        expect(page.locator("[data-choice-status=pending]")).to_have_count(2)
        assert_fits_phone(page)
        page.screenshot(path=str(artifacts_dir / "traineeship-applied-phone.png"), full_page=True)

        # -- the first host's contact, on a laptop ------------------------------------------
        host = laptop.new_page()
        sign_in(host, live_server, world.contacts[0])
        host.goto(f"{live_server}/host/")
        host.get_by_role("link", name=first_place.position).click()
        row = host.locator("tr[data-applicant='韩雨桐']")
        expect(row).to_contain_text("上海师范大学")
        expect(row).not_to_contain_text(trainee.mobile)
        row.locator("form[action$='/accept'] button").click()
        expect(host.locator(".flash-success")).to_be_visible()
        expect(host.locator("tr[data-applicant='韩雨桐'] form[action$='/accept']")).to_have_count(0)

        # -- the bureau, on a laptop (a second sign-in in the same browser) --------------------
        laptop.clear_cookies()
        bureau = laptop.new_page()
        sign_in(bureau, live_server, world.organiser)
        bureau.goto(f"{live_server}/console/traineeships/{batch.id}")
        bureau.locator("form[action$='/confirm'] button").click()
        expect(bureau.locator(".flash-success")).to_be_visible()
        expect(bureau.locator("form[action$='/confirm']")).to_have_count(0)

        # -- the trainee sees the placement ----------------------------------------------------
        page.reload()
        placement = page.locator("[data-placement]")
        expect(placement).to_contain_text(world.hosts[0].name)
        expect(placement).to_contain_text(str(batch.starts_on))
        expect(page.locator("[data-choice-status=superseded]")).to_have_count(1)
        assert_fits_phone(page)
        page.screenshot(path=str(artifacts_dir / "traineeship-placed-phone.png"), full_page=True)

        # -- the host's contact confirms last month, on the laptop ------------------------------
        laptop.clear_cookies()
        host = laptop.new_page()
        sign_in(host, live_server, world.contacts[0])
        host.goto(f"{live_server}/host/trainees")
        host.get_by_role("link", name="韩雨桐").first.click()
        month = last_month.strftime("%Y-%m")
        form = host.locator(f"form:has(input[name=month][value='{month}'])")
        form.locator("input[name=present_days]").fill("15")
        form.locator("input[name=absent_days]").fill("1")
        form.locator("button").click()
        expect(host.locator(".flash-success")).to_be_visible()

        # -- the trainee sees the placement and the month -----------------------------------------
        page.reload()
        expect(page.locator("[data-placement]")).to_contain_text(world.hosts[0].name)
        confirmed = page.locator(f"[data-placement] [data-month='{month}']")
        expect(confirmed).to_contain_text("15")
        assert_fits_phone(page)
        page.screenshot(path=str(artifacts_dir / "traineeship-month-phone.png"), full_page=True)
    finally:
        phone.close()
        laptop.close()
    assert not errors, errors
