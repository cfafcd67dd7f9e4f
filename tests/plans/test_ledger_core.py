"""The ledger's counting: each person once, in the year of their first fact (Shanghai days), within
the reader's departments; progress against the target and against the time gone."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from app.plans.ledger import figures
from app.plans.scope import EVERYTHING, Scope
from app.timeutil import LOCAL_TZ, as_utc


def shanghai(*args) -> datetime:
    return as_utc(datetime(*args, tzinfo=LOCAL_TZ))


def test_a_person_at_two_events_counts_once_in_the_year_of_the_first(
        db_session, create_plan, create_target, create_event, create_user, departments, attend):
    plan = create_plan()
    target = create_target(plan, number=10)
    first = create_event(starts_at=shanghai(2022, 12, 31, 20), kind="forum")
    second = create_event(starts_at=shanghai(2023, 3, 1, 9), kind="job_fair", department=departments["employment"])
    li, wang, zhao = create_user(name="李玥"), create_user(name="王磊"), create_user(name="赵敏")
    attend(first, li, shanghai(2022, 12, 31, 23, 30))   # still 2022 in Shanghai (15:30 UTC)
    attend(second, li, shanghai(2023, 3, 1, 9, 5))
    attend(second, wang, shanghai(2023, 1, 1, 0, 10))  # 2023 in Shanghai, 2022 in UTC
    create_user(name="赵敏")  # attended nothing
    reg_only = create_event(starts_at=shanghai(2023, 5, 1, 9))
    from app.registrations.models import Registration
    db_session.add(Registration(event=reg_only, user=zhao, status="confirmed", ticket_secret="x" * 32))  # never came
    db_session.commit()

    whole = figures.plan_period(plan)
    assert figures.count(target, EVERYTHING, whole) == 2
    assert figures.by_year(target, EVERYTHING, date(2024, 12, 31)) == [(2022, 1), (2023, 1), (2024, 0)]
    assert dict(figures.by_column(target, EVERYTHING, whole, "programme")) == {"event:forum": 1, "event:job_fair": 2}

    employment = Scope(frozenset({departments["employment"].id}))
    assert figures.count(target, employment, whole) == 2
    talent = Scope(frozenset({departments["talent_center"].id}))
    assert figures.count(target, talent, whole) == 1

    page, total = figures.subjects(target, EVERYTHING, whole)
    assert total == 2 and [s for s, _at in page] == [li.id, wang.id]


def test_progress_against_the_time_gone(db_session, create_plan, create_target, create_event, create_user, attend):
    plan = create_plan(starts_on=date(2022, 1, 1), ends_on=date(2024, 12, 31))
    target = create_target(plan, number=30)
    event = create_event(starts_at=shanghai(2022, 6, 1, 9))
    for n in range(5):
        attend(event, create_user(), shanghai(2022, 6, 1, 9, n))
    db_session.commit()

    p = figures.progress(target, EVERYTHING, date(2023, 6, 30))  # half the plan gone
    assert p.actual == Decimal(5)
    assert p.expected == Decimal("14.95")  # the even pace: 30 × 546 of 1,096 days
    assert p.status == figures.BEHIND and p.gap < 0
    assert p.series[4] == (date(2022, 5, 31), Decimal(0)) and p.series[5] == (date(2022, 6, 30), Decimal(5))
    assert p.series[-1] == (date(2023, 6, 30), Decimal(5))
    early = figures.progress(target, EVERYTHING, date(2022, 6, 2))
    assert early.status == figures.ON_TRACK


def test_a_target_every_two_years_is_judged_over_its_own_two_years(
        db_session, create_plan, create_target, create_event, create_user, attend):
    plan = create_plan(starts_on=date(2022, 8, 3), ends_on=date(2024, 12, 31))
    target = create_target(plan, number=60, period="year", years=2)
    event = create_event(starts_at=shanghai(2023, 12, 31, 9))
    attend(event, create_user(), shanghai(2023, 12, 31, 23, 59))
    attend(event, create_user(), shanghai(2024, 1, 1, 0, 1))
    db_session.commit()

    assert figures.target_period(target, date(2023, 5, 1)) == figures.Period(date(2022, 8, 3), date(2023, 12, 31))
    assert figures.target_period(target, date(2024, 5, 1)) == figures.Period(date(2024, 1, 1), date(2024, 12, 31))
    assert figures.progress(target, EVERYTHING, date(2023, 12, 31)).actual == 1
    assert figures.progress(target, EVERYTHING, date(2024, 12, 31)).actual == 1
    assert figures.by_year(target, EVERYTHING, date(2024, 12, 31)) == [(2022, 1), (2024, 1)]


def test_an_indicator_has_a_figure_and_no_status_against_a_number(
        db_session, create_plan, create_target, create_event, create_user, attend):
    plan = create_plan()
    target = create_target(plan, number=None)
    event = create_event(starts_at=shanghai(2022, 6, 1, 9))
    attend(event, create_user(), shanghai(2022, 6, 1, 9))
    db_session.commit()
    p = figures.progress(target, EVERYTHING, date(2022, 12, 31))
    assert p.actual == 1 and p.expected is None and p.gap is None and p.status == figures.INDICATOR
