"""The leaders' dashboard: who reads it and how much (leader: everything; head: their departments,
counted within them; nobody else), the figures on the page are progress()'s, the drill-down lists
the people behind a figure masked and leaves an audit row, bad query values are refused with a 4xx
that changes nothing, and a page costs the same number of queries with 10 or 200 people."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import lxml.html
import pytest
import sqlalchemy as sa

from app.plans.ledger import figures
from app.plans.scope import EVERYTHING, Scope
from app.timeutil import local_today, utcnow
from tests.conftest import login


@dataclass
class World:
    plan: object
    people_target: object  # all attendees, 区就促中心's
    forum_target: object  # forum attendees, 区人才中心's
    entered_target: object  # an entered figure, 人才开发科's
    people: dict
    fair: object
    forum: object


@pytest.fixture
def world(db_session, departments, create_plan, create_target, create_event, create_user, attend, admin):
    from app.plans.models import EnteredFigure, PlanItem

    today = local_today()
    plan = create_plan(starts_on=today - timedelta(days=365), ends_on=today + timedelta(days=365))
    employment, talent, dev = departments["employment"], departments["talent_center"], departments["talent_dev"]
    jobs = PlanItem(plan=plan, code="一.1", section="（一）", title="就业见习", position=1, departments=[employment])
    forums = PlanItem(plan=plan, code="二.1", section="（二）", title="人才论坛", position=2, departments=[talent])
    flex = PlanItem(plan=plan, code="三.1", section="（三）", title="柔性引才", position=3, departments=[dev])
    db_session.add_all([jobs, forums, flex])
    people_target = create_target(plan, code="trainees", title="职业见习人数", number=20, item=jobs,
                                  departments=[employment])
    forum_target = create_target(plan, code="forum_people", title="论坛参与人数", number=10, item=forums,
                                 departments=[talent], rule={"counter": "attendees", "kinds": ["forum"]})
    entered_target = create_target(plan, code="flexible_talents", title="柔性流动引进人才", number=100000,
                                   item=flex, departments=[dev], measure="entered", rule={})
    db_session.add(EnteredFigure(target=entered_target, as_of=today - timedelta(days=10), value=Decimal(42000),
                                 note="区人才办统计", evidence_name="柔性引才统计表.pdf", entered_by=admin))
    from app.events.models import Series

    fairs = Series(slug="minerhaocai", name="闵而好才·行者常至", department=employment)
    week = Series(slug="rencai-minhang-zhou", name="人才闵行周", department=talent)
    db_session.add_all([fairs, week])
    fair = create_event(kind="job_fair", department=employment, starts_at=utcnow() - timedelta(days=100), series=fairs)
    forum = create_event(kind="forum", department=talent, starts_at=utcnow() - timedelta(days=50), series=week)
    people = {name: create_user(name=name) for name in ("李玥", "王磊", "赵敏")}
    attend(fair, people["李玥"], utcnow() - timedelta(days=100))
    attend(forum, people["李玥"], utcnow() - timedelta(days=50))
    attend(fair, people["王磊"], utcnow() - timedelta(days=99))
    attend(forum, people["赵敏"], utcnow() - timedelta(days=49))
    db_session.commit()
    return World(plan, people_target, forum_target, entered_target, people, fair, forum)


@pytest.fixture
def leader(create_user):
    return create_user("leader", name="局领导 陈志远")


@pytest.fixture
def head(create_user, departments, db_session):
    user = create_user("head", name="科长 周敏")
    user.departments = [departments["employment"]]
    db_session.commit()
    return user


def cards(response) -> dict[str, dict]:
    """The targets on a page, by code: the figures the page shows (data-* attributes)."""
    page = lxml.html.fromstring(response.get_data(as_text=True))
    return {el.get("data-target"): dict(el.attrib) for el in page.xpath("//*[@data-target]")}


def shown(progress) -> dict:
    def text(value):
        return "" if value is None else str(value)
    return {"data-status": progress.status, "data-actual": text(progress.actual),
            "data-expected": text(progress.expected), "data-gap": text(progress.gap)}


def audit_rows(db_session):
    from app.audit.models import AuditEntry

    return list(db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "plan_drilldown")
                                   .order_by(AuditEntry.id)))


# -- who reads it --------------------------------------------------------------------------------

def test_a_leader_sees_every_target_with_progress_figures(client, world, leader):
    login(client, leader)
    response = client.get("/dashboard")
    assert response.status_code == 200
    found = cards(response)
    assert set(found) == {"trainees", "forum_people", "flexible_talents"}
    today = local_today()
    for target in (world.people_target, world.forum_target, world.entered_target):
        expected = shown(figures.progress(target, EVERYTHING, today))
        assert {k: found[target.code][k] for k in expected} == expected
    assert found["trainees"]["data-actual"] == "3" and found["forum_people"]["data-actual"] == "2"
    body = response.get_data(as_text=True)
    assert "柔性引才统计表.pdf" in body and "42,000" in body  # the entered figure with who and its evidence
    assert "落后" in body or "Behind" in body
    brand = {row.xpath("./td")[0].text_content(): [re.sub(r"\s+", " ", td.text_content()).strip()
                                                   for td in row.xpath("./td")[1:4]]
             for row in lxml.html.fromstring(body).xpath("//tr[@data-series]")}
    assert brand == {"闵而好才·行者常至": ["1", "2", "100% (2/2)"], "人才闵行周": ["1", "2", "100% (2/2)"]}
    # read-only: no form posts anything but the sign-out
    page = lxml.html.fromstring(body)
    posts = [f.get("action") for f in page.forms if (f.method or "").upper() == "POST"]
    assert posts == ["/logout"]


def test_a_head_sees_their_departments_targets_counted_within_them(client, world, head):
    login(client, head)
    found = cards(client.get("/dashboard"))
    assert set(found) == {"trainees"}
    scope = Scope(frozenset({head.departments[0].id}))
    assert found["trainees"]["data-actual"] == "2"  # 李玥 and 王磊 came to 区就促中心's fair; 赵敏 did not
    assert {k: found["trainees"][k] for k in shown(figures.progress(world.people_target, scope, local_today()))} \
        == shown(figures.progress(world.people_target, scope, local_today()))
    brand = lxml.html.fromstring(client.get("/dashboard").get_data(as_text=True)).xpath("//tr[@data-series]")
    assert [row.xpath("./td")[0].text_content() for row in brand] == ["闵而好才·行者常至"]  # their series only
    assert client.get(f"/dashboard/targets/{world.forum_target.id}").status_code == 403
    assert client.get(f"/dashboard/targets/{world.forum_target.id}/people").status_code == 403


@pytest.mark.parametrize("role", ["organiser", "participant", "trainer"])
def test_other_roles_are_refused(client, world, create_user, role):
    login(client, create_user(role))
    for path in ("/dashboard", f"/dashboard/targets/{world.people_target.id}",
                 f"/dashboard/targets/{world.people_target.id}/people"):
        assert client.get(path).status_code == 403, path


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_leader_lands_on_the_dashboard_after_signing_in(client, leader, create_user):
    assert login(client, leader).headers["Location"].endswith("/dashboard")
    client.post("/logout")
    assert not login(client, create_user()).headers["Location"].endswith("/dashboard")


def test_the_nav_links_the_dashboard_for_readers_only(client, world, leader, create_user):
    login(client, leader)
    assert 'href="/dashboard"' in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(client, create_user("organiser"))
    assert 'href="/dashboard"' not in client.get("/").get_data(as_text=True)


# -- a target and its drill-down ----------------------------------------------------------------

def test_the_target_page_breaks_the_figure_down_and_links_each_part(client, world, leader, departments):
    login(client, leader)
    target = world.people_target
    response = client.get(f"/dashboard/targets/{target.id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    year = local_today().year
    window = figures.target_period(target, local_today()).upto(local_today())
    by_department = dict(figures.by_column(target, EVERYTHING, window, "department_id"))
    assert by_department == {departments["employment"].id: 2, departments["talent_center"].id: 2}
    for key in (f"department={departments['employment'].id}", "programme=event:job_fair", "programme=event:forum"):
        assert key.replace(":", "%3A") in body or key in body
    assert any(f"year={y}" in body for y, n in figures.by_year(target, EVERYTHING, local_today()) if n) or year


def test_an_entered_target_shows_its_history_and_has_no_list(client, world, leader):
    login(client, leader)
    body = client.get(f"/dashboard/targets/{world.entered_target.id}").get_data(as_text=True)
    assert "柔性引才统计表.pdf" in body and "区人才办统计" in body
    assert client.get(f"/dashboard/targets/{world.entered_target.id}/people").status_code == 404


def test_the_drill_down_lists_the_people_masked_and_is_audited(client, world, leader, departments, db_session):
    login(client, leader)
    target = world.people_target
    before = len(audit_rows(db_session))
    response = client.get(f"/dashboard/targets/{target.id}/people")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.get_data(as_text=True))
    assert [row.xpath("./td")[0].text_content() for row in page.xpath("//tr[@data-person]")] == ["李玥", "王磊", "赵敏"]
    body = response.get_data(as_text=True)
    for person in world.people.values():
        assert person.mobile not in body
        assert f"{person.mobile[:3]}****{person.mobile[-4:]}" in body
    rows = audit_rows(db_session)
    assert len(rows) == before + 1 and rows[-1].actor_id == leader.id and rows[-1].subject_id == target.id
    assert not any(p.name in str(rows[-1].detail) for p in world.people.values())

    # each figure's list is the figure: a department's, a programme's
    employment = departments["employment"].id
    names = lambda r: [row.xpath("./td")[0].text_content()  # noqa: E731
                       for row in lxml.html.fromstring(r.get_data(as_text=True)).xpath("//tr[@data-person]")]
    assert names(client.get(f"/dashboard/targets/{target.id}/people?department={employment}")) == ["李玥", "王磊"]
    assert names(client.get(f"/dashboard/targets/{target.id}/people?programme=event:forum")) == ["李玥", "赵敏"]
    this_year = figures.by_year(target, EVERYTHING, local_today())
    for year, count in this_year:
        assert len(names(client.get(f"/dashboard/targets/{target.id}/people?year={year}"))) == count


def test_a_head_drills_down_within_their_departments_only(client, world, head, departments):
    login(client, head)
    target = world.people_target
    response = client.get(f"/dashboard/targets/{target.id}/people")
    assert "赵敏" not in response.get_data(as_text=True) and "王磊" in response.get_data(as_text=True)
    talent = departments["talent_center"].id
    assert client.get(f"/dashboard/targets/{target.id}/people?department={talent}").status_code == 403


@pytest.mark.parametrize("query", ["year=abc", "year=99999999999999", "year=1990", "department=-1",
                                   "department=x", "page=0", "page=1000000000000", "page=99",
                                   "programme=" + "x" * 41, "year=2024.5"])
def test_bad_drill_down_values_are_refused_and_change_nothing(client, world, leader, db_session, query):
    login(client, leader)
    before = len(audit_rows(db_session))
    response = client.get(f"/dashboard/targets/{world.people_target.id}/people?{query}")
    assert 400 <= response.status_code < 500, (query, response.status_code)
    assert len(audit_rows(db_session)) == before


def test_unknown_targets_and_plans_are_not_found(client, world, leader):
    login(client, leader)
    assert client.get("/dashboard/targets/999999").status_code == 404
    assert client.get("/dashboard/targets/99999999999/people").status_code == 404
    assert client.get("/dashboard?plan=no-such-plan").status_code == 404
    assert client.get("/dashboard?plan=" + "x" * 200).status_code == 422
    assert client.get(f"/dashboard?plan={world.plan.slug}").status_code == 200


def test_the_current_plan_is_the_one_running_today_with_a_switcher(client, world, leader, create_plan):
    older = create_plan(title="上一期三年行动计划", starts_on=world.plan.starts_on - timedelta(days=1100),
                        ends_on=world.plan.starts_on - timedelta(days=1))
    login(client, leader)
    body = client.get("/dashboard").get_data(as_text=True)
    assert world.plan.title in body and f'value="{older.slug}"' in body
    assert set(cards(client.get(f"/dashboard?plan={older.slug}"))) == set()


# -- the brand events' panel ---------------------------------------------------------------------

def test_the_brand_panel_counts_occasions_people_attendance_and_satisfaction(
        client, leader, db_session, departments, create_plan, ended_event, create_attended_event, send_satisfaction):
    from app.events.models import Series
    from app.satisfaction import answering
    from app.satisfaction.models import SatisfactionSurvey
    from tests.fixtures.satisfaction import answers

    today = local_today()
    create_plan(starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30))
    series = Series(slug="rencai-minhang-zhou", name="人才闵行周", department=departments["talent_center"])
    db_session.add(series)
    db_session.flush()
    first = ended_event(series=series)  # two came, one confirmed stayed away, one cancelled
    second, came, _absent = create_attended_event(["第二场甲"], series=series)
    second.starts_at = utcnow() - timedelta(hours=3)
    from app.checkin import services as checkin
    from app.registrations import services as reg
    from app.tickets import services as tickets

    again = reg.register(first.attendees[0], second)  # one person at both occasions: one participant
    checkin.scan(checkin.event_checkpoint(second), tickets.ticket_token(again))
    db_session.commit()
    send_satisfaction()
    surveys = list(db_session.scalars(sa.select(SatisfactionSurvey).order_by(SatisfactionSurvey.id)))
    assert surveys
    answering.answer(surveys[0], answers(surveys[0], 5, 4, 5, 4))  # the answer service keeps the totals
    db_session.commit()

    login(client, leader)
    page = lxml.html.fromstring(client.get("/dashboard").get_data(as_text=True))
    row = page.xpath(f"//tr[@data-series='{series.id}']")[0]
    cells = [re.sub(r"\s+", " ", td.text_content()).strip() for td in row.xpath("./td")]
    assert cells[0] == "人才闵行周" and cells[1] == "2"
    assert cells[2] == "3"  # 参会甲, 参会乙, 第二场甲 (参会甲 again at the second)
    assert cells[3].startswith("80%") and "(4/5)" in cells[3]  # 4 of 5 confirmed places came
    assert cells[4].startswith("4.50")


# -- speed ---------------------------------------------------------------------------------------

def count_queries(fn) -> int:
    from sqlalchemy import event

    from app.extensions import db

    seen = []

    def counter(*_args, **_kw):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return len(seen)


def test_a_page_costs_the_same_queries_with_10_or_200_people(client, world, leader, create_user, attend, db_session):
    login(client, leader)
    target = world.people_target

    def pages():
        for path in ("/dashboard", f"/dashboard/targets/{target.id}", f"/dashboard/targets/{target.id}/people"):
            assert client.get(path).status_code == 200

    def add(n):
        for _ in range(n):
            attend(world.fair, create_user(), utcnow() - timedelta(days=90))
        db_session.commit()
        pages()  # once first: the test's session shares the app's, so the commit reloads the reader

    add(7)
    small = count_queries(pages)
    add(190)
    assert count_queries(pages) == small


def test_the_chart_shows_the_running_figure_up_to_today_against_the_even_pace(world):
    from app.plans import dashboard

    p = figures.progress(world.people_target, EVERYTHING, local_today())
    data = dashboard.chart(p)
    assert len(data["labels"]) == len(p.period.months()) == len(data["pace"])
    shown = [v for v in data["actual"] if v is not None]
    assert shown[-1] == float(p.actual) == 3  # this month's point is today's figure
    assert data["labels"][len(shown) - 1] == local_today().isoformat()[:7]
    assert data["pace"][-1] == float(p.number)
