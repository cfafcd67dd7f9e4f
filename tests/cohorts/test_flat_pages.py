"""The cohort pages and exports that list founders issue as many statements at 200 founders as at
10 (issue 19): members, lesson attendance, the attendance grid and export, the report, graduates,
the grading sheet, results and export, the mentoring page, and the cycle's report; the cycles' lists
(console and public) at 10 and 200 cycles, the grading index at 10 and 200 cohorts, and a founder's
applications at 10 and 200."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.cohorts.camps.models import Cohort, Cycle, Enrolment, cohort_trainers
from app.cohorts.grading.models import CohortGrading, CohortResult, Grade, ResultRun
from app.cohorts.lessons import schedule
from app.cohorts.lessons.models import AttendanceMark, Lesson
from app.cohorts.models import Application, ReviewScore
from app.cohorts.selection import review
from app.events.models import EventSession
from app.extensions import db
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures import next_number
from tests.fixtures.accounts import api_token
from tests.fixtures import list_rows as bulk
from tests.fixtures.cohorts import standard_assessments


@pytest.fixture
def camp(db_session, create_cohort):
    """A cohort of 250 places with two lectures held yesterday and the standard assessments; `add(n)`
    enrols n more founders in bulk: their registration of the cohort's event, their enrolment, the
    trainer's mark for the first lesson and a grade for the assignments."""
    cohort = create_cohort(capacity=250, intake=300)
    runner, trainer = cohort.runner, cohort.trainers[0]
    start = utcnow() - timedelta(days=1)
    lessons = [schedule.save_lesson(runner, cohort, title=f"第{k}讲", starts_at=start + timedelta(hours=k * 4),
                                   ends_at=start + timedelta(hours=k * 4 + 3), trainer=trainer) for k in range(2)]
    work = standard_assessments(cohort, runner)[1]
    db_session.commit()

    def add(n: int):
        people = bulk.people(n, name="学员", employer="闵行创新科技有限公司")
        seats = bulk.registrations(cohort.event, of=people)
        enrolments = [Enrolment(cohort_id=cohort.id, cycle_id=cohort.cycle_id, user_id=p.id, registration_id=r.id,
                                company=p.employer) for p, r in zip(people, seats)]
        db.session.add_all(enrolments)
        db.session.flush()
        db.session.add_all(AttendanceMark(lesson_id=lessons[0].id, enrolment_id=e.id, status="present",
                                          marked_by_id=trainer.id) for e in enrolments)
        db.session.add_all(Grade(enrolment_id=e.id, assessment_id=work.id, score=40, graded_by_id=trainer.id)
                           for e in enrolments)
        db.session.commit()

    return {"cohort": cohort, "runner": runner, "trainer": trainer, "lessons": lessons, "add": add}


PAGES = ["/console/cohorts/{c}", "/console/cohorts/{c}/attendance", "/console/lessons/{l}/attendance",
         "/console/cohorts/{c}/attendance.xlsx", "/console/cohorts/{c}/report", "/console/cohorts/{c}/graduates",
         "/grading/{c}", "/grading/{c}/results", "/grading/{c}/grades.xlsx", "/grading/{c}/assessments",
         "/console/lessons/{l}/projector.json", "/console/cohorts/{c}/mentoring", "/console/cycles/{y}/report"]


@pytest.mark.parametrize("page", PAGES)
def test_cohort_pages_are_flat_in_founders(client, camp, flat_in_rows, page):
    login(client, camp["runner"])
    url = page.format(c=camp["cohort"].id, l=camp["lessons"][0].id, y=camp["cohort"].cycle_id)
    print(url, flat_in_rows(client, url, add=camp["add"]))


# -- selection: applications, ranking and their export ----------------------------------------
@pytest.fixture
def applicants(db_session, create_cohort, create_user):
    """An open cycle with an incubation cohort, a rubric of two criteria and a reviewer; `add(n)` adds n
    submitted applications in bulk, each scored by the reviewer on both criteria."""
    cohort = create_cohort("incubation", capacity=20)
    cycle = cohort.cycle
    cycle.applications_open_at = utcnow() - timedelta(days=1)
    cycle.applications_close_at = utcnow() + timedelta(days=14)
    criteria = review.set_rubric(cohort.runner, cycle, [{"name": "商业模式", "weight": 2, "max_score": 10},
                                                        {"name": "团队", "weight": 1, "max_score": 10}])
    reviewer = create_user("trainer", name="评审")
    db_session.commit()

    def add(n: int):
        people = bulk.people(n, name="申请人")
        rows = [Application(cycle_id=cycle.id, tier_id=cohort.tier_id, user_id=p.id, name=p.name, mobile=p.mobile,
                            company_name=f"闵行{p.id}科技有限公司", uscc="91310112MA1GBUG2X0",
                            founded_on=date(2024, 5, 20), industry="ai", team_size=8, funding_stage="angel",
                            business_plan="质检SaaS，服务闵行区制造企业。") for p in people]
        db.session.add_all(rows)
        db.session.flush()
        db.session.add_all(ReviewScore(application_id=a.id, reviewer_id=reviewer.id, criterion_id=c.id, score=7)
                           for a in rows for c in criteria)
        db.session.commit()

    return {"cycle": cycle, "runner": cohort.runner, "add": add}


@pytest.mark.parametrize("page", ["/console/cycles/{y}/applications", "/console/cycles/{y}/ranking",
                                  "/console/cycles/{y}/applications.xlsx",
                                  "/console/cycles/{y}/applications.xlsx?full=1"])
def test_selection_pages_are_flat_in_applications(client, applicants, flat_in_rows, page):
    login(client, applicants["runner"])
    url = page.format(y=applicants["cycle"].id)
    print(url, flat_in_rows(client, url, add=applicants["add"]))


def test_the_cohort_list_is_flat_in_cohorts(client, db_session, create_cohort, flat_in_rows):
    first = create_cohort(capacity=2, intake=300)

    def add(n: int):
        for _ in range(n):
            create_cohort(capacity=2)

    login(client, first.runner)
    print(flat_in_rows(client, "/console/cohorts", add=add, small=3, large=15))


def test_an_organisations_linked_founders_are_flat(client, camp, admin, create_organisation, flat_in_rows):
    """The registry's page of a company (console and API) lists its founders in every cohort."""
    company = create_organisation(name="闵行创新科技有限公司")
    cohort = camp["cohort"]

    def add(n: int):
        people = bulk.people(n, name="学员")
        seats = bulk.registrations(cohort.event, of=people)
        db.session.add_all(Enrolment(cohort_id=cohort.id, cycle_id=cohort.cycle_id, user_id=p.id, registration_id=r.id,
                                     company=company.name, organisation_id=company.id) for p, r in zip(people, seats))
        db.session.commit()

    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, admin)}"
    print(flat_in_rows(client, f"/api/v1/organisations/{company.id}", add=add))


def test_a_cycles_applications_come_50_to_a_page_with_the_filters_kept(client, applicants):
    applicants["add"](66)
    cycle = applicants["cycle"]
    every = list(db.session.scalars(sa.select(Application).where(Application.cycle_id == cycle.id)
                                    .order_by(Application.submitted_at, Application.id)))
    for a in every[:6]:
        a.status = "withdrawn"  # left out by the status filter
    db.session.commit()
    submitted = [a.id for a in every[6:]]
    login(client, applicants["runner"])

    def shown(query: str) -> tuple[list[int], str]:
        body = client.get(f"/console/cycles/{cycle.id}/applications?{query}").get_data(as_text=True)
        return [int(x) for x in re.findall(r'data-application="(\d+)"', body)], body

    first, body = shown("status=submitted&q=申请人")
    assert first == submitted[:50] and 'data-applications-total="60"' in body
    next_link = re.search(r'<a href="([^"]*page=2[^"]*)"', body).group(1).replace("&amp;", "&")
    assert "status=submitted" in next_link and "q=" in next_link
    second, body = shown(next_link.split("?", 1)[1])
    assert second == submitted[50:] and 'data-applications-total="60"' in body
    everything, body = shown("page=2")
    assert everything == [a.id for a in every[50:]] and 'data-applications-total="66"' in body


# -- lists of cycles and of cohorts ---------------------------------------------------------------
def _cycles(programme_id: int, n: int) -> list[int]:
    return db.session.scalars(sa.insert(Cycle).returning(Cycle.id), [
        dict(programme_id=programme_id, name=f"第{next_number()}期", starts_on=date(2026, 3, 1),
             ends_on=date(2027, 12, 31), applications_open_at=utcnow() - timedelta(days=1),
             applications_close_at=utcnow() + timedelta(days=14)) for _ in range(n)]).all()


def _cohorts(tier_id: int, cycle_ids, events) -> list[int]:
    """One 孵化 cohort a cycle, each held on its own event."""
    return db.session.scalars(sa.insert(Cohort).returning(Cohort.id), [
        dict(cycle_id=c, tier_id=tier_id, event_id=e.id, name=f"第{c}期孵化班", capacity=20,
             starts_on=date(2026, 3, 1), ends_on=date(2026, 12, 31)) for c, e in zip(cycle_ids, events)]).all()


@pytest.mark.parametrize("who", ["runner", "trainer"])
def test_the_cycles_list_is_flat_in_cycles(client, create_cohort, flat_in_rows, who):
    """The runner sees every cycle with its applications counted by status; a trainer, only the
    cycles of their cohorts, picked out of all of them."""
    cohort = create_cohort(capacity=2)
    programme_id, tier_id = cohort.cycle.programme_id, cohort.tier_id

    def add(n: int) -> None:
        for cycle_id, person in zip(_cycles(programme_id, n), bulk.people(n, name="申请人")):
            db.session.add(Application(cycle_id=cycle_id, tier_id=tier_id, user_id=person.id, name=person.name,
                                       mobile=person.mobile, company_name="闵行创新科技有限公司",
                                       uscc="91310112MA1GBUG2X0", founded_on=date(2024, 5, 20), industry="ai",
                                       team_size=3, funding_stage="angel", business_plan="质检SaaS"))
        db.session.commit()

    login(client, cohort.runner if who == "runner" else cohort.trainers[0])
    flat_in_rows(client, "/console/camps", add=add)


@pytest.mark.parametrize("who", ["runner", "trainer"])
def test_the_grading_index_is_flat_in_cohorts(client, create_cohort, flat_in_rows, who):
    """Cohorts of one trainer across cycles, each with an enrolled founder; every other one's grades
    published."""
    first = create_cohort(capacity=2)
    trainer, programme_id, tier_id = first.trainers[0], first.cycle.programme_id, first.tier_id
    department = first.event.department

    def add(n: int) -> None:
        cycles, seats = _cycles(programme_id, n), bulk.events(n, department)
        ids = _cohorts(tier_id, cycles, seats)
        db.session.execute(sa.insert(cohort_trainers), [dict(cohort_id=c, user_id=trainer.id) for c in ids])
        db.session.execute(sa.insert(CohortGrading), [dict(cohort_id=c, locked=True) for c in ids[::2]])
        founders = bulk.people(n, name="学员")
        for cohort_id, cycle_id, event, founder in zip(ids, cycles, seats, founders):
            seat = bulk.registrations(event, of=[founder])[0]
            db.session.add(Enrolment(cohort_id=cohort_id, cycle_id=cycle_id, user_id=founder.id,
                                     registration_id=seat.id, company=founder.employer))
        db.session.commit()

    login(client, first.runner if who == "runner" else trainer)
    flat_in_rows(client, "/grading/", add=add)


def test_a_founders_applications_are_flat(client, create_cohort, create_user, flat_in_rows):
    """One founder's applications, one a cycle; every other one admitted to a cohort of its cycle."""
    first = create_cohort(capacity=2)
    programme_id, tier_id, department = first.cycle.programme_id, first.tier_id, first.event.department
    founder = create_user(name="创始人")
    login(client, founder)

    def add(n: int) -> None:
        cycles = _cycles(programme_id, n)
        applications = [Application(cycle_id=c, tier_id=tier_id, user_id=founder.id, name=founder.name,
                                    mobile=founder.mobile, company_name="闵行创新科技有限公司", uscc="91310112MA1GBUG2X0",
                                    founded_on=date(2024, 5, 20), industry="ai", team_size=3, funding_stage="angel",
                                    business_plan="质检SaaS", status="admitted" if k % 2 else "submitted")
                        for k, c in enumerate(cycles)]
        db.session.add_all(applications)
        admitted, seats = applications[1::2], bulk.events(n // 2, department)
        cohorts = _cohorts(tier_id, [a.cycle_id for a in admitted], seats)
        for a, cohort_id, event in zip(admitted, cohorts, seats):
            seat = bulk.registrations(event, of=[founder])[0]
            db.session.add(Enrolment(cohort_id=cohort_id, cycle_id=a.cycle_id, user_id=founder.id,
                                     registration_id=seat.id, company=a.company_name, application_id=a.id))
        db.session.commit()

    flat_in_rows(client, "/camps/applications", add=add)


def test_the_public_camps_list_is_flat_in_cycles(client, create_cohort, flat_in_rows):
    programme_id = create_cohort(capacity=2).cycle.programme_id
    flat_in_rows(client, "/camps", add=lambda n: (_cycles(programme_id, n), db.session.commit()))


def test_a_founders_results_are_flat_in_enrolments(client, create_cohort, create_user, flat_in_rows):
    """One founder enrolled cohort after cohort (one a cycle); every other cohort's results published."""
    first = create_cohort(capacity=2)
    programme_id, tier_id, department = first.cycle.programme_id, first.tier_id, first.event.department
    founder = create_user(name="创始人")
    login(client, founder)

    def add(n: int) -> None:
        cycles, seats = _cycles(programme_id, n), bulk.events(n, department)
        ids = _cohorts(tier_id, cycles, seats)
        enrolments = [Enrolment(cohort_id=k, cycle_id=c, user_id=founder.id, company="闵行创新科技有限公司",
                                registration_id=bulk.registrations(e, of=[founder])[0].id)
                      for k, c, e in zip(ids, cycles, seats)]
        db.session.add_all(enrolments)
        db.session.flush()
        for cohort_id, enrolment in list(zip(ids, enrolments))[1::2]:
            run = ResultRun(cohort_id=cohort_id, rules={}, enrolled=1, published_at=utcnow())
            db.session.add(run)
            db.session.flush()
            db.session.add(CohortResult(run_id=run.id, enrolment_id=enrolment.id, attendance_rate=0.9, score=88.5,
                                        rank=1, outcome="distinction", published_at=run.published_at))
        db.session.commit()

    flat_in_rows(client, "/camps/my/results", add=add)


def test_a_founders_camps_are_flat_in_enrolments(client, create_cohort, create_user, flat_in_rows):
    """"My camps": one founder enrolled cohort after cohort, each with two lectures (each its own trainer) and
    the trainer's mark at the first; the page shows every cohort's schedule, marks and rate."""
    first = create_cohort(capacity=2)
    programme_id, tier_id, department = first.cycle.programme_id, first.tier_id, first.event.department
    founder = create_user(name="创始人")
    login(client, founder)
    start = utcnow() - timedelta(days=1)

    def add(n: int) -> None:
        cycles, seats = _cycles(programme_id, n), bulk.events(n, department)
        ids = _cohorts(tier_id, cycles, seats)
        trainers = bulk.people(2 * n, name="讲师")
        enrolments = [Enrolment(cohort_id=k, cycle_id=c, user_id=founder.id, company="闵行创新科技有限公司",
                                registration_id=bulk.registrations(e, of=[founder])[0].id)
                      for k, c, e in zip(ids, cycles, seats)]
        db.session.add_all(enrolments)
        sessions = db.session.scalars(sa.insert(EventSession).returning(EventSession.id,
                                                                        sort_by_parameter_order=True), [
            dict(event_id=e.id, title=f"第{k}讲", starts_at=start + timedelta(hours=4 * k),
                 ends_at=start + timedelta(hours=4 * k + 3), room="A101") for e in seats for k in range(2)]).all()
        lessons = db.session.scalars(sa.insert(Lesson).returning(Lesson.id, sort_by_parameter_order=True), [
            dict(cohort_id=cohort_id, session_id=session_id, kind="lecture", trainer_id=trainer.id)
            for cohort_id, session_id, trainer in zip([k for k in ids for _ in range(2)], sessions, trainers)]).all()
        db.session.flush()
        db.session.add_all(AttendanceMark(lesson_id=lesson_id, enrolment_id=e.id, status="present",
                                          marked_by_id=founder.id) for lesson_id, e in zip(lessons[::2], enrolments))
        db.session.commit()

    flat_in_rows(client, "/camps/my", add=add)
    page = client.get("/camps/my?lang=en").get_data(as_text=True)
    assert page.count("Attendance rate") == 200 and page.count("Present") == 200 and page.count("讲师") == 400
