"""The leaders' dashboard in Debian's Chromium on a phone (WeChat): a leader signs in, lands on
/dashboard, sees the traineeship target's figure as the ledger counts it, with its chart drawn,
opens the target and drills down to the list of people (masked), all in one column.

The plan is built here (`traineeship_target`); once the demo loads the seed plan, that one function
becomes "the demo's `trainees` target" and the test reads the 1,500 target with the demo's count."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.plans.ledger import figures
from app.plans.scope import EVERYTHING
from app.timeutil import local_today, utcnow
from tests.browser.conftest import assert_fits_phone, goto, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def traineeship_target(db_session, departments, create_plan, create_target, create_event, create_user, attend):
    """The target the leader looks at, found by its code: here a plan of this year and the next with
    职业见习 1,500 counted from the people who came to 区就促中心's occasions."""
    def _find(code: str = "trainees"):
        from app.plans.models import PlanItem

        today = local_today()
        plan = create_plan(starts_on=today - timedelta(days=300), ends_on=today + timedelta(days=795))
        item = PlanItem(plan=plan, code="二.5", section="（二）实施六项人才培育培养工程", title="青年见习计划",
                        position=1, departments=[departments["employment"]])
        db_session.add(item)
        target = create_target(plan, code=code, title="职业见习或大学生社会实践", number=1500, item=item,
                               departments=[departments["employment"]])
        event = create_event(kind="job_fair", department=departments["employment"],
                             starts_at=utcnow() - timedelta(days=60))
        for name in ("韩雨桐", "宋佳怡", "陆子昂"):
            attend(event, create_user(name=name), utcnow() - timedelta(days=60))
        db_session.commit()
        return target
    return _find


def test_a_leader_reads_the_dashboard_and_drills_down_on_a_phone(live_server, phone, db_session, create_user,
                                                                  traineeship_target, artifacts_dir):
    target = traineeship_target("trainees")
    count = figures.progress(target, EVERYTHING, local_today()).actual
    leader = create_user("leader", name="局领导 陈志远")
    people = phone().new_page()

    sign_in(people, live_server, leader)
    people.wait_for_url("**/dashboard")
    card = people.locator(f"[data-target='{target.code}']")
    expect(card).to_contain_text("职业见习或大学生社会实践")
    expect(card.locator(".plan-actual")).to_have_text(f"{int(count):,}")
    expect(card).to_contain_text("1,500")
    expect(card.locator(".badge")).to_be_visible()
    # the chart is drawn (Chart.js sizes its canvas) and the time-gone marker is placed
    people.wait_for_function("() => document.querySelector(\"[data-target='trainees'] canvas\").width > 0")
    assert card.locator(".plan-marker").evaluate("m => m.style.left") not in ("", "0%")
    assert_fits_phone(people)
    people.screenshot(path=str(artifacts_dir / "dashboard-phone.png"), full_page=True)

    card.get_by_role("link", name="职业见习或大学生社会实践").click()
    people.wait_for_url(f"**/dashboard/targets/{target.id}")
    people.wait_for_function("() => document.querySelector('.plan-chart-big canvas').width > 0")
    assert_fits_phone(people)
    people.screenshot(path=str(artifacts_dir / "dashboard-target-phone.png"), full_page=True)
    people.locator(".plan-actual").click()
    people.wait_for_url(f"**/dashboard/targets/{target.id}/people")
    rows = people.locator("tr[data-person]")
    expect(rows).to_have_count(int(count))
    expect(rows.first).to_contain_text("韩雨桐")
    expect(rows.first).to_contain_text("****")
    assert_fits_phone(people)
    people.screenshot(path=str(artifacts_dir / "dashboard-people-phone.png"), full_page=True)
    goto(people, f"{live_server}/dashboard")
