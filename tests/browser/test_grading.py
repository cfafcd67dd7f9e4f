"""The grading grid in Debian's Chromium on a tablet-sized screen: a trainer enters grades with
the keyboard only (type, Tab / Shift+Tab / Enter / arrow keys), sees each row's weighted total
follow, reloads, and finds the grades saved and the totals the same."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 1024, "height": 768}, "device_scale_factor": 2, "has_touch": True,
          "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def graded_cohort(request, db_session, create_cohort, create_user):
    """Three founders, one lecture held yesterday (all present), assessments: attendance 20 %,
    assignments 30 %, final pitch 50 % (both out of 100)."""
    from app.cohorts.camps import services as cohorts
    from app.cohorts.grading import grades as grading
    from app.cohorts.lessons import attendance
    from app.cohorts.lessons import schedule
    from app.timeutil import utcnow

    cohort = create_cohort()
    runner, trainer = cohort.runner, cohort.trainers[0]
    people = [cohorts.enrol(runner, cohort, create_user(name=n)) for n in ("张玥", "李喆", "王堃")]
    start = utcnow() - timedelta(days=1)
    lesson = schedule.save_lesson(runner, cohort, title="商业模式画布", starts_at=start,
                                 ends_at=start + timedelta(hours=3), trainer=trainer)
    for person in people:
        attendance.mark(trainer, lesson, person, "present")
    pitch = {"name": "结业路演", "kind": "graded", "weight": 50}
    if getattr(request, "param", None) == "rubric":
        pitch["rubric"] = [{"name": name, "levels": [{"label": "优秀", "points": 4}, {"label": "良好", "points": 3},
                                                     {"label": "合格", "points": 2}, {"label": "不合格", "points": 0}]}
                           for name in ("商业模式", "路演表达")]
    grading.set_assessments(runner, cohort, [{"name": "出勤", "kind": "attendance", "weight": 20},
                                             {"name": "作业", "kind": "graded", "weight": 30}, pitch])
    db_session.commit()
    return {"cohort": cohort.id, "trainer": trainer.mobile, "people": [p.id for p in people]}


def _open_grid(page, live_server, graded_cohort):
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", graded_cohort["trainer"])
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{live_server}/grading/{graded_cohort['cohort']}")


def test_trainer_grades_with_the_keyboard_and_finds_them_after_reload(live_server, browser, graded_cohort,
                                                                      artifacts_dir):
    context = browser.new_context(**TABLET)
    context.set_default_timeout(TIMEOUT_MS)
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _open_grid(page, live_server, graded_cohort)
        first, second, third = graded_cohort["people"]
        total = lambda eid: page.locator(f'[data-testid="total-{eid}"] .total-score')  # noqa: E731
        assert total(first).inner_text() == "20"  # attendance alone: 100 % × 20

        page.locator('input.cell[data-row="0"][data-col="1"]').focus()  # 作业 of the first founder
        page.keyboard.type("80")
        assert total(first).inner_text() == "44"  # live, before saving: 20 + 80 × 0.3
        page.keyboard.press("Tab")                # → 结业路演 of the same founder (saves 作业)
        page.keyboard.type("90")
        page.keyboard.press("Enter")              # saves, moves down to the second founder's 结业路演
        page.keyboard.type("70")
        page.keyboard.press("Shift+Tab")          # ← back to the second founder's 作业
        page.keyboard.type("60")
        page.keyboard.press("ArrowDown")          # ↓ the third founder's 作业
        page.keyboard.type("abc")
        page.keyboard.press("Enter")              # refused in place, nothing saved
        bad = page.locator(f'tr[data-enrolment="{third}"] td[data-state="error"] .cell-msg')
        assert bad.inner_text()
        page.keyboard.press("Escape")
        page.keyboard.type("50")
        page.keyboard.press("Enter")

        saved = page.locator('td.cell-td[data-state="saved"]')
        expect(page.locator('td.cell-td[data-state="saved"]')).to_have_count(5, timeout=TIMEOUT_MS)
        assert saved.count() == 5 and page.locator('td.cell-td[data-state="error"]').count() == 0
        expected = {first: "89", second: "73", third: "35"}  # 20 + 24 + 45; 20 + 18 + 35; 20 + 15
        for eid, value in expected.items():
            assert total(eid).inner_text() == value
        page.screenshot(path=str(artifacts_dir / "grading-grid.png"), full_page=True)

        page.reload()
        cell = lambda row, col: page.locator(f'input.cell[data-row="{row}"][data-col="{col}"]')  # noqa: E731
        assert [cell(0, 1).input_value(), cell(0, 2).input_value(), cell(1, 1).input_value(),
                cell(1, 2).input_value(), cell(2, 1).input_value(), cell(2, 2).input_value()] == \
            ["80", "90", "60", "70", "50", ""]
        for eid, value in expected.items():
            assert total(eid).inner_text() == value
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.mark.parametrize("graded_cohort", ["rubric"], indirect=True)
def test_rubric_cell_opens_a_level_picker(live_server, browser, graded_cohort):
    context = browser.new_context(**TABLET)
    context.set_default_timeout(TIMEOUT_MS)
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _open_grid(page, live_server, graded_cohort)
        first = graded_cohort["people"][0]
        page.locator('input.cell[data-row="0"][data-col="1"]').focus()
        page.keyboard.type("80")
        page.keyboard.press("Tab")        # → the rubric cell (a button); its saved score was none
        page.keyboard.press("Enter")      # opens the picker, first criterion focused
        picker = page.locator("#rubric-picker")
        picker.wait_for(state="visible")
        page.keyboard.press("ArrowDown")  # 商业模式: — → 优秀
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")  # 路演表达: — → 优秀
        page.keyboard.press("ArrowDown")  # → 良好
        page.keyboard.press("Enter")      # save
        cell = page.locator('button.rubric-cell[data-row="0"]')
        expect(page.locator('td.cell-td[data-state="saved"]')).to_have_count(2, timeout=TIMEOUT_MS)
        assert cell.inner_text() == "87.5" and picker.is_hidden()
        total = page.locator(f'[data-testid="total-{first}"] .total-score')
        assert total.inner_text() == "87.75"  # 20 + 24 + 87.5 × 0.5
        page.reload()
        assert page.locator('button.rubric-cell[data-row="0"]').inner_text() == "87.5"
        assert total.inner_text() == "87.75"
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
