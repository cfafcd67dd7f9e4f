"""The people search and a person's record issue as many statements at 200 rows as at 10 (issue
19): 200 people found (a page of them shown), 200 events in a person's record (staff's page, the
person's own page and its JSON)."""
from __future__ import annotations

import secrets

import pytest

from app.extensions import db
from app.registrations.models import Registration
from tests.conftest import login
from tests.fixtures.list_rows import events, people


def test_people_search(client, admin, flat_in_rows):
    login(client, admin)
    flat_in_rows(client, "/console/people?q=批量用户", add=people)


def _registrations(person, department):
    def add(n: int) -> None:
        db.session.add_all(Registration(event_id=e.id, user_id=person.id, status="confirmed",
                                        ticket_secret=secrets.token_urlsafe(24)) for e in events(n, department))
        db.session.commit()
    return add


@pytest.mark.parametrize("url", ["/console/people/{id}", "/me/record", "/me/record.json"])
def test_record(client, admin, create_user, departments, flat_in_rows, url):
    person = create_user()
    login(client, admin if url.startswith("/console") else person)
    flat_in_rows(client, url.format(id=person.id), add=_registrations(person, departments["talent_center"]))
