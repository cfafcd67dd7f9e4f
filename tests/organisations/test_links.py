"""People linked to the registry: one rule (code first, then the normalised name; unlinked when not
found or ambiguous) where founders', judges', entrants' and masters' rows are made, staff's picks,
merges followed; the organisation's page composing the programmes' sections."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.cohorts.selection import applications as apps
from app.cohorts.selection import decisions
from app.competitions import services as cs
from app.errors import InvalidInput
from app.organisations import linking, services
from app.organisation_pages.sections import SECTIONS, fill
from app.studios import services as studios
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.organisations import uscc_for

PLAN = "我们为中小制造企业提供基于视觉检测的质检SaaS，已服务闵行区十二家工厂，计划两年内覆盖长三角三百家企业。" * 2


def application_form(**changes) -> dict:
    values = {"name": "张创业", "mobile": "13912345678", "email": "", "id_number": "",
              "company_name": "上海某某科技（上海）有限公司", "uscc": uscc_for(999), "founded_on": "2024-05-20",
              "industry": "ai", "team_size": "12", "funding_stage": "angel", "business_plan": PLAN}
    values.update(changes)
    return values


@pytest.fixture
def camp(db_session, create_cohort):
    cohort = create_cohort("incubation", capacity=5)
    cohort.cycle.applications_open_at = utcnow() - timedelta(days=1)
    cohort.cycle.applications_close_at = utcnow() + timedelta(days=14)
    db_session.commit()
    return cohort


# -- the rule -------------------------------------------------------------------------------
def test_resolve_by_code_first_then_by_normalised_name(db_session, create_organisation):
    company = create_organisation(name="上海某某科技有限公司", uscc=uscc_for(1))
    other = create_organisation(name="上海别家科技有限公司", uscc=uscc_for(2))
    assert linking.resolve("上海某某科技（上海）有限公司") is company  # the bracketed place does not count
    assert linking.resolve(" 上海某某科技 有限公司 ") is company
    assert linking.resolve("上海某某科技有限公司", uscc_for(2)) is other  # the code wins over the name
    assert linking.resolve("上海某某科技有限公司", uscc_for(3)) is company  # an unknown code: the name decides
    assert linking.resolve("上海某某科技有限公司", "not a code") is company
    assert linking.resolve("上海无名公司") is None and linking.resolve("") is None and linking.resolve(None) is None


def test_a_name_two_organisations_share_links_to_neither(db_session, create_organisation):
    create_organisation(name="上海同名科技有限公司", uscc=uscc_for(4))
    create_organisation(kind="agency", name="上海同名科技（集团）有限公司")
    assert linking.resolve("上海同名科技有限公司") is None
    region = create_organisation(kind="partner_region", name="昆山")
    assert linking.resolve("昆山") is None and region.id  # a region is nobody's employer


def test_links_to_a_merged_duplicate_count_for_the_one_kept(db_session, create_organisation, admin):
    keep = create_organisation(name="上海保留科技有限公司", uscc=uscc_for(5))
    duplicate = create_organisation(name="上海保留科技（闵行）有限公司", uscc=uscc_for(6))
    services.merge(admin, keep, duplicate)
    db_session.commit()
    assert linking.canonical(duplicate) is keep
    assert set(linking.identity_ids(keep)) == {keep.id, duplicate.id}
    assert linking.resolve("别的名字", uscc_for(6)) is keep  # the duplicate's code stands for the one kept


def test_staff_pick_from_the_registry(db_session, create_organisation):
    company = create_organisation(name="上海挑选科技有限公司", uscc=uscc_for(7))
    create_organisation(name="上海挑选贸易有限公司", uscc=uscc_for(8))
    assert linking.pick(str(company.id)) is company and linking.pick(uscc_for(7)) is company
    assert linking.pick("上海挑选科技（上海）有限公司") is company
    assert linking.pick("") is None
    for text in ("上海挑选", "没有这家", "9" * 13, "a\x00b", "x" * 300):
        with pytest.raises(InvalidInput) as error:
            linking.pick(text)
        assert "organisation" in error.value.fields


# -- where rows are made ----------------------------------------------------------------------
def test_a_founders_company_is_linked_on_applying_and_kept_on_enrolment(db_session, camp, create_user,
                                                                      create_organisation):
    company = create_organisation(name="上海某某科技有限公司", uscc=uscc_for(11))
    by_name = apps.apply(create_user(), camp.cycle, camp.tier, **application_form(mobile="13912345601"))
    by_code = apps.apply(create_user(), camp.cycle, camp.tier, **application_form(
        mobile="13912345602", company_name="某某科技", uscc=uscc_for(11)))
    unknown = apps.apply(create_user(), camp.cycle, camp.tier, **application_form(
        mobile="13912345603", company_name="上海不在册科技有限公司", uscc=uscc_for(12)))
    db_session.commit()
    assert by_name.organisation_id == company.id and by_code.organisation_id == company.id
    assert unknown.organisation_id is None  # not found: left unlinked, no row created
    assert linking.resolve("上海不在册科技有限公司") is None
    decisions.decide(camp.runner, [by_name, by_code], "admitted")
    db_session.commit()
    enrolled = {e.user_id: e for e in camp.enrolments}
    assert enrolled[by_name.user_id].organisation_id == company.id == enrolled[by_code.user_id].organisation_id
    apps.update(unknown.user, unknown, camp.tier, **application_form(mobile="13912345603", uscc=uscc_for(11)))
    assert unknown.organisation_id == company.id  # another company typed: linked again


def test_judges_entrants_and_masters_are_linked(db_session, create_organisation, contest, enter, create_studio,
                                               create_user):
    from tests.fixtures.competitions import JUDGE_EMPLOYERS

    employer = create_organisation(name=JUDGE_EMPLOYERS[0])
    chief_employer = create_organisation(name=JUDGE_EMPLOYERS[3])
    category = contest.category
    cs.set_judges(contest.organiser, category, contest.judges[:1], contest.chief)  # made again: linked now
    db_session.commit()
    assert category.assignments[0].organisation_id == employer.id
    assert category.chief_judge_organisation_id == chief_employer.id
    cs.set_judge_employer(contest.organiser, category, contest.chief.id, "别处")
    assert category.chief_judge_organisation_id is None
    cs.set_judge_employer(contest.organiser, category, contest.chief.id, JUDGE_EMPLOYERS[3])
    assert category.chief_judge_organisation_id == chief_employer.id
    care = create_organisation(name="上海颐家养老服务有限公司")
    entry = enter()
    assert entry.organisation_id == care.id
    master = create_user("trainer", name="顾国华", employer="上海某某科技（上海）有限公司")
    company = create_organisation(name="上海某某科技有限公司")
    studio = create_studio(master=master)
    assert studio.master_organisation_id == company.id
    studios.set_master_organisation(studio.organiser, studio, "")
    assert studio.master_organisation_id is None
    with pytest.raises(InvalidInput):
        studios.set_master_organisation(studio.organiser, studio, "没有这家")


def test_employers_linked_from_profiles_and_by_staff(db_session, create_organisation, create_user, admin):
    company = create_organisation(name="上海雇主科技有限公司")
    person = create_user(employer="上海雇主科技(上海)有限公司")
    nobody = create_user(employer="上海不在册有限公司")
    assert linking.link_unlinked_employers() >= 1
    assert linking.employer_of(person) is company and linking.employer_of(nobody) is None
    other = create_organisation(name="上海另一家科技有限公司")
    linking.set_employer(admin, nobody, str(other.id))
    assert linking.employer_of(nobody) is other
    linking.set_employer(admin, nobody, "")
    assert linking.employer_of(nobody) is None


# -- the organisation's page --------------------------------------------------------------------
def test_the_page_shows_each_section_with_counts(client, db_session, create_organisation, create_user, contest,
                                                enter, create_studio, admin, camp):
    company = create_organisation(name="上海颐家养老服务有限公司")
    entry = enter(name="王丽")
    master = create_user("trainer", name="顾国华", employer="上海颐家养老服务有限公司")
    create_studio(master=master)
    founder = apps.apply(create_user(), camp.cycle, camp.tier, **application_form(
        company_name="上海颐家养老服务有限公司", uscc=company.uscc))
    decisions.decide(camp.runner, [founder], "admitted")
    db_session.commit()
    filled = {f.section.key: f for f in fill(company)}
    assert [s.key for s in SECTIONS] == ["people", "events", "cohorts", "trainees", "awards"]
    people = {g.name: [r.title for r in g.rows] for g in filled["people"].groups}
    assert people["创业者"] == ["张创业"] and people["选手"] == ["王丽"] and people["技能大师"] == ["顾国华"]
    assert [(g.name, [r.title for r in g.rows]) for g in filled["cohorts"].groups] == [(camp.name, [founder.user.name])]
    assert filled["events"].count == 0 and filled["awards"].count == 0 and entry.organisation_id == company.id
    login(client, admin)
    page = client.get(f"/console/organisations/{company.id}/overview")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "王丽" in html and "顾国华" in html and camp.name in html
    assert client.get("/console/organisations/99999999/overview").status_code == 404
    assert client.get("/console/organisations/99999999999999999999/overview").status_code == 404
    login(client, create_user())
    assert client.get(f"/console/organisations/{company.id}/overview").status_code == 403


# -- staff correct the links on the programmes' console pages -------------------------------------
def test_staff_correct_links_on_the_console_pages(client, db_session, create_organisation, create_user, camp,
                                                 contest, create_studio, admin):
    from app.organisations.employees import EmployerLink

    company = create_organisation(name="上海纠正科技有限公司", uscc=uscc_for(31))
    application = apps.apply(create_user(), camp.cycle, camp.tier, **application_form(company_name="上海别名有限公司"))
    decisions.decide(camp.runner, [application], "admitted")
    db_session.commit()
    assert application.organisation_id is None
    login(client, camp.runner)
    page = client.get(f"/console/applications/{application.id}").get_data(as_text=True)
    assert 'name="organisation"' in page
    assert client.post(f"/console/applications/{application.id}/organisation",
                       data={"organisation": uscc_for(31)}).status_code == 302
    db_session.expire_all()
    assert application.organisation_id == company.id
    enrolment = next(e for e in camp.enrolments if e.application_id == application.id)
    assert enrolment.organisation_id == company.id
    client.post(f"/console/applications/{application.id}/organisation", data={"organisation": "没有这家"})
    db_session.expire_all()
    assert application.organisation_id == company.id  # refused, flashed, nothing changed

    login(client, contest.organiser)
    judge = contest.judges[1]
    assert client.post(f"/console/categories/{contest.category.id}/judges/{judge.id}/organisation",
                       data={"organisation": str(company.id)}).status_code == 302
    db_session.expire_all()
    assert next(a for a in contest.category.assignments if a.user_id == judge.id).organisation_id == company.id
    assert "上海纠正科技有限公司" in client.get(f"/console/categories/{contest.category.id}/judges").get_data(
        as_text=True)
    assert client.post(f"/console/categories/{contest.category.id}/judges/99999999999/organisation",
                       data={"organisation": ""}).status_code == 404

    studio = create_studio()
    login(client, studio.organiser)
    assert client.post(f"/console/studios/{studio.id}/master-organisation",
                       data={"organisation": "上海纠正科技"}).status_code == 302
    db_session.expire_all()
    assert studio.master_organisation_id == company.id

    person = create_user(employer="某处")
    login(client, admin)
    assert client.post(f"/admin/users/{person.id}/employer", data={"organisation": company.name}).status_code == 302
    assert db_session.get(EmployerLink, person.id).organisation_id == company.id

    outsider = create_user("organiser", department="skills")
    login(client, outsider)
    assert client.post(f"/console/applications/{application.id}/organisation",
                       data={"organisation": ""}).status_code == 403
    db_session.expire_all()
    assert application.organisation_id == company.id
