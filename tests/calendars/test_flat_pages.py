"""The calendar feeds issue as many statements at 200 events as at 10 (issue 19): a series' feed
(200 events, each with a session of its agenda) and a person's feed (200 registrations)."""
from __future__ import annotations

import secrets
from datetime import timedelta

from app.events.models import EventSession, Series
from app.extensions import db
from app.registrations.models import Registration, SessionBooking
from tests.fixtures.list_rows import events


def _with_sessions(made):
    db.session.add_all(EventSession(event_id=e.id, title="主论坛", starts_at=e.starts_at,
                                    ends_at=e.starts_at + timedelta(hours=1), room="报告厅", speaker="主讲人")
                       for e in made)
    db.session.commit()
    return made


def test_series_feed(client, departments, flat_in_rows):
    series = Series(slug="talent-week", name="人才闵行周")
    db.session.add(series)
    db.session.commit()
    flat_in_rows(client, "/calendar/series/talent-week.ics",
                 add=lambda n: _with_sessions(events(n, departments["talent_center"], series_id=series.id)))


def test_personal_feed(client, create_user, departments, flat_in_rows):
    person = create_user()
    person.calendar_token = secrets.token_urlsafe(24)
    db.session.commit()

    def add(n: int) -> None:
        made = _with_sessions(events(n, departments["talent_center"], format="hybrid"))
        registrations = [Registration(event_id=e.id, user_id=person.id, status="confirmed",
                                      ticket_secret=secrets.token_urlsafe(24)) for e in made]
        db.session.add_all(registrations)
        db.session.flush()
        db.session.add_all(SessionBooking(registration_id=r.id, session_id=e.sessions[0].id, status="confirmed")
                           for r, e in zip(registrations, made))
        db.session.commit()

    flat_in_rows(client, f"/calendar/feed/{person.calendar_token}.ics", add=add)
