"""The plan's pages issue as many statements with 200 people counted as with 10 (issue 19): the
dashboard, a target's page and its drill-down, the console's plan and target pages; the report
runs' list at 10 and 200 runs; and each occasion's plan items page at 10 and 200 items of the plan
(a third of them tagged for it)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from app.checkin import services as checkin
from app.checkin.models import Scan
from app.events.models import Series
from app.extensions import db
from app.plans.models import PlanItem, PlanTag
from app.plans.reports.models import ReportRun
from tests.conftest import login
from tests.fixtures import next_number
from tests.fixtures.list_rows import registrations

AT = datetime(2023, 5, 20, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def counted(create_plan, create_target, create_event):
    """A plan whose computed target counts the attendees of a forum in 2023; `add(n)` n more of them."""
    plan = create_plan()
    target = create_target(plan)
    event = create_event(starts_at=AT)
    checkpoint = checkin.event_checkpoint(event)
    db.session.commit()

    def add(n: int) -> None:
        made = registrations(event, n, created_at=AT, queued_at=AT, status_changed_at=AT)
        db.session.add_all(Scan(checkpoint_id=checkpoint.id, registration_id=r.id, result="ok", scanned_at=AT,
                                received_at=AT) for r in made)
        db.session.commit()

    return plan, target, add


@pytest.mark.parametrize("url", ["/dashboard", "/dashboard/targets/{target}", "/dashboard/targets/{target}/people",
                                 "/console/plans", "/console/plans/{plan}", "/console/plans/targets/{target}"])
def test_plan_pages(client, admin, counted, flat_in_rows, url):
    plan, target, add = counted
    login(client, admin)
    flat_in_rows(client, url.format(plan=plan.id, target=target.id), add=add)


def test_report_runs(client, admin, create_plan, flat_in_rows):
    plans = [create_plan(), create_plan()]
    login(client, admin)

    def add(n: int) -> None:
        db.session.add_all(ReportRun(plan_id=plans[i % 2].id, kind="monthly", fmt="pdf", first_day=date(2024, 1, 1),
                                     last_day=date(2024, 1, 31), status="done", requested_by_id=admin.id)
                           for i in range(n))
        db.session.commit()

    flat_in_rows(client, "/dashboard/reports", add=add)


# Each kind of occasion the plan items page serves, built by the fixtures that make one.
SUBJECTS = {
    "series": lambda get: _series(get("departments")),
    "event": lambda get: get("create_event")(),
    "cycle": lambda get: get("create_cohort")().cycle,
    "batch": lambda get: get("traineeship")().batch,
    "competition": lambda get: get("contest").competition,
    "studio": lambda get: get("create_studio")(),
}


def _series(departments) -> Series:
    series = Series(slug=f"s{next_number()}", name="人才闵行周", department_id=departments["talent_center"].id)
    db.session.add(series)
    db.session.commit()
    return series


@pytest.mark.parametrize("kind", list(SUBJECTS))
def test_plan_items_of_an_occasion(client, admin, create_plan, request, flat_in_rows, kind):
    subject = SUBJECTS[kind](request.getfixturevalue)
    plan, subject_id = create_plan(), subject.id
    defaults = ["series", "event:forum", "camp", "traineeship", "competition", "studio", "online"]
    login(client, admin)

    def add(n: int) -> None:
        # Items that name the occasion's programme (its defaults) and items it was tagged with or out of.
        start = db.session.scalar(sa.select(sa.func.count()).select_from(PlanItem)
                                  .where(PlanItem.plan_id == plan.id))
        ids = db.session.scalars(sa.insert(PlanItem).returning(PlanItem.id), [
            dict(plan_id=plan.id, code=f"{i // 10}.{i % 10}", section="（二）实施六项人才培育培养工程",
                 title=f"人才培育计划{i}", position=i, serves=defaults[i % 7:i % 7 + 2])
            for i in range(start, start + n)]).all()
        db.session.execute(sa.insert(PlanTag), [
            dict(item_id=item_id, subject_kind=kind, subject_id=subject_id, serves=bool(i % 2),
                 tagged_by_id=admin.id) for i, item_id in enumerate(ids) if i % 3 == 0])
        db.session.commit()

    flat_in_rows(client, f"/console/plans/tags/{kind}/{subject_id}", add=add)
