"""The cohort pages and exports that list founders issue as many statements at 200 founders as at
10 (issue 19): members, lesson attendance, the attendance grid and export, the report, graduates,
the grading sheet, results and export, and the mentoring page."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.cohorts.camps.models import Enrolment
from app.cohorts.grading.models import Grade
from app.cohorts.lessons import schedule
from app.cohorts.lessons.models import AttendanceMark
from app.extensions import db
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.bulk_rows import bulk_registrations, bulk_users
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
        people = bulk_users(n, name="学员", employer="闵行创新科技有限公司")
        seats = bulk_registrations(cohort.event, people)
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
         "/console/lessons/{l}/projector.json", "/console/cohorts/{c}/mentoring"]


@pytest.mark.parametrize("page", PAGES)
def test_cohort_pages_are_flat_in_founders(client, camp, flat_in_rows, page):
    login(client, camp["runner"])
    url = page.format(c=camp["cohort"].id, l=camp["lessons"][0].id)
    print(url, flat_in_rows(client, url, add=camp["add"]))
