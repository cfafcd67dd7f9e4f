"""Applying to a batch: eligibility rules as data, each refusal with its reason and nothing
saved; the application window; one application per person per batch; withdrawing."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.errors import Conflict, InvalidInput, NotFound
from app.traineeships import applying, batches
from app.traineeships.eligibility import Answers, age_on, refusals
from app.traineeships.models import ApplicationChoice, TraineeApplication
from app.timeutil import utcnow


def _count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


def test_every_failing_rule_is_refused_with_its_reason():
    rules = {"min_age": 16, "max_age": 24, "graduation_years": [2025, 2026], "left_school_unemployed_only": True,
             "shanghai_household_or_study": True}
    answers = Answers(birth_date=date(1990, 1, 1), graduation_year=2020)
    failed = refusals(rules, answers, on=date(2026, 7, 1))
    assert set(failed) == {"birth_date", "graduation_year", "left_school_unemployed", "in_shanghai_household"}
    assert "36" in str(failed["birth_date"]) and "2025、2026" in str(failed["graduation_year"])
    assert refusals(rules, Answers(date(2003, 7, 1), 2026, studies_in_shanghai=True, left_school_unemployed=True),
                    on=date(2026, 7, 1)) == {}
    assert refusals({}, answers, on=date(2026, 7, 1)) == {}  # no rules: anybody
    assert age_on(date(2004, 2, 29), date(2022, 2, 28)) == 17 and age_on(date(2004, 2, 29), date(2022, 3, 1)) == 18


def test_an_ineligible_applicant_is_refused_with_the_reasons_and_nothing_is_saved(
        db_session, traineeship, create_user, apply_as):
    world = traineeship()
    with pytest.raises(InvalidInput) as refused:
        apply_as(create_user(), world.batch, world.places, birth_date=date(1980, 3, 1), in_shanghai_household=False,
                 studies_in_shanghai=False, left_school_unemployed=False)
    assert refused.value.code == "not_eligible"
    assert set(refused.value.fields) == {"birth_date", "left_school_unemployed", "in_shanghai_household"}
    db_session.rollback()
    assert _count(db_session, TraineeApplication) == 0 and _count(db_session, ApplicationChoice) == 0


def test_social_practice_takes_students_graduating_in_its_years(db_session, traineeship, create_user, apply_as):
    world = traineeship(kind="social_practice")
    years = world.batch.eligibility["graduation_years"]
    with pytest.raises(InvalidInput) as refused:
        apply_as(create_user(), world.batch, world.places[:1], graduation_year=years[0] - 3)
    assert set(refused.value.fields) == {"graduation_year"}
    db_session.rollback()
    made = apply_as(create_user(), world.batch, world.places[:1], graduation_year=years[1],
                    left_school_unemployed=False)
    assert made.status == "submitted"


def test_choices_are_ranked_within_the_batch_limit(db_session, traineeship, create_user, apply_as):
    world = traineeship(hosts=4)
    person = create_user()
    with pytest.raises(InvalidInput) as refused:
        apply_as(person, world.batch, world.places)  # 4 places, 3 allowed
    assert "choices" in refused.value.fields
    db_session.rollback()
    with pytest.raises(InvalidInput):
        apply_as(person, world.batch, [world.places[0], world.places[0]])
    db_session.rollback()
    other = traineeship(title="另一批次")
    with pytest.raises(InvalidInput):
        apply_as(person, world.batch, [other.places[0]])
    db_session.rollback()
    made = apply_as(person, world.batch, [world.places[2], world.places[0]])
    assert made.university_id is None  # 上海交通大学 is not registered here
    assert [(c.rank, c.place_id, c.status) for c in made.choices] == [
        (1, world.places[2].id, "pending"), (2, world.places[0].id, "pending")]
    with pytest.raises(Conflict) as again:
        apply_as(person, world.batch, [world.places[1]])
    assert again.value.code == "already_applied"


def test_applications_only_inside_the_window_of_an_open_batch(db_session, traineeship, create_user, apply_as):
    draft = traineeship(open=False)
    with pytest.raises(Conflict) as closed:
        apply_as(create_user(), draft.batch, draft.places)
    assert closed.value.code == "applications_closed"
    db_session.rollback()
    world = traineeship(title="窗口测试")
    world.batch.applications_close_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    with pytest.raises(Conflict):
        apply_as(create_user(), world.batch, world.places)
    db_session.rollback()
    world.batch.applications_close_at = utcnow() + timedelta(days=1)
    world.batch.applications_open_at = utcnow() + timedelta(hours=1)
    db_session.commit()
    with pytest.raises(Conflict):
        apply_as(create_user(), world.batch, world.places)
    db_session.rollback()
    world.batch.applications_open_at = utcnow() - timedelta(hours=1)
    batches.move_batch(world.organiser, world.batch, "closed")
    db_session.commit()
    assert not batches.taking_applications(world.batch)
    with pytest.raises(Conflict):
        apply_as(create_user(), world.batch, world.places)


def test_withdrawing_before_a_host_decides(db_session, traineeship, create_user, apply_as):
    world = traineeship()
    person = create_user()
    made = apply_as(person, world.batch, world.places)
    with pytest.raises(NotFound):
        applying.withdraw(create_user(), made)
    db_session.rollback()
    applying.withdraw(person, made)
    db_session.commit()
    assert made.status == "withdrawn" and {c.status for c in made.choices} == {"superseded"}
    with pytest.raises(Conflict):
        applying.withdraw(person, made)


def test_the_school_typed_is_linked_to_the_registered_university(db_session, traineeship, create_user, apply_as,
                                                                  create_organisation):
    world = traineeship()
    university = create_organisation(kind="university", name="上海交通大学（闵行校区）")
    made = apply_as(create_user(), world.batch, world.places[:1], school_name="上海交通大学")
    assert made.university_id == university.id and made.school_name == "上海交通大学"


def test_staff_edit_the_rules_and_open_only_a_batch_with_places(db_session, traineeship):
    world = traineeship(open=False, hosts=0)
    batch = world.batch
    with pytest.raises(InvalidInput) as no_places:
        batches.move_batch(world.organiser, batch, "open")
    assert "status" in no_places.value.fields
    db_session.rollback()
    common = dict(title=batch.title, year=batch.year, season=batch.season,
                  applications_open_at=batch.applications_open_at, applications_close_at=batch.applications_close_at,
                  starts_on=batch.starts_on, ends_on=batch.ends_on, max_choices=2)
    with pytest.raises(InvalidInput) as bad:
        batches.update_batch(world.organiser, batch, eligibility={"min_age": 30, "max_age": 20,
                                                                  "graduation_years": ["明年"]}, **common)
    assert set(bad.value.fields) == {"max_age", "graduation_years"}
    db_session.rollback()
    rules = {"min_age": 18, "max_age": 30, "graduation_years": [2026], "left_school_unemployed_only": False,
             "shanghai_household_or_study": False}
    batches.update_batch(world.organiser, batch, eligibility=rules, **common)
    db_session.commit()
    assert batch.eligibility == rules and batch.max_choices == 2
