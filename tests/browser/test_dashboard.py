"""The leaders' dashboard in Debian's Chromium on a phone (WeChat), on the demo's data: the leader
(leader@minhang.example) signs in, lands on /dashboard, sees the seed plan's 1,500 职业见习 target with
the demo's count as the ledger gives it, its chart drawn, opens the target, drills down to the people
behind the figure (masked), then asks for the 年度评估 of 2024 and downloads the PDF once it is ready."""
from __future__ import annotations

import re
import subprocess

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.plans.ledger import figures
from app.plans.scope import EVERYTHING
from app.timeutil import local_today
from tests.browser.conftest import TIMEOUT_MS, assert_fits_phone
from tests.fixtures.certificates import pdf_fonts

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_trainees(db_session):
    """The demo loaded (a smaller pool of participants), and its plan's `trainees` target."""
    from app.demo.loader import load_demo
    from app.demo.plans import SLUG
    from app.plans.models import Plan, Target

    load_demo(participants=60, echo=lambda *a, **k: None)
    db_session.commit()
    plan = db_session.scalar(sa.select(Plan).where(Plan.slug == SLUG))
    return db_session.scalar(sa.select(Target).where(Target.plan_id == plan.id, Target.code == "trainees"))


def test_a_leader_reads_the_dashboard_drills_down_and_downloads_the_annual_assessment(
        live_server, phone, db_session, demo_trainees, artifacts_dir, tmp_path):
    target = demo_trainees
    count = int(figures.progress(target, EVERYTHING, local_today()).actual)
    assert count > 0 and target.number == 1500
    people = phone().new_page()

    people.goto(f"{live_server}/login")
    people.fill("input[name=login]", "leader@minhang.example")
    people.fill("input[name=password]", "Leader#2026")
    people.locator("form .btn-primary").click()
    people.wait_for_url("**/dashboard")
    card = people.locator("[data-target='trainees']")
    expect(card).to_contain_text("职业见习或大学生社会实践")
    expect(card.locator(".plan-actual")).to_have_text(f"{count:,}")
    expect(card).to_contain_text("1,500")
    expect(card.locator(".badge")).to_be_visible()
    # the chart is drawn (Chart.js sizes its canvas) and the time-gone marker is placed
    people.wait_for_function("() => document.querySelector(\"[data-target='trainees'] canvas\").width > 0")
    assert card.locator(".plan-marker").evaluate("m => m.style.left") not in ("", "0%")
    assert_fits_phone(people)
    people.screenshot(path=str(artifacts_dir / "dashboard-phone.png"), full_page=True)

    card.get_by_role("link", name=re.compile("职业见习或大学生社会实践")).first.click()
    people.wait_for_url(f"**/dashboard/targets/{target.id}")
    people.wait_for_function("() => document.querySelector('.plan-chart-big canvas').width > 0")
    assert_fits_phone(people)
    people.locator(".plan-actual").click()
    people.wait_for_url(f"**/dashboard/targets/{target.id}/people")
    rows = people.locator("tr[data-person]")
    expect(rows).to_have_count(min(count, 50))
    expect(rows.first).to_contain_text("****")  # masked mobile numbers
    assert_fits_phone(people)
    people.screenshot(path=str(artifacts_dir / "dashboard-people-phone.png"), full_page=True)

    people.goto(f"{live_server}/dashboard")
    people.get_by_test_id("plan-reports").click()
    people.wait_for_url("**/dashboard/reports")
    people.locator("input[name=kind][value=annual]").check()
    people.fill("input[name=year]", "2024")
    people.select_option("select[name=fmt]", "pdf")
    people.locator("form.report-request button[type=submit], form.report-request .btn-primary").first.click()
    download_link = people.locator("#job-download:not([hidden])")
    download_link.wait_for(timeout=8 * TIMEOUT_MS)  # laid out in the background; the page polls its progress
    with people.expect_download() as waiting:
        download_link.click()
    pdf = tmp_path / "annual.pdf"
    waiting.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "年度评估" in text and "职业见习或大学生社会实践" in text
    fonts = pdf_fonts(pdf)
    assert fonts and all(font["emb"] == "yes" for font in fonts), fonts
