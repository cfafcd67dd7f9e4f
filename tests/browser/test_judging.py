"""Judging on a phone in Debian's Chromium: a judge enters scores with big tap targets; the aspect
whose judgement scores are more than one point apart is flagged on the page until it is
re-scored; the judge who entered scores cannot confirm them; the chief judge confirms; the
ranking page then shows the entrant with the confirmed total."""
from __future__ import annotations

import pytest

from tests.browser.conftest import assert_fits_phone, sign_in
from tests.fixtures.competitions import score

pytestmark = pytest.mark.browser


@pytest.fixture
def arena(db_session, contest, enter):
    """The shared `contest` (养老健康照护: a measurement aspect, max 3, and a judgement aspect, max 6;
    three judges and a chief judge) with two approved entrants checked in through the shared scan
    service; for 王丽 the second and third judges already gave 1 and 3 on the judgement aspect
    (flagged)."""
    from app.checkin import services as checkin
    from app.tickets.services import ticket_token

    entries = [enter("王丽"), enter("陈静")]
    point = checkin.event_checkpoint(contest.category.event)
    assert all(checkin.scan(point, ticket_token(e.registration)).result.value == "ok" for e in entries)
    score(entries[0], contest.judges[1], contest.judged, "1")
    score(entries[0], contest.judges[2], contest.judged, "3")
    db_session.commit()
    return {"category": contest.category.id, "entry": entries[0].id, "measured": contest.measured.id,
            "judged": contest.judged.id, "judges": contest.judges, "chief": contest.chief}


def test_a_judge_scores_on_a_phone_and_the_confirmed_result_is_ranked(app, live_server, phone, arena,
                                                                      artifacts_dir):
    from app.competitions import services as cs
    from app.extensions import db

    page = phone().new_page()
    sign_in(page, live_server, arena["judges"][0])
    page.get_by_role("button", name="菜单").click()  # on a phone the header's links fold behind it
    page.get_by_role("link", name="裁判评分").click()
    page.get_by_role("link", name="养老健康照护").click()
    page.get_by_role("link", name="王丽").click()
    flagged = page.locator(f'fieldset[data-aspect="{arena["judged"]}"]')
    assert flagged.get_attribute("data-flagged") == "1"  # the other judges gave 1 and 3
    assert "1" in flagged.locator(".flag-note").inner_text() and "3" in flagged.locator(".flag-note").inner_text()
    assert_fits_phone(page)

    page.locator(f'fieldset[data-aspect="{arena["measured"]}"] label.pick', has_text="完全正确").click()
    flagged.locator("label.pick", has_text="3").click()
    page.get_by_role("button", name="保存我的评分").click()
    page.locator(".flash-success").wait_for()
    assert page.locator(f'fieldset[data-aspect="{arena["judged"]}"]').get_attribute("data-flagged") == "1"
    assert page.get_by_test_id("flag-summary").is_visible()
    assert page.get_by_role("button", name="复核确认评分").count() == 0  # they entered scores: not theirs to confirm
    page.screenshot(path=str(artifacts_dir / "judging-flagged.png"), full_page=True)

    with app.app_context():  # after the discussion, the second judge re-scores within one point
        entry = cs.get_entry(arena["entry"])
        cs.enter_scores(cs.get_category(arena["category"]).judges[1], entry, {arena["judged"]: "2"})
        db.session.commit()
    page.reload()
    assert page.locator(f'fieldset[data-aspect="{arena["judged"]}"]').get_attribute("data-flagged") is None
    assert page.get_by_test_id("flag-summary").count() == 0

    chief = phone().new_page()
    sign_in(chief, live_server, arena["chief"])
    chief.goto(f"{live_server}/judge/entries/{arena['entry']}")
    assert chief.locator("input[type=radio]:not([disabled])").count() == 0  # the chief judge does not score
    chief.get_by_role("button", name="复核确认评分").click()
    chief.get_by_test_id("confirmed").wait_for()
    chief.goto(f"{live_server}/judge/categories/{arena['category']}")
    chief.get_by_role("link", name="排名").click()
    row = chief.locator(f'.results-table tr[data-entry="{arena["entry"]}"]')
    text = row.inner_text()
    # 3 (完全正确) + 6 × (3 + 2 + 3) / 3 ÷ 3 = 3 + 5.33
    assert text.split()[0] == "1" and "王丽" in text and "8.33" in text and "一等奖" in text
    assert chief.locator(".results-table tbody tr").count() == 1  # 陈静 has no confirmed scores
    assert_fits_phone(chief)
    chief.screenshot(path=str(artifacts_dir / "judging-ranking.png"), full_page=True)
