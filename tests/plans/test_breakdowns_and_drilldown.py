"""Who is behind a figure: the people by gender, age band and employer's district (adding up to the
figure), and the drill-down page — scoped in the service, masked, audited, a fixed number of queries."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import event as sa_event

from app.accounts.services import ID_CHECK, ID_WEIGHTS
from app.errors import InvalidInput, PermissionDenied
from app.extensions import db
from app.plans.ledger import figures, people
from app.plans.ledger.drilldown import Clicked, EnteredFigureHasNoList, YearOutsidePlan, drilldown
from app.plans.scope import EVERYTHING, Scope
from app.timeutil import LOCAL_TZ, as_utc

END = date(2024, 12, 31)


def shanghai(*args) -> datetime:
    return as_utc(datetime(*args, tzinfo=LOCAL_TZ))


def id_number(born: str, male: bool) -> str:
    """A valid resident ID number of a person of Minhang (310112) born on `born` (YYYYMMDD)."""
    body = f"310112{born}01{1 if male else 2}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11]


def count_queries(fn):
    seen = []

    def counter(*_args, **_kw):
        seen.append(1)

    sa_event.listen(db.engine, "before_cursor_execute", counter)
    try:
        result = fn()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", counter)
    return len(seen), result


@pytest.fixture
def attended(db_session, create_plan, create_target, create_event, create_user, create_organisation, departments,
             attend):
    """Five people at a forum of 区人才中心 (2022) and a job fair of 区就促中心 (2023), with what their
    ID numbers and employers say; a target counting them, its departments both."""
    from app.organisations.employees import EmployerLink

    minhang = create_organisation(name="上海闵行智造科技有限公司", district="闵行区")
    xuhui = create_organisation(name="上海徐汇云计算有限公司", district="徐汇区", in_minhang=False)
    forum = create_event(kind="forum", starts_at=shanghai(2022, 9, 1, 9))
    fair = create_event(kind="job_fair", starts_at=shanghai(2023, 12, 31, 9), department=departments["employment"])
    li = create_user(name="李玥", mobile="13812345678", id_number=id_number("19980501", True))
    wang = create_user(name="王芳", id_number=id_number("19850312", False))
    zhao = create_user(name="赵敏")  # no ID number, no employer
    turns_25 = create_user(name="钱程", id_number=id_number("19991231", True))  # 25 on the period's last day
    still_24 = create_user(name="孙悦", id_number=id_number("20000101", False))  # 25 the day after
    for person, organisation in ((li, minhang), (wang, xuhui), (turns_25, minhang)):
        db_session.add(EmployerLink(user_id=person.id, organisation_id=organisation.id, employer=organisation.name))
    attend(forum, li, shanghai(2022, 9, 1, 9, 5))
    attend(fair, li, shanghai(2023, 12, 31, 9, 10))
    attend(fair, wang, shanghai(2023, 12, 31, 23, 30))
    attend(forum, zhao, shanghai(2022, 9, 1, 9, 6))
    attend(fair, turns_25, shanghai(2023, 12, 31, 10))
    attend(fair, still_24, shanghai(2023, 12, 31, 11))
    db_session.commit()
    target = create_target(create_plan(), number=100, departments=[departments["talent_center"], departments["employment"]])
    return dict(target=target, forum=forum, fair=fair, li=li, wang=wang, zhao=zhao, minhang=minhang)


def test_breakdowns_by_gender_age_and_district_add_up_to_the_figure(db_session, attended, departments):
    target = attended["target"]
    whole = figures.plan_period(target.plan)
    b = people.breakdown(target, EVERYTHING, whole)
    assert b.total == figures.count(target, EVERYTHING, whole) == 5
    assert b.gender == {"male": 2, "female": 2, "unknown": 1}
    assert b.age == {"under_25": 1, "25_34": 2, "35_44": 1, "45_54": 0, "55_plus": 0, "unknown": 1}
    assert b.district == [("闵行区", 2), ("徐汇区", 1), ("unknown", 2)]
    assert sum(b.gender.values()) == sum(b.age.values()) == sum(n for _d, n in b.district) == b.total

    # age is taken at the period's end: at the end of 2023 李玥 is 25 and 钱程 still 24
    b2023 = people.breakdown(target, EVERYTHING, figures.Period(date(2022, 1, 1), date(2023, 12, 31)))
    assert b2023.age["under_25"] == 2 and b2023.age["25_34"] == 1

    fair_only = people.breakdown(target, Scope(frozenset({departments["employment"].id})), whole)
    assert fair_only.total == 4 and fair_only.gender == {"male": 2, "female": 2, "unknown": 0}
    studios = create_counting_target(target, "studios_opened")
    assert people.breakdown(studios, EVERYTHING, whole) is None  # occasions have no gender


def create_counting_target(target, counter):
    from app.plans.models import Target
    made = Target(plan=target.plan, code=f"{counter}-x", title=counter, number=5, unit="个", rule={"counter": counter})
    db.session.add(made)
    db.session.commit()
    return made


def test_the_drilldown_lists_the_people_behind_each_figure_masked_and_audited(
        db_session, attended, create_user, departments):
    from app.audit.models import AuditEntry

    target = attended["target"]
    leader = create_user("leader")
    page = drilldown(leader, target, as_of=END)
    db_session.commit()
    assert page.unit == "people" and page.total == 5 and page.pages == 1
    first = page.rows[0]
    assert first.name == "李玥" and first.mobile == "138****5678" and first.employer == "上海闵行智造科技有限公司"
    assert first.first_at == datetime(2022, 9, 1, 9, 5, tzinfo=LOCAL_TZ)
    assert first.programmes == ("event:forum", "event:job_fair")

    # the figures it was clicked from: a year of a whole-plan target (first counted then), a programme
    assert {r.name for r in drilldown(leader, target, as_of=END, clicked=Clicked(year=2023)).rows} == {
        "王芳", "钱程", "孙悦"}
    by_programme = dict(figures.by_column(target, EVERYTHING, figures.plan_period(target.plan), "programme"))
    fair = drilldown(leader, target, as_of=END, clicked=Clicked(programme="event:job_fair"))
    assert fair.total == by_programme["event:job_fair"] == 4 and fair.rows[0].programmes == ("event:job_fair",)
    assert drilldown(leader, target, as_of=END, clicked=Clicked(year=2022)).total == dict(
        figures.by_year(target, EVERYTHING, END))[2022] == 2
    paged = drilldown(leader, target, as_of=END, page=2, per_page=2)
    assert [r.name for r in paged.rows] == ["钱程", "孙悦"] and paged.pages == 3 and paged.total == 5

    entries = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "plan_drilldown")).all()
    assert len(entries) >= 5 and all(e.actor_id == leader.id and e.subject_id == target.id for e in entries)
    text = json.dumps([e.detail for e in entries], ensure_ascii=False)
    assert "李玥" not in text and "138" not in text
    assert all(set(e.detail) == {"as_of", "year", "department_id", "programme", "page", "shown", "total"}
               for e in entries)  # what was asked for and how many were shown: nobody's data


def test_the_drilldown_keeps_to_the_readers_departments(db_session, attended, create_user, departments):
    target = attended["target"]
    head = create_user("head")
    head.departments = [departments["employment"]]
    db_session.commit()
    page = drilldown(head, target, as_of=END)
    assert page.total == 4 and "赵敏" not in {r.name for r in page.rows}  # 赵敏 came to the forum only
    assert drilldown(head, target, as_of=END, clicked=Clicked(department_id=departments["employment"].id)).total == 4
    with pytest.raises(PermissionDenied):
        drilldown(head, target, as_of=END, clicked=Clicked(department_id=departments["talent_center"].id))
    other = create_user("head")
    other.departments = [departments["skills"]]
    db_session.commit()
    with pytest.raises(PermissionDenied):  # not a target of their department
        drilldown(other, target, as_of=END)
    with pytest.raises(PermissionDenied):
        drilldown(create_user(), target, as_of=END)


def test_bad_requests_are_refused_with_their_own_errors(db_session, attended, create_user, create_target):
    leader = create_user("leader")
    target = attended["target"]
    entered = create_target(target.plan, measure="entered", rule={})
    with pytest.raises(EnteredFigureHasNoList):
        drilldown(leader, entered, as_of=END)
    with pytest.raises(YearOutsidePlan):
        drilldown(leader, target, as_of=END, clicked=Clicked(year=2030))
    with pytest.raises(InvalidInput):
        drilldown(leader, target, as_of=END, page=0)
    with pytest.raises(InvalidInput):
        drilldown(leader, target, as_of=END, per_page=10_000)


def test_occasions_behind_a_figure_with_their_participants(db_session, create_plan, create_target, create_event,
                                                         create_user, attend, departments):
    held = create_event(kind="symposium", title="高技能人才座谈会（2023）", starts_at=shanghai(2023, 11, 2, 14))
    for _ in range(3):
        attend(held, create_user(), shanghai(2023, 11, 2, 14, 1))
    create_event(kind="symposium", title="高技能人才座谈会（2024）", starts_at=shanghai(2024, 10, 9, 14),
                 department=departments["skills"])
    db_session.commit()
    target = create_target(create_plan(), number=1, unit="场", period="year",
                           rule={"counter": "events_held", "kinds": ["symposium"]},
                           departments=[departments["skills"], departments["talent_center"]])
    leader = create_user("leader")
    page = drilldown(leader, target, as_of=date(2023, 12, 31))
    assert page.unit == "occasions" and page.total == 1
    [row] = page.rows
    assert row.title == "高技能人才座谈会（2023）" and row.participants == 3 and row.event_id == held.id
    assert row.department == departments["talent_center"].name and row.at.date() == date(2023, 11, 2)
    later = drilldown(leader, target, as_of=END, clicked=Clicked(year=2024))
    assert [r.title for r in later.rows] == ["高技能人才座谈会（2024）"] and later.rows[0].participants == 0


def test_a_page_costs_the_same_queries_however_many_people_are_behind_it(
        db_session, attended, create_user, attend):
    leader = create_user("leader")
    target = attended["target"]
    db_session.commit()
    few, page = count_queries(lambda: drilldown(leader, target, as_of=END, per_page=50))
    assert page.total == 5
    for n in range(60):
        attend(attended["fair"], create_user(), shanghai(2023, 12, 31, 12, n % 60))
    db_session.commit()
    many, page = count_queries(lambda: drilldown(leader, target, as_of=END, per_page=50))
    assert page.total == 65 and len(page.rows) == 50
    assert many == few
