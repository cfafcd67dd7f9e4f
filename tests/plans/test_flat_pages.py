"""The plan's pages issue as many statements with 200 people counted as with 10 (issue 19): the
dashboard, a target's page and its drill-down, the console's plan and target pages; and the report
runs' list at 10 and 200 runs."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.checkin import services as checkin
from app.checkin.models import Scan
from app.extensions import db
from app.plans.reports.models import ReportRun
from tests.conftest import login
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
