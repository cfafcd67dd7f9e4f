"""The 年度评估 / 中期评估 / 月度定期报告: their figures are the ledger's progress() (in the PDF's
text and in the XLSX's cells), every font is embedded with every glyph, a head's report holds
their departments only, and a run goes queued → running → done (or failed, with the reason)."""
from __future__ import annotations

import io
import re
import time
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from prometheus_client import REGISTRY

from app import background
from app.plans.ledger import figures
from app.plans.models import EnteredFigure, PlanItem
from app.plans.reports import content, documents, services
from app.plans.reports.models import ReportRun
from app.plans.scope import EVERYTHING, Scope
from app.timeutil import LOCAL_TZ, as_utc
from app.transitions import changes_of
from tests.conftest import login
from tests.fixtures.certificates import pdf_file, pdf_fonts, pdf_text

SANS_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SANS_CJK_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
TODAY = date(2025, 3, 1)  # after the plan: every period asked for has ended


def shanghai(*args) -> datetime:
    return as_utc(datetime(*args, tzinfo=LOCAL_TZ))


@pytest.fixture
def world(db_session, create_plan, create_target, create_event, create_user, departments, attend):
    """A plan of 2022–2024 with two items: 品牌活动 (区人才中心) counting forum-goers and watching all
    attendees, 就业见习 (区就促中心) counting job-fair-goers and an entered figure with evidence."""
    talent, employment = departments["talent_center"], departments["employment"]
    plan = create_plan(issued_by="闵行区人才工作领导小组办公室")
    brand = PlanItem(plan=plan, code="一.1", section="（一）", title="人才品牌活动", position=1, departments=[talent])
    jobs = PlanItem(plan=plan, code="二.4", section="（二）", title="青年就业见习计划", position=2, departments=[employment])
    db_session.add_all([brand, jobs])
    db_session.commit()
    forum_goers = create_target(plan, code="forum_goers", title="论坛参与人数", number=12, item=brand, position=1,
                                rule={"counter": "attendees", "kinds": ["forum"]},
                                definition="在区人才中心举办的论坛签到入场的人，每人只计一次。")
    watched = create_target(plan, code="all_goers", title="品牌活动参与者", number=None, item=brand, position=2,
                            rule={"counter": "attendees", "invited_only": False},
                            definition="所有公开活动签到入场的人（观测指标，不设目标数）。")
    fair_goers = create_target(plan, code="fair_goers", title="招聘会求职者", number=7, item=jobs, position=3,
                               rule={"counter": "attendees", "kinds": ["job_fair"]}, departments=[employment],
                               definition="在招聘会签到入场的求职者，每人只计一次。")
    settled = create_target(plan, code="settled", title="引进落户人才", number=100, item=jobs, position=4,
                            measure="entered", rule={}, departments=[employment],
                            definition="市人社局落户审批名单中落户闵行的人才，由区就促中心填报。")
    clerk = create_user("admin", name="陈科员")
    db_session.add(EnteredFigure(target=settled, year=None, as_of=date(2023, 6, 30), value=Decimal(40),
                                 evidence_name="2023年上半年落户名单.xlsx", entered_by=clerk, note="半年报"))
    forum = create_event(starts_at=shanghai(2022, 5, 1, 9), kind="forum", department=talent)
    fair = create_event(starts_at=shanghai(2023, 9, 1, 9), kind="job_fair", department=employment)
    people = [create_user(name=f"参与者{n}") for n in range(6)]
    for n, person in enumerate(people[:4]):
        attend(forum, person, shanghai(2022, 5, 1, 9, n))
    for person in people[2:]:
        attend(fair, person, shanghai(2023, 9, 1, 10))
    winter_fair = create_event(starts_at=shanghai(2024, 12, 31, 20), kind="job_fair", department=employment)
    attend(winter_fair, people[5], shanghai(2024, 12, 31, 23, 30))  # a second fact: still one person
    db_session.commit()
    return {"plan": plan, "targets": [forum_goers, watched, fair_goers, settled], "talent": talent,
            "employment": employment, "people": people}


def printed(value) -> str:
    """How the report prints a figure (whole numbers without decimals, thousands separated)."""
    value = Decimal(value)
    return f"{int(value):,}" if value == int(value) else f"{value:,.2f}"


def test_pdf_figures_equal_progress_every_font_embedded_no_missing_glyph(app, world, tmp_path):
    plan, as_of = world["plan"], date(2023, 12, 31)
    report = content.build(plan, "annual", EVERYTHING, date(2023, 1, 1), as_of)
    path = pdf_file(tmp_path, documents.pdf(report))

    fonts = pdf_fonts(path)
    assert fonts
    for font in fonts:
        assert font["emb"] == "yes", font
        assert font["type"].startswith("CID"), font
        assert font["uni"] == "yes", font
        assert "Noto-Sans-CJK-SC" in font["name"], font  # no fallback font stood in for a missing glyph

    summary = pdf_text(path, 2)
    for target in world["targets"]:
        p = figures.progress(target, EVERYTHING, as_of)  # the dashboard's query
        if target.number is None:
            row = rf"{target.title}\s+—\s+{printed(p.actual)}\s+—\s+—\s+观测指标"
        else:
            gap = ("+" if p.gap > 0 else "") + printed(p.gap)
            row = (rf"{target.title}\s+{printed(target.number)}\s*{target.unit}\s+{printed(p.actual)}\s+"
                   rf"{re.escape(printed(p.expected))}\s+{re.escape(gap)}\s+{content.STATUS_WORDS[p.status]}")
        assert re.search(row, summary), (row, summary)
    # the figures themselves, worked out by hand: 4 forum-goers; 4 job-fair goers (one came twice);
    # 40 settled entered at 2023-06-30; the plan's 1,095 days two-thirds gone at the end of 2023
    assert [figures.progress(t, EVERYTHING, as_of).actual for t in world["targets"]] == [4, 6, 4, 40]

    text = pdf_text(path)
    assert "年度评估" in text and plan.title in text and "全局各部门" in text
    assert "2023年上半年落户名单.xlsx" in text and "陈科员" in text  # entered figures: who and the evidence
    # the status line of each item, from the figures (the indicator has no number to reach)
    assert "1 项指标中 0 项已完成，0 项进度正常，1 项落后。落后情况：“论坛参与人数”落后进度 3.99 人。" in text
    assert "2 项指标中 0 项已完成，0 项进度正常，2 项落后。" in text
    definitions = text[text.index("指标口径"):]
    for target in world["targets"]:
        assert target.definition in definitions
    assert "活动签到入场人员（attendees，每人只计一次）；活动类型: forum" in definitions  # the counter and its rule

    every_char = {c for c in text if not c.isspace()}
    for ttc in (SANS_CJK, SANS_CJK_BOLD):
        face = _face(ttc, "Noto Sans CJK SC")
        cmap, glyphs = face.getBestCmap(), face.getGlyphSet()
        for char in every_char:
            glyph = cmap.get(ord(char))
            assert glyph and glyph != ".notdef", (ttc, char)
            assert glyphs[glyph].width > 0 or char in "\u200b", (ttc, char)


def _face(ttc: str, family: str):
    from fontTools.ttLib import TTCollection

    for font in TTCollection(ttc).fonts:
        if family in (font["name"].getDebugName(1), font["name"].getDebugName(16)):
            return font
    raise AssertionError(f"{family} not in {ttc}")


def test_xlsx_cells_equal_the_same_figures(app, world):
    plan, as_of = world["plan"], date(2024, 6, 30)
    report = content.build(plan, "midterm", EVERYTHING, plan.starts_on, as_of)
    book = load_workbook(io.BytesIO(documents.xlsx(report)))
    summary = book.worksheets[1]
    rows = {row[0]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == [t.code for t in world["targets"]]
    for target in world["targets"]:
        p = figures.progress(target, EVERYTHING, as_of)
        code, title, item, unit, number, actual, expected, gap, status = rows[target.code][:9]
        assert (title, unit) == (target.title, target.unit)
        assert number == (None if target.number is None else int(target.number))
        assert Decimal(str(actual)) == p.actual
        assert (expected, gap) == ((None, None) if target.number is None else
                                   (pytest.approx(float(p.expected)), pytest.approx(float(p.gap))))
        assert status == str(content.STATUS_WORDS[p.status])
    by_year = [row for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    forum = world["targets"][0]
    assert [(y, n) for code, _t, y, n, _w in by_year if code == forum.code] == \
        figures.by_year(forum, EVERYTHING, as_of) == [(2022, 4), (2023, 0), (2024, 0)]
    by_department = [row for row in book.worksheets[3].iter_rows(min_row=2, values_only=True)]
    assert ("fair_goers", "招聘会求职者", world["employment"].name, 4) in by_department
    definitions = {row[0]: row[2] for row in book.worksheets[5].iter_rows(min_row=2, values_only=True)}
    assert definitions == {t.code: t.definition for t in world["targets"]}


def test_a_heads_report_holds_only_their_departments(app, db_session, world, create_user, tmp_path):
    head = create_user("head", name="就促中心主任")
    head.departments = [world["employment"]]
    db_session.commit()
    run, new = services.request_report(head, plan_id=world["plan"].id, kind="midterm", fmt="pdf",
                                       day=date(2024, 12, 31), today=TODAY)
    assert new and run.department_ids == [world["employment"].id]
    db_session.commit()
    services.run_report(run.id)
    run = db_session.get(ReportRun, run.id)
    text = pdf_text(pdf_file(tmp_path, run.body))
    assert "招聘会求职者" in text and "引进落户人才" in text and world["employment"].name in text
    assert "论坛参与人数" not in text and "品牌活动参与者" not in text and "人才品牌活动" not in text
    fair = world["targets"][2]
    scoped = figures.progress(fair, Scope(frozenset({world["employment"].id})), date(2024, 12, 31))
    assert re.search(rf"招聘会求职者\s+7\s*人\s+{printed(scoped.actual)}\s", pdf_text(pdf_file(tmp_path, run.body), 2))

    leader = create_user("leader")
    everything, _new = services.request_report(leader, plan_id=world["plan"].id, kind="annual", fmt="xlsx",
                                               year=2024, today=TODAY)
    db_session.commit()
    assert [r.id for r in services.runs(head)] == [run.id]  # the bureau-wide run is not the head's
    assert {r.id for r in services.runs(leader)} == {run.id, everything.id}
    with pytest.raises(services.NotFound):
        services.download(head, everything.id)
    with pytest.raises(services.PermissionDenied):  # a head of no department has nothing to report on
        services.request_report(create_user("head"), plan_id=world["plan"].id, kind="annual", fmt="pdf",
                                year=2023, today=TODAY)


def test_a_run_goes_queued_running_done_with_progress_and_the_same_request_gets_it_back(
        app, db_session, world, create_user, monkeypatch):
    leader = create_user("leader")
    run, new = services.request_report(leader, plan_id=world["plan"].id, kind="annual", fmt="pdf", year=2023,
                                       today=TODAY)
    db_session.commit()
    again, new_again = services.request_report(leader, plan_id=world["plan"].id, kind="annual", fmt="pdf",
                                               year=2023, today=TODAY)
    assert new and not new_again and again.id == run.id  # while it waits, asking again gives the same run
    other, _ = services.request_report(leader, plan_id=world["plan"].id, kind="annual", fmt="xlsx", year=2023,
                                       today=TODAY)
    assert other.id != run.id
    db_session.commit()

    seen = []
    real_pdf = documents.pdf

    def watching(report):  # what the progress page would read while the file is being laid out
        with app.app_context():
            from app.extensions import db
            row = db.session.execute(sa.select(ReportRun.status, ReportRun.progress)
                                     .where(ReportRun.id == run.id)).one()
            seen.append(tuple(row))
            db.session.remove()
        return real_pdf(report)

    monkeypatch.setattr(documents, "pdf", watching)
    services.run_report(run.id)
    db_session.expire_all()
    run = db_session.get(ReportRun, run.id)
    assert seen == [("running", 85)]
    assert run.status == "done" and run.progress == 100 and run.body.startswith(b"%PDF-")
    assert [(c.from_status, c.to_status) for c in changes_of(run)] == \
        [(None, "queued"), ("queued", "running"), ("running", "done")]
    fresh, new = services.request_report(leader, plan_id=world["plan"].id, kind="annual", fmt="pdf", year=2023,
                                         today=TODAY)
    assert new and fresh.id != run.id  # a finished report is asked for again: a new run


def test_a_failing_render_ends_failed_with_the_reason(app, db_session, world, create_user, monkeypatch):
    leader = create_user("leader")
    run, _ = services.request_report(leader, plan_id=world["plan"].id, kind="midterm", fmt="pdf",
                                     day=date(2023, 6, 30), today=TODAY)
    db_session.commit()

    def broken(report):
        raise RuntimeError("字体文件缺失")

    monkeypatch.setattr(documents, "pdf", broken)
    failures = REGISTRY.get_sample_value("minhang_background_jobs_failed_total", {"kind": "plan_report"}) or 0
    services.run_report(run.id)
    db_session.expire_all()
    run = db_session.get(ReportRun, run.id)
    assert run.status == "failed" and "字体文件缺失" in run.reason and run.body is None
    assert [c.to_status for c in changes_of(run)] == ["queued", "running", "failed"]
    assert run.failure == "error" and services.status(run)["reason"] == f"任务出错中止 {run.reason}"
    with pytest.raises(services.ReportNotReady):
        services.download(leader, run.id)
    services.run_report(run.id)  # a failed run is not run again
    assert db_session.get(ReportRun, run.id).status == "failed"
    # operators see it on /metrics (app/metrics.py), once
    assert REGISTRY.get_sample_value("minhang_background_jobs_failed_total", {"kind": "plan_report"}) == failures + 1


def test_a_failed_run_is_retried_from_its_page_once(app, db_session, world, create_user, monkeypatch):
    leader = create_user("leader")
    run, _ = services.request_report(leader, plan_id=world["plan"].id, kind="midterm", fmt="xlsx",
                                     day=date(2023, 6, 30), today=TODAY)
    db_session.commit()
    real = documents.xlsx
    monkeypatch.setattr(documents, "xlsx", lambda report: (_ for _ in ()).throw(OSError("磁盘已满")))
    services.run_report(run.id)
    run_id = run.id
    monkeypatch.setattr(documents, "xlsx", real)
    client = app.test_client()
    login(client, leader)
    page = client.get(f"/dashboard/reports/{run_id}").get_data(as_text=True)
    assert "job-retry" in page and "任务出错中止" in page and "磁盘已满" in page
    dispatched = []
    monkeypatch.setattr(services.jobs, "in_thread", lambda func, *args, **kw: dispatched.append((func, args)))
    assert client.post(f"/dashboard/reports/{run_id}/retry").status_code == 302
    assert dispatched == [(services.run_report, (run_id,))]  # after the commit, to the background
    assert client.get(f"/dashboard/reports/{run_id}.json").get_json()["status"] == "queued"
    services.run_report(run_id)
    status = client.get(f"/dashboard/reports/{run_id}.json").get_json()
    assert status["status"] == "done" and status["reason"] is None and status["progress"] == 100
    db_session.expire_all()
    run = db_session.get(ReportRun, run_id)
    assert [c.to_status for c in changes_of(run)] == ["queued", "running", "failed", "queued", "running", "done"]
    again = client.post(f"/dashboard/reports/{run_id}/retry")  # done: nothing to retry
    assert again.status_code == 302
    db_session.expire_all()
    assert db_session.get(ReportRun, run_id).status == "done" and len(changes_of(run)) == 6
    with pytest.raises(background.JobAlreadyDone):
        services.retry_run(leader, run_id)
    db_session.rollback()


def test_the_monthly_schedule_across_a_year_end_in_shanghai(app, db_session, world, create_user, tmp_path):
    utc = timezone.utc
    # 2025-01-01 07:30 in Shanghai (still 2024-12-31 in UTC): December's report is not due yet
    assert services.month_due(datetime(2024, 12, 31, 23, 30, tzinfo=utc)) == (date(2024, 11, 1), date(2024, 11, 30))
    assert services.next_monthly_at(datetime(2024, 12, 31, 23, 30, tzinfo=utc)) == datetime(2025, 1, 1, 0, 0, tzinfo=utc)
    # 08:00 on the 1st in Shanghai is midnight UTC: December 2024 is due from then
    assert services.month_due(datetime(2025, 1, 1, 0, 0, tzinfo=utc)) == (date(2024, 12, 1), date(2024, 12, 31))
    assert services.next_monthly_at(datetime(2025, 1, 1, 0, 0, tzinfo=utc)) == datetime(2025, 2, 1, 0, 0, tzinfo=utc)
    assert services.month_due(datetime(2024, 3, 1, 0, 0, tzinfo=utc)) == (date(2024, 2, 1), date(2024, 2, 29))

    from app.notifications.models import InboxMessage

    leader = create_user("leader")
    made = services.monthly_reports(datetime(2025, 1, 2, 3, 0, tzinfo=utc))
    assert [(r.kind, r.first_day, r.last_day, r.department_ids, r.status) for r in made] == \
        [("monthly", date(2024, 12, 1), date(2024, 12, 31), None, "done")]
    assert services.monthly_reports(datetime(2025, 1, 20, tzinfo=utc)) == []  # made once
    notices = db_session.scalars(sa.select(InboxMessage).where(InboxMessage.user_id == leader.id)).all()
    assert len(notices) == 1 and "2024-12" in notices[0].title and notices[0].link.endswith("/dashboard/reports")

    path = pdf_file(tmp_path, made[0].body)
    text = pdf_text(path)
    assert "月度定期报告" in text and "2024年12月" in text and "本月变化" in text and "指标口径" in text
    # the plan's last month: the job fair's second fact on 31 December is a person counted before (no
    # change); the forum's target is behind the pace, listed under the targets behind
    fair = world["targets"][2]
    p = figures.progress(fair, EVERYTHING, date(2024, 12, 31))
    assert (p.actual, p.expected, p.gap) == (4, 7, -3)
    assert re.search(r"招聘会求职者\s+7\s*人\s+4\s+7\s+-3\s+0\s+落后", pdf_text(path, 2))
    assert "落后于进度的指标" in text


def _wait_for(client, url: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = client.get(url).get_json()
        if body["status"] in ("done", "failed"):
            return body
        assert 0 <= body["progress"] <= 100
        time.sleep(0.2)
    raise AssertionError("the report did not finish")


def test_pages_request_progress_and_audited_download(app, db_session, world, create_user):
    from app.audit.models import AuditEntry

    leader = create_user("leader")
    client = app.test_client()
    login(client, leader)
    page = client.get("/dashboard/reports")
    assert page.status_code == 200 and world["plan"].title in page.get_data(as_text=True)
    response = client.post("/dashboard/reports", data={"plan": world["plan"].id, "kind": "midterm",
                                                       "day": "2024-06-30", "fmt": "xlsx"})
    assert response.status_code == 302
    run_url = response.headers["Location"]
    assert "print-job" in client.get(run_url).get_data(as_text=True)
    status = _wait_for(client, f"{run_url}.json")
    assert status["status"] == "done" and status["progress"] == 100 and status["download_url"]
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download.data.startswith(b"PK")
    assert download.headers["Cache-Control"] == "private, no-store"
    actions = db_session.scalars(sa.select(AuditEntry.action)).all()
    assert "plans.report_requested" in actions and "plans.report_downloaded" in actions

    organiser = app.test_client()
    login(organiser, create_user("organiser"))
    assert organiser.get("/dashboard/reports").status_code == 403
    assert organiser.get(f"{run_url}.json").status_code == 403
    head = create_user("head")
    head.departments = [world["employment"]]
    db_session.commit()
    other = app.test_client()
    login(other, head)
    assert other.get(f"{run_url}/file").status_code == 404  # the bureau-wide report is not the head's


@pytest.mark.parametrize("form, field", [
    ({"kind": "weekly", "fmt": "pdf"}, "kind"),
    ({"kind": "annual", "year": "1999", "fmt": "pdf"}, "year"),
    ({"kind": "annual", "year": "abc", "fmt": "pdf"}, "year"),
    ({"kind": "midterm", "day": "2021-12-31", "fmt": "pdf"}, "day"),
    ({"kind": "midterm", "day": "not-a-date", "fmt": "pdf"}, "day"),
    ({"kind": "monthly", "month": "2024-13", "fmt": "pdf"}, "month"),
    ({"kind": "monthly", "month": "2099-01", "fmt": "pdf"}, "month"),
    ({"kind": "annual", "year": "2023", "fmt": "docx"}, "fmt"),
    ({"plan": "999999999", "kind": "annual", "year": "2023", "fmt": "pdf"}, "plan"),
])
def test_bad_request_params_are_refused_and_change_nothing(app, db_session, world, create_user, form, field):
    client = app.test_client()
    login(client, create_user("admin"))
    data = {"plan": world["plan"].id, **form}
    response = client.post("/dashboard/reports", data=data)
    assert response.status_code == 422
    assert 'class="field-error"' in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ReportRun)) == 0
    assert client.get("/dashboard/reports/999999.json").status_code == 404


def test_the_reports_figures_are_the_dashboards(client, world, create_user, tmp_path):
    """The same day's figures, read off the leader's dashboard page and off a 中期评估 PDF to that day."""
    import lxml.html

    from app.timeutil import local_today

    login(client, create_user("leader", name="局领导 陈志远"))
    page = lxml.html.fromstring(client.get("/dashboard").get_data(as_text=True))
    shown = {card.get("data-target"): card.get("data-actual") for card in page.xpath("//*[@data-target][@data-actual]")}
    assert set(shown) == {t.code for t in world["targets"]}

    plan = world["plan"]
    report = content.build(plan, "midterm", EVERYTHING, plan.starts_on, local_today())
    summary = pdf_text(pdf_file(tmp_path, documents.pdf(report)), 2)
    for target in world["targets"]:
        number = "—" if target.number is None else rf"{printed(target.number)}\s*{target.unit}"
        assert re.search(rf"{target.title}\s+{number}\s+{printed(shown[target.code])}\s", summary), target.code
