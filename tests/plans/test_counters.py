"""Each computed counter of the ledger against rows built for the test with the programmes' own
fixtures and services: who counts (once), who does not, in which Shanghai year, in whose department."""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.plans.ledger import figures
from app.plans.scope import EVERYTHING, Scope
from app.timeutil import LOCAL_TZ, as_utc

END = date(2024, 12, 31)


def shanghai(*args) -> datetime:
    return as_utc(datetime(*args, tzinfo=LOCAL_TZ))


def in_scope(*departments) -> Scope:
    return Scope(frozenset(d.id for d in departments))


# -- founders ------------------------------------------------------------------------------------

def test_a_founder_in_the_incubation_camp_then_the_growth_camp_counts_once(
        db_session, create_plan, create_target, create_user, departments):
    from app.cohorts.camps import services as cohorts

    runner = create_user("organiser", department="employment")
    programme = next(p for p in cohorts.ensure_programmes() if p.code == "startup-camp")
    tier = {t.code: t for t in programme.tiers}

    def cohort(name, starts, ends, code):
        cycle = cohorts.create_cycle(runner, programme, name=name, starts_on=starts, ends_on=ends, intake=60)
        return cohorts.create_cohort(runner, cycle, tier[code], capacity=10, trainers=[create_user("trainer")])

    incubation = cohort("2022–2023", date(2022, 3, 1), date(2023, 2, 28), "incubation")
    growth = cohort("2023–2024", date(2023, 3, 1), date(2024, 2, 28), "growth")
    new_year = cohort("2024", date(2024, 1, 1), date(2024, 12, 31), "acceleration")  # first day: 1 Jan 2024
    li, wang, zhao, qian, sun = (create_user(name=n) for n in ("李玥", "王磊", "赵敏", "钱程", "孙悦"))
    cohorts.enrol(runner, incubation, li)
    cohorts.enrol(runner, growth, li)  # the same founder a year on: one person tracked
    cohorts.enrol(runner, growth, wang)
    left_early = cohorts.withdraw(runner, cohorts.enrol(runner, incubation, zhao), reason="另有安排")
    left_early.withdrawn_at = shanghai(2022, 2, 20, 10)  # before the camp began: never in it
    left_later = cohorts.withdraw(runner, cohorts.enrol(runner, incubation, qian), reason="公司迁出")
    left_later.withdrawn_at = shanghai(2022, 5, 20, 10)  # after it began: was a founder in the camp
    cohorts.enrol(runner, new_year, sun)
    db_session.commit()

    target = create_target(create_plan(), number=120, rule={"counter": "founders"})
    whole = figures.plan_period(target.plan)
    assert figures.count(target, EVERYTHING, whole) == 4  # 李玥 once, 王磊, 钱程, 孙悦; not 赵敏
    assert figures.by_year(target, EVERYTHING, END) == [(2022, 2), (2023, 1), (2024, 1)]
    # 孙悦's cohort starts at 00:00 on 1 January 2024 in Shanghai (16:00 UTC on 31 December)
    assert figures.progress(target, EVERYTHING, date(2023, 12, 31)).actual == 3
    assert figures.progress(target, EVERYTHING, date(2024, 1, 1)).actual == 4
    assert dict(figures.by_column(target, EVERYTHING, whole, "programme")) == {"camp": 4}
    assert figures.count(target, in_scope(departments["employment"]), whole) == 4
    assert figures.count(target, in_scope(departments["talent_center"]), whole) == 0

    growth_only = create_target(target.plan, rule={"counter": "founders", "tiers": ["growth", "acceleration"]})
    page, total = figures.subjects(growth_only, EVERYTHING, whole)
    assert total == 3 and {s for s, _at in page} == {li.id, wang.id, sun.id}


# -- trainees ------------------------------------------------------------------------------------

def test_trainees_count_when_their_placement_starts_not_when_they_apply(
        db_session, create_plan, create_target, create_user, departments, placed_batch):
    from app.traineeships.models import TraineeApplication

    summer = placed_batch(trainees=(3, 1), starts_on=date(2023, 7, 1), ends_on=date(2023, 9, 30))
    confirmed, proposed, withdrawn_early, completed = summer.placements
    proposed.status = "proposed"  # the host accepted, the bureau has not confirmed
    withdrawn_early.status, withdrawn_early.withdrawn_at = "withdrawn", shanghai(2023, 6, 20, 9)
    completed.status = "completed"
    db_session.add(TraineeApplication(batch=summer.batch, user=create_user(), status="not_placed",
                                      graduation_year=2023, birth_date=date(2001, 3, 1)))  # applied only
    practice = placed_batch(trainees=(1,), kind="social_practice", starts_on=date(2024, 1, 1),
                            ends_on=date(2024, 2, 15))
    later = placed_batch(trainees=(2,), starts_on=date(2025, 3, 1), ends_on=date(2025, 5, 31))  # after the plan
    db_session.commit()

    target = create_target(create_plan(), number=1500, rule={"counter": "trainees"})
    whole = figures.plan_period(target.plan)
    page, total = figures.subjects(target, EVERYTHING, whole)
    assert total == 3
    assert {s for s, _at in page} == {confirmed.user_id, completed.user_id, practice.placements[0].user_id}
    assert figures.by_year(target, EVERYTHING, END) == [(2022, 0), (2023, 2), (2024, 1)]
    assert figures.progress(target, EVERYTHING, date(2023, 6, 30)).actual == 0  # placed, not started yet
    assert figures.progress(target, EVERYTHING, date(2023, 7, 1)).actual == 2
    assert figures.count(target, in_scope(departments["talent_center"]), whole) == 3
    assert figures.count(target, in_scope(departments["employment"]), whole) == 0

    practice_only = create_target(target.plan, rule={"counter": "trainees", "kinds": ["social_practice"]})
    assert figures.count(practice_only, EVERYTHING, whole) == 1
    assert later.placements and figures.count(target, EVERYTHING, figures.Period(date(2025, 1, 1), date(2025, 12, 31))) == 2


# -- studios -------------------------------------------------------------------------------------

def test_studios_count_in_the_year_they_were_founded(db_session, create_plan, create_target, create_studio,
                                                     create_user, departments):
    organiser = create_user("organiser", department="skills")
    a = create_studio(organiser=organiser, name="顾国华数控技能大师工作室", founded_on=date(2022, 12, 31))
    b = create_studio(organiser=organiser, name="陈立新电工技能大师工作室", founded_on=date(2023, 1, 1))
    closed = create_studio(organiser=organiser, name="周建华焊接技能大师工作室", founded_on=date(2023, 6, 1))
    closed.transition("closed", actor=organiser)
    create_studio(organiser=organiser, name="王芳烘焙技能大师工作室", founded_on=date(2025, 1, 1))
    db_session.commit()

    target = create_target(create_plan(), number=5, unit="个", period="year", rule={"counter": "studios_opened"})
    assert figures.by_year(target, EVERYTHING, END) == [(2022, 1), (2023, 2), (2024, 0)]
    assert figures.progress(target, EVERYTHING, date(2022, 12, 31)).actual == 1
    p = figures.progress(target, EVERYTHING, date(2023, 12, 31))
    assert p.actual == 2 and p.status == figures.BEHIND
    page, total = figures.subjects(target, EVERYTHING, figures.plan_period(target.plan))
    assert total == 3 and [s for s, _at in page] == [a.id, b.id, closed.id]
    assert figures.count(target, in_scope(departments["talent_center"]), figures.plan_period(target.plan)) == 0


# -- events held and the people who came ----------------------------------------------------------

def test_events_held_are_the_published_ones_that_started(db_session, create_plan, create_target, create_event,
                                                         departments):
    held = create_event(kind="symposium", starts_at=shanghai(2023, 12, 31, 23, 30))
    create_event(kind="symposium", starts_at=shanghai(2024, 1, 1, 0, 30), department=departments["skills"])
    create_event(kind="symposium", starts_at=shanghai(2023, 5, 1, 9), status="cancelled")
    create_event(kind="symposium", starts_at=shanghai(2023, 6, 1, 9), status="draft")
    create_event(kind="forum", starts_at=shanghai(2023, 7, 1, 9))  # another kind
    create_event(kind="symposium", starts_at=shanghai(2024, 11, 1, 9))  # after the day asked about

    target = create_target(create_plan(), number=1, unit="场", period="year",
                           rule={"counter": "events_held", "kinds": ["symposium"]})
    assert figures.by_year(target, EVERYTHING, date(2024, 10, 31)) == [(2022, 0), (2023, 1), (2024, 1)]
    assert figures.progress(target, EVERYTHING, date(2023, 12, 31)).actual == 1
    page, _total = figures.subjects(target, EVERYTHING, figures.year_period(target.plan, 2023))
    assert [s for s, _at in page] == [held.id]
    assert figures.count(target, in_scope(departments["skills"]), figures.plan_period(target.plan)) == 1


def test_a_person_scanned_only_at_an_agenda_session_is_an_attendee(
        db_session, create_plan, create_target, create_event, create_user):
    from app.checkin import services as checkin
    from app.checkin.models import Scan
    from app.events.models import EventSession
    from app.registrations.models import Registration

    event = create_event(kind="forum", starts_at=shanghai(2023, 4, 1, 9))
    session = EventSession(event=event, title="分论坛：集成电路人才", starts_at=shanghai(2023, 4, 1, 14),
                           ends_at=shanghai(2023, 4, 1, 16))
    db_session.add(session)
    db_session.flush()
    person = create_user()
    at = shanghai(2023, 4, 1, 14, 5)
    registration = Registration(event=event, user=person, status="confirmed", ticket_secret=secrets.token_hex(16),
                                created_at=at - timedelta(days=3))
    db_session.add(registration)
    db_session.flush()
    db_session.add(Scan(checkpoint=checkin.session_checkpoint(session), registration_id=registration.id,
                        result="ok", scanned_at=at, received_at=at))
    db_session.commit()
    target = create_target(create_plan(), number=None, rule={"counter": "attendees", "kinds": ["forum"]})
    assert figures.count(target, EVERYTHING, figures.plan_period(target.plan)) == 1


# -- 留在闵行 ------------------------------------------------------------------------------------

def test_retention_counts_the_answers_of_working_in_minhang_at_12_months(
        db_session, create_plan, create_target, departments, ended_programmes, send_surveys):
    from app.followups.models import FollowupSurvey

    ended = ended_programmes
    send_surveys(date(2025, 12, 30))  # the camp's 6-month surveys
    send_surveys(date(2026, 6, 30))  # the camp's and the pitch's 12-month surveys
    send_surveys(date(2026, 9, 30))  # the traineeship's 12-month surveys

    def survey(user, months):
        return db_session.scalar(sa.select(FollowupSurvey).where(FollowupSurvey.user_id == user.id,
                                                                 FollowupSurvey.months_after == months))

    def answered(row, working, at):  # as app.followups.answering.answer leaves it, on a day of the past
        row.status, row.working, row.answered_at = "answered", working, at

    founder, other_founder = ended.founders
    trainee, quiet_trainee = ended.trainees
    entrant = ended.entrants[0]
    answered(survey(founder, 12), "employed_minhang", shanghai(2026, 7, 5, 10))
    answered(survey(other_founder, 12), "outside_minhang", shanghai(2026, 7, 6, 10))
    answered(survey(other_founder, 6), "employed_minhang", shanghai(2026, 1, 3, 10))  # at 6 months only
    answered(survey(trainee, 12), "own_company_minhang", shanghai(2026, 12, 31, 23, 30))  # still 2026
    assert survey(quiet_trainee, 12).status == "sent"  # never answered
    answered(survey(entrant, 12), "employed_minhang", shanghai(2027, 1, 1, 0, 10))
    db_session.commit()

    plan = create_plan(starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31))
    target = create_target(plan, number=None, rule={"counter": "retained", "months": 12})
    whole = figures.plan_period(plan)
    page, total = figures.subjects(target, EVERYTHING, whole)
    assert total == 3 and {s for s, _at in page} == {founder.id, trainee.id, entrant.id}
    assert figures.by_year(target, EVERYTHING, date(2027, 12, 31)) == [(2025, 0), (2026, 2), (2027, 1)]
    assert dict(figures.by_column(target, EVERYTHING, whole, "programme")) == {
        "camp": 1, "traineeship": 1, "competition": 1}
    assert figures.count(target, in_scope(departments["employment"]), whole) == 1
    assert figures.count(target, in_scope(departments["talent_center"]), whole) == 2
    assert figures.progress(target, EVERYTHING, date(2027, 12, 31)).status == figures.INDICATOR
    at_six = create_target(plan, number=None, rule={"counter": "retained", "months": 6})
    assert figures.count(at_six, EVERYTHING, whole) == 1
