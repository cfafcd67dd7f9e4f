"""The people search and a person's record issue as many statements at 200 rows as at 10 (issue
19): 200 people found (a page of them shown), 200 events in a person's record (staff's page, the
person's own page and its JSON, the person's data download, the API's record), 200 likely
duplicates, 200 merges, 200 people due for anonymising (the retention dry run)."""
from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from app.extensions import db
from app.person.merge.models import AccountMerge
from app.registrations.models import Registration
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.accounts import api_token
from tests.fixtures.list_rows import events, people, registrations


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


@pytest.mark.parametrize("url", ["/me/data.json", "/me/data.pdf", "/api/v1/people/{id}/record"])
def test_a_persons_data_and_the_apis_record_are_flat(client, admin, create_user, departments, flat_in_rows, url):
    """The person's download of their data reads every table once, whatever its number of rows."""
    person = create_user()
    if url.startswith("/api/"):
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, admin)}"
    else:
        login(client, person)
    flat_in_rows(client, url.format(id=person.id), add=_registrations(person, departments["talent_center"]))


def test_duplicates(client, admin, flat_in_rows):
    login(client, admin)

    def add(n: int) -> None:  # pairs of accounts with one name and one employer
        for first, second in zip(*[iter(people(n))] * 2):
            second.name, second.employer = first.name, first.employer
        db.session.commit()

    flat_in_rows(client, "/console/people/duplicates", add=add)


def test_merges(client, admin, flat_in_rows):
    login(client, admin)

    def add(n: int) -> None:
        made = people(2 * n)
        db.session.add_all(AccountMerge(survivor_id=a.id, absorbed_id=b.id, merged_by_id=admin.id, reason="同一人")
                           for a, b in zip(made[::2], made[1::2]))
        db.session.commit()

    flat_in_rows(client, "/console/people/merges", add=add)


def test_retention_dry_run(client, admin, departments, flat_in_rows):
    """Half of those due last took part in an event four years ago, half signed up five years ago and
    never took part."""
    login(client, admin)
    long_ago = utcnow() - timedelta(days=5 * 365)
    old_events = events(2, departments["talent_center"], starts_at=long_ago + timedelta(days=365))

    def add(n: int) -> None:
        made = people(n, created_at=long_ago)
        for i, event in enumerate(old_events):
            registrations(event, of=made[i:n // 2:2])

    flat_in_rows(client, "/admin/retention", add=add)
