"""The lists of events and of series issue as many statements with 15 events (each in a series of
its own, with registrations) as with 3 (issue 19): the console's events and series, a series' public
page and the API's events."""
from __future__ import annotations

import pytest

from app.events.models import Series
from app.extensions import db
from tests.conftest import login
from tests.fixtures import next_number
from tests.fixtures import list_rows as bulk

PAGES = ["/console/events", "/console/series", "/series/{s}", "/api/v1/events"]


@pytest.mark.parametrize("page", PAGES)
def test_event_lists_are_flat_in_events(client, db_session, create_event, create_user, departments, flat_in_rows,
                                        page):
    organiser = create_user("organiser", department="talent_center")
    week = Series(slug="talent-week", name="人才闵行周", department_id=departments["talent_center"].id)
    db_session.add(week)
    db_session.commit()

    def add(n: int):
        for _ in range(n):
            own = Series(slug=f"s{next_number()}", name="海聚英才", department_id=departments["talent_center"].id)
            db.session.add(own)
            db.session.flush()
            for series in (week, own):
                event = create_event(series_id=series.id)
                bulk.registrations(event, of=bulk.people(2))
        db.session.commit()

    login(client, organiser)
    url = page.format(s=week.slug)
    print(url, flat_in_rows(client, url, add=add, small=3, large=15))
