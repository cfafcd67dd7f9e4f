"""Cohorts core: programmes as data, cycles, cohorts on invitation-only events, enrolment with
capacities and one cohort per cycle, lessons on the cohort's agenda, trainers see their own."""
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.cohorts.camps import services as cohorts
from app.cohorts.lessons import schedule
from app.cohorts.camps.models import Enrolment, Programme
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.registrations import services as reg
from app.timeutil import LOCAL_TZ


def test_programmes_and_tiers_are_data_and_seeded_once(db_session):
    cohorts.ensure_programmes()
    cohorts.ensure_programmes()
    camp = cohorts.get_programme("startup-camp")
    assert [t.name for t in camp.tiers] == ["创业孵化营", "创业成长营", "创业加速营"]
    assert cohorts.next_tier(camp.tiers[0]).code == "growth" and cohorts.next_tier(camp.tiers[2]) is None
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Programme)) == 3
    trainees = cohorts.get_programme("traineeship")
    assert trainees.tiers[0].rules["min_attendance"] == 0.9  # tier-specific rules without code


def test_cohort_runs_on_an_invitation_only_event(client, db_session, create_cohort, create_user):
    cohort = create_cohort(capacity=2, venue="南科创实训基地 培训教室A")
    event = cohort.event
    assert event.invitation_only and event.is_published and event.capacity == 2
    assert client.get(f"/events/{event.id}").status_code == 404
    assert str(event.id) not in [str(e["id"]) for e in client.get("/api/v1/events").json["items"]]
    with pytest.raises(Conflict) as error:
        reg.register(create_user(), event)
    assert error.value.code == "invitation_only"


def test_capacities_respect_the_intake_and_one_cohort_per_cycle(db_session, create_cohort, create_user):
    incubation = create_cohort("incubation", capacity=2, intake=5)
    growth = create_cohort("growth", capacity=3, cycle=incubation.cycle)
    with pytest.raises(InvalidInput) as error:
        create_cohort("acceleration", capacity=1, cycle=incubation.cycle)
    assert "capacity" in error.value.fields
    runner = incubation.runner
    a, b, c = (create_user(name=n) for n in ("张玥", "李喆", "王堃"))
    cohorts.enrol(runner, incubation, a)
    cohorts.enrol(runner, incubation, b)
    assert cohorts.enrol(runner, incubation, a).user_id == a.id  # again: the same enrolment
    with pytest.raises(Conflict) as full:
        cohorts.enrol(runner, incubation, c)
    assert full.value.code == "cohort_full"
    with pytest.raises(Conflict) as twice:
        cohorts.enrol(runner, growth, a)
    assert twice.value.code == "already_in_cycle"
    enrolment = cohorts.enrolment_of(a, incubation)
    assert enrolment.registration.status == "confirmed" and enrolment.registration.event_id == incubation.event_id
    cohorts.withdraw(runner, enrolment, reason="公司迁出闵行")
    moved = cohorts.enrol(runner, growth, a)  # withdrawn from one cohort, may join another of the cycle
    assert moved.id == enrolment.id and moved.cohort_id == growth.id and moved.active
    assert cohorts.enrolled_count(incubation) == 1 and cohorts.enrolled_count(growth) == 1
    db_session.commit()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 2


def test_only_the_programmes_organisers_run_it(db_session, create_cohort, create_user):
    cohort = create_cohort()
    outsider = create_user("organiser", department="talent_center")
    with pytest.raises(PermissionDenied):
        cohorts.enrol(outsider, cohort, create_user())
    with pytest.raises(PermissionDenied):
        cohorts.create_cycle(outsider, cohort.cycle.programme, name="2028–2029", starts_on=date(2028, 1, 1),
                             ends_on=date(2029, 12, 31))
    with pytest.raises(InvalidInput):
        cohorts.create_cohort(cohort.runner, cohort.cycle, cohort.tier, trainers=[outsider])


def test_trainers_see_only_their_own_cohorts(db_session, create_cohort, create_user):
    mine, theirs = create_user("trainer", name="陈导师"), create_user("trainer", name="周导师")
    a = create_cohort("incubation", trainers=[mine])
    b = create_cohort("growth", trainers=[theirs], cycle=a.cycle)
    assert cohorts.can_teach(mine, a) and not cohorts.can_teach(mine, b)
    assert [c.id for c in cohorts.cohorts_for(mine)] == [a.id]
    assert {c.id for c in cohorts.cohorts_for(a.runner)} == {a.id, b.id}
    with pytest.raises(PermissionDenied):
        cohorts.require_teach(mine, b)


def test_lessons_are_agenda_sessions_with_checkpoints(db_session, create_cohort, create_user):
    from app.checkin import services as checkin

    cohort = create_cohort()
    trainer = cohort.trainers[0]
    start = datetime(2026, 4, 11, 9, 0, tzinfo=LOCAL_TZ)
    lesson = schedule.save_lesson(cohort.runner, cohort, title="商业模式画布", starts_at=start,
                                 ends_at=start + timedelta(hours=3), place="培训教室A", trainer=trainer)
    assert lesson.session.event_id == cohort.event_id and lesson.session.speaker == trainer.name
    assert checkin.session_checkpoint(lesson.session).session_id == lesson.session_id
    with pytest.raises(InvalidInput):
        schedule.save_lesson(cohort.runner, cohort, title="x", starts_at=start, ends_at=start, kind="lecture")
    with pytest.raises(InvalidInput):
        schedule.save_lesson(cohort.runner, cohort, title="x", starts_at=start, ends_at=start + timedelta(hours=1),
                            kind="party")
    with pytest.raises(NotFound):
        schedule.get_lesson(999999)
