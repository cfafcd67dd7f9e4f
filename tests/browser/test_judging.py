"""Judging on a phone in Debian's Chromium: a judge enters scores with big tap targets; the aspect
whose judgement scores are more than one point apart is flagged on the page until it is
re-scored; the judge who entered scores cannot confirm them; the chief judge confirms; the
ranking page then shows the entrant with the confirmed total."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.test_ticket_flow import assert_fits_phone
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def arena(db_session, create_user, departments):
    """养老健康照护 with a measurement (max 3) and a judgement aspect (max 6), three judges and a
    chief judge, two approved entrants checked in through the shared scan service; for 王丽 the
    other two judges already gave 1 and 3 on the judgement aspect (flagged)."""
    from app.checkin import services as checkin
    from app.competitions import services as cs
    from app.tickets.services import ticket_token
    from app.timeutil import utcnow

    organiser = create_user("organiser", department="skills")
    competition = cs.create_competition(organiser, name="闵行区职业技能竞赛", year=2026, level="district",
                                        department_id=departments["skills"].id)
    start = utcnow() + timedelta(minutes=30)
    category = cs.save_category(organiser, competition, name="养老健康照护", venue="实训楼", starts_at=start,
                                ends_at=start + timedelta(hours=6), capacity=10, min_age=18, max_age=55)
    practice = cs.add_criterion(organiser, category, name="基础护理")
    measured = cs.add_aspect(organiser, practice, description="血压测量读数", kind="measurement", max_mark="3",
                             outcomes="完全正确=3; 部分正确=1.5; 错误=0")
    care = cs.add_criterion(organiser, category, name="人文关怀")
    judged = cs.add_aspect(organiser, care, description="与老人沟通", kind="judgement", max_mark="6")
    panel = (("钱喆", "上海健康医学院"), ("许文澜", "闵行区中心医院"), ("何建平", "上海市第五社会福利院"))
    judges = [create_user("judge", name=n, employer=e) for n, e in panel]
    chief = create_user("judge", name="吕国栋", employer="闵行区职业技能鉴定所")
    cs.set_judges(organiser, category, judges, chief)
    cs.set_status(organiser, competition, "open")
    entries = []
    for name in ("王丽", "陈静"):
        user = create_user(name=name)
        entries.append(cs.register_entry(user, category, employer="上海颐家养老服务有限公司", occupation="养老护理员",
                                         birth_date=date(1990, 5, 1)))
    cs.approve_entries(organiser, category, entries)
    point = checkin.event_checkpoint(category.event)
    assert all(checkin.scan(point, ticket_token(e.registration)).result.value == "ok" for e in entries)
    cs.enter_scores(judges[1], entries[0], {judged.id: "1"})
    cs.enter_scores(judges[2], entries[0], {judged.id: "3"})
    db_session.commit()
    return {"category": category.id, "entry": entries[0].id, "measured": measured.id, "judged": judged.id,
            "judges": judges, "chief": chief}


def sign_in(page, live_server, user):
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", user.mobile)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form .btn-primary").click()
    page.wait_for_url(lambda url: "/login" not in url)


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

    with app.app_context():  # after the discussion, 许文澜 re-scores within one point
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
