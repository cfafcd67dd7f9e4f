"""The demo's traineeship batch, loaded on organisations the test registers."""
import sqlalchemy as sa

from app.demo.context import DemoRun
from app.demo.traineeships import APPLICANTS, AWAITING, DECLINED, FIRST_DAYS, OPENINGS, PLACED, load_traineeships
from app.organisations.models import OrganisationContact
from app.timeutil import local_today, utcnow
from app.traineeships.models import ApplicationChoice, Placement, TraineeApplication


def test_the_demo_batch(db_session, create_user, create_organisation, admin):
    jiuye = create_user("organiser", department="employment")
    hosts = [create_organisation(kind="host_company", name=f"上海演示见习基地{n}有限公司") for n in range(8)]
    universities = [create_organisation(kind="university", name=f"演示大学{n}") for n in range(6)]
    run = DemoRun(seed=7, participants=0, echo=lambda *a: None, now=utcnow(), today=local_today(),
                  staff_ids={"jiuye@minhang.example": jiuye.id, "admin@minhang.example": admin.id})
    batch = load_traineeships(run, hosts, universities)
    assert batch.status == "running" and batch.year == 2026 and batch.season == "summer"
    assert sum(p.openings for p in batch.places) == OPENINGS and {p.host_id for p in batch.places} == {h.id for h in hosts}
    applications = db_session.scalars(sa.select(TraineeApplication)).all()
    assert len(applications) == APPLICANTS and all(a.university_id for a in applications)
    statuses = [p.status for p in db_session.scalars(sa.select(Placement))]
    assert statuses.count("proposed") == AWAITING and statuses.count("confirmed") == PLACED
    confirmed = db_session.scalars(sa.select(Placement).where(Placement.status == "confirmed")).all()
    assert {p.starts_on for p in confirmed} == set(FIRST_DAYS)  # trainees in different months of their placement
    declined = db_session.scalar(sa.select(sa.func.count()).select_from(ApplicationChoice).where(
        ApplicationChoice.status == "declined"))
    assert declined >= DECLINED
    assert all(p.registration_id for p in db_session.scalars(sa.select(Placement).where(Placement.status == "confirmed")))
    assert db_session.scalar(sa.select(sa.func.count()).select_from(OrganisationContact)) == len(hosts)
    assert load_traineeships(run, hosts, universities).id == batch.id  # idempotent
    assert db_session.scalar(sa.select(sa.func.count()).select_from(TraineeApplication)) == APPLICANTS
