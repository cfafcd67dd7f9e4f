"""The plan's console pages: the plans, a plan's items and targets, a target's history with the enter
and correct forms, the evidence download (audited), and an occasion's plan items."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.plans import loading
from app.plans.models import EnteredFigure, PlanTag
from tests.conftest import login
from tests.fixtures.plans import target_of

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def plan(seed_plan):
    return seed_plan


def test_an_organiser_reads_the_plan_and_enters_and_corrects_a_figure(client, plan, create_user, db_session):
    organiser = create_user("organiser", department="talent_center")
    login(client, organiser)
    page = client.get("/console/plans").get_data(as_text=True)
    assert "“留在闵行”人才工作三年行动计划" in page
    page = client.get(f"/console/plans/{plan.id}").get_data(as_text=True)
    assert "创业人才梯度培育计划" in page and "事业单位人事管理科" in page and "1,500" in page
    flexible = target_of(plan, "flexible_talents")
    response = client.post(f"/console/plans/targets/{flexible.id}/figures", data={
        "value": "38000", "as_of": "2023-12-31", "note": "年度台账",
        "evidence": (io.BytesIO(PDF), "柔性引才台账.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    figure = db_session.scalar(sa.select(EnteredFigure))
    response = client.post(f"/console/plans/figures/{figure.id}/correct", data={
        "value": "39000", "reason": "补报马桥镇数据"}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/console/plans/targets/{flexible.id}").get_data(as_text=True)
    assert "39000" in page and "38000" in page and "补报马桥镇数据" in page and "柔性引才台账.pdf" in page
    download = client.get(f"/console/plans/figures/{figure.id}/evidence")
    assert download.status_code == 200 and download.data == PDF
    assert "no-store" in download.headers["Cache-Control"]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "plan.figure.evidence")) == 1


def test_bad_input_answers_4xx_and_keeps_nothing(client, plan, create_user, db_session):
    organiser = create_user("organiser", department="talent_center")
    login(client, organiser)
    flexible = target_of(plan, "flexible_talents")
    for data in ({"value": "很多", "as_of": "2023-12-31", "evidence": (io.BytesIO(PDF), "a.pdf")},
                 {"value": "10", "as_of": "2023-12-31", "evidence": (io.BytesIO(b"MZ..."), "a.pdf")},
                 {"value": "10", "as_of": "2023-12-31"},
                 {"value": "10", "as_of": "not a date", "evidence": (io.BytesIO(PDF), "a.pdf")}):
        response = client.post(f"/console/plans/targets/{flexible.id}/figures", data=data,
                               content_type="multipart/form-data")
        assert response.status_code == 422
    computed = target_of(plan, "trainees")
    assert client.post(f"/console/plans/targets/{computed.id}/figures", data={
        "value": "10", "as_of": "2023-12-31", "evidence": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data").status_code == 403  # not of its departments
    assert db_session.scalar(sa.select(sa.func.count()).select_from(EnteredFigure)) == 0


def test_a_computed_target_takes_no_figures(client, plan, create_user, db_session):
    login(client, create_user("admin"))
    computed = target_of(plan, "trainees")
    response = client.post(f"/console/plans/targets/{computed.id}/figures", data={
        "value": "10", "as_of": "2023-12-31", "evidence": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert db_session.scalar(sa.select(sa.func.count()).select_from(EnteredFigure)) == 0


def test_others_are_refused(client, plan, create_user):
    login(client, create_user("trainer"))
    assert client.get("/console/plans").status_code == 403
    assert client.get(f"/console/plans/{plan.id}").status_code == 403


def test_the_plan_items_page_of_an_event(client, plan, create_user, create_event, db_session, monkeypatch):
    monkeypatch.setattr(loading, "local_today", lambda: date(2023, 6, 1))  # the seed plan in force
    organiser = create_user("organiser", department="talent_center")
    event = create_event(kind="campus_recruiting")
    login(client, organiser)
    page = client.get(f"/console/plans/tags/event/{event.id}").get_data(as_text=True)
    assert "聚焦产业需求“两个面向”广纳人才" in page and 'checked' in page
    extra = next(i for i in plan.items if i.code == "三.2")
    response = client.post(f"/console/plans/tags/event/{event.id}", data={"items": [str(extra.id)]})
    assert response.status_code == 302
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanTag)) == 2
    assert client.post(f"/console/plans/tags/event/{event.id}", data={"items": ["999999"]}).status_code == 422
    assert client.get("/console/plans/tags/parade/1").status_code == 404
    other = create_user("organiser", department="skills")
    client.post("/logout")
    login(client, other)
    assert client.get(f"/console/plans/tags/event/{event.id}").status_code == 403


def test_each_occasions_console_page_links_to_its_plan_items(client, plan, create_event, create_studio, db_session):
    studio = create_studio()
    event = create_event(kind="symposium", department=studio.department)
    login(client, studio.organiser)
    assert f"/console/plans/tags/studio/{studio.id}" in client.get(f"/console/studios/{studio.id}").get_data(as_text=True)
    assert f"/console/plans/tags/event/{event.id}" in client.get(f"/console/events/{event.id}").get_data(as_text=True)
