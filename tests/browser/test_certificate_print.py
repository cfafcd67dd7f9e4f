"""In the browser: print an event's certificates as one PDF in the background, watch the
progress bar, leave the page, come back from the list of recent jobs and download the file."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.fixtures.accounts import RARE_NAMES

pytestmark = pytest.mark.browser


def test_batch_print_progress_and_download(app, live_server, phone, db_session, create_user, create_attended_event,
                                           tmp_path):
    from app.certificates import services

    organiser = create_user("organiser", mobile="13700000001")
    names = [RARE_NAMES[i % len(RARE_NAMES)] for i in range(30)]
    event, _came, _ = create_attended_event(names)
    issued = services.issue_for_attendance(organiser, event).issued
    db_session.commit()
    assert len(issued) == 30

    page = phone().new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", organiser.mobile)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button")
    page.goto(f"{live_server}/console/certificates/events/{event.id}")
    page.click("button[name=output][value=pdf]")
    page.wait_for_url("**/console/certificates/jobs/*")
    job_url = page.url
    progress = page.locator("#job-progress")
    assert progress.is_visible()
    seen = set()
    for _ in range(300):  # the bar moves while the job runs, then the link appears
        seen.add(progress.evaluate("e => e.value"))
        if page.locator("#job-download").is_visible():
            break
        page.wait_for_timeout(200)
    assert page.locator("#job-download").is_visible(), "the job never finished"
    assert min(seen) < 100  # the link was hidden while the bar was filling
    assert progress.evaluate("e => e.value") == 100
    assert "30" in page.locator("#job-text").inner_text()

    # leave, come back through the recent jobs list, download
    page.goto(f"{live_server}/console/certificates/")
    page.click(f"a[href$='{job_url.rsplit('/', 1)[1]}']")
    with page.expect_download() as info:
        page.click("#job-download")
    path = tmp_path / "batch.pdf"
    info.value.save_as(path)
    import subprocess

    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           30" in pages
