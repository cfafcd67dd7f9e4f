"""The pitch final on phones in Debian's Chromium: three judges, each in their own phone context,
score the finalists per criterion with a comment; the chief judge confirms on a phone; the
results screen (a projector page polling JSON) ranks the entries by number only, and shows the
projects once the organiser releases the results."""
from __future__ import annotations

import pytest

from tests.browser.conftest import assert_fits_phone, goto, sign_in
from tests.fixtures.pitch import through_to_final

pytestmark = pytest.mark.browser

# (项目路演, 答辩) per judge, per entry: entry B is best, then C, then A
MARKS = {"A": (30, 30), "B": (45, 44), "C": (40, 38)}


@pytest.fixture
def final_stage(db_session, pitch, pitch_entry):
    entries = {key: pitch_entry(project=f"决赛{key}项目", company=f"上海{key}创新科技有限公司") for key in MARKS}
    final = through_to_final(pitch, list(entries.values()), db_session)
    return {"final": final.id, "criteria": [c.id for c in final.criteria], "entries": entries,
            "judges": [pitch.judges[0], pitch.judges[3], pitch.judges[4]], "chief": pitch.judges[5],
            "organiser": pitch.organiser, "competition": pitch.competition.id}


def test_three_judges_score_the_final_on_phones_and_the_screen_ranks_and_then_names(
        app, live_server, phone, final_stage, artifacts_dir):
    from app.extensions import db
    from app.pitch import services as ps

    final_id, criteria = final_stage["final"], final_stage["criteria"]
    pages = []
    for judge in final_stage["judges"]:
        page = phone().new_page()
        sign_in(page, live_server, judge)
        pages.append(page)
    for key, entry in final_stage["entries"].items():
        for n, page in enumerate(pages):
            goto(page, f"{live_server}/pitch/judge/rounds/{final_id}/entries/{entry.id}")
            for criterion, value in zip(criteria, MARKS[key]):
                page.fill(f"input[name=c{criterion}]", str(value))
                page.fill(f"input[name=n{criterion}]", f"评委{n + 1}意见")
            page.get_by_role("button", name="保存我的评分").click()
            page.locator(".flash-success").wait_for()
            assert page.get_by_role("button", name="复核确认评分").count() == 0  # scorers do not confirm
    assert_fits_phone(pages[0])
    pages[0].screenshot(path=str(artifacts_dir / "pitch-judge-phone.png"), full_page=True)

    chief = phone().new_page()
    sign_in(chief, live_server, final_stage["chief"])
    for entry in final_stage["entries"].values():
        goto(chief, f"{live_server}/pitch/judge/rounds/{final_id}/entries/{entry.id}")
        chief.get_by_role("button", name="复核确认评分").click()
        chief.get_by_test_id("confirmed").wait_for()

    screen = phone().new_page()
    goto(screen, f"{live_server}/pitch/{final_stage['competition']}/screen")
    rows = screen.locator("#screen-rows tr")
    codes = [final_stage["entries"][k].code for k in ("B", "C", "A")]
    assert [r.get_attribute("data-code") for r in rows.all()] == codes
    text = screen.locator("#screen-rows").inner_text()
    assert "决赛B项目" not in text and f"参赛项目 {codes[0]}" in text
    assert screen.get_by_test_id("screen-state").get_attribute("data-released") == "0"

    with app.app_context():  # the organiser closes the final and releases the results
        competition = ps.get_competition(final_stage["competition"])
        organiser = db.session.get(type(final_stage["organiser"]), final_stage["organiser"].id)
        ps.close_round(organiser, ps.get_round(final_id))
        ps.release(organiser, competition)
        db.session.commit()
    screen.locator('#screen-state[data-released="1"]').wait_for()  # the page's next poll
    first = screen.locator("#screen-rows tr").first.inner_text()
    assert "决赛B项目" in first and "一等奖" in first
    assert [r.get_attribute("data-code") for r in screen.locator("#screen-rows tr").all()] == codes
    screen.screenshot(path=str(artifacts_dir / "pitch-results-screen.png"), full_page=True)
