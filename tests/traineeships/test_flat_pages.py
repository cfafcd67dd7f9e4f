"""The traineeship pages, exports and API lists issue as many statements at 200 trainees as at 10
(issue 19): the batch's console page and progress, retention and counts, the host company's pages
and the API's placements, applicants, unconfirmed months and retention."""
from __future__ import annotations

import re
from datetime import date

import pytest

from app.extensions import db
from app.traineeships import queries
from app.traineeships.models import ApplicationChoice, Placement, TraineeApplication
from tests.conftest import login
from tests.fixtures.accounts import api_token
from tests.fixtures import list_rows as bulk


@pytest.fixture
def trainees(db_session, placed_batch):
    """A running batch with one host company and one trainee placed there; `add(n)` places n more
    trainees there in bulk (application, accepted choice, registration of the batch's event,
    confirmed placement)."""
    made = placed_batch(trainees=(1,))
    batch, place, host = made.batch, made.placements[0].place, made.hosts[0]
    place.openings = 500
    db_session.commit()

    def add(n: int):
        people = bulk.people(n, name="见习学员")
        seats = bulk.registrations(batch.event, of=people)
        applications = [TraineeApplication(batch_id=batch.id, user_id=p.id, status="placed", school_name="上海交通大学",
                                           graduation_year=2026, birth_date=date(2003, 5, 1)) for p in people]
        db.session.add_all(applications)
        db.session.flush()
        choices = [ApplicationChoice(application_id=a.id, place_id=place.id, rank=1, status="accepted")
                   for a in applications]
        db.session.add_all(choices)
        db.session.flush()
        db.session.add_all(Placement(batch_id=batch.id, user_id=p.id, application_id=a.id, choice_id=c.id,
                                     place_id=place.id, host_id=host.id, status="confirmed", starts_on=batch.starts_on,
                                     ends_on=batch.ends_on, registration_id=r.id)
                           for p, a, c, r in zip(people, applications, choices, seats))
        db.session.commit()

    return {"made": made, "add": add, "batch": batch, "place": place}


CONSOLE = ["/console/traineeships/{b}", "/console/traineeships/{b}/progress", "/console/traineeships/retention",
           "/console/traineeships/counts", "/console/traineeships/counts.xlsx", "/console/traineeships/"]


@pytest.mark.parametrize("page", CONSOLE)
def test_console_pages_are_flat_in_trainees(client, trainees, flat_in_rows, page):
    login(client, trainees["made"].organiser)
    url = page.format(b=trainees["batch"].id)
    print(url, flat_in_rows(client, url, add=trainees["add"]))


@pytest.mark.parametrize("page", ["/host/", "/host/trainees", "/host/places/{p}"])
def test_host_pages_are_flat_in_trainees(client, trainees, flat_in_rows, page):
    login(client, trainees["made"].contacts[0])
    url = page.format(p=trainees["place"].id)
    print(url, flat_in_rows(client, url, add=trainees["add"]))


@pytest.mark.parametrize("page", ["/api/v1/traineeships/batches/{b}/placements",
                                  "/api/v1/traineeships/batches/{b}/unconfirmed-months",
                                  "/api/v1/traineeships/retention", "/api/v1/traineeships/batches",
                                  "/api/v1/traineeships/batches/{b}"])
def test_api_lists_are_flat_in_trainees(client, trainees, flat_in_rows, page):
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, trainees['made'].organiser)}"
    url = page.format(b=trainees["batch"].id)
    print(url, flat_in_rows(client, url, add=trainees["add"]))


def test_the_hosts_applicants_api_is_flat(client, trainees, flat_in_rows):
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, trainees['made'].contacts[0])}"
    print(flat_in_rows(client, "/api/v1/host/applicants", add=trainees["add"]))


def test_the_batch_page_pages_its_applications(client, trainees):
    """50 applications to a page, oldest first, the total counted in SQL."""
    trainees["add"](60)
    batch = trainees["batch"]
    oldest_first = list(db.session.scalars(queries.applications_query(batch)))
    total = len(oldest_first)
    assert total == 61  # the placed trainee's and the 60 added
    login(client, trainees["made"].organiser)
    pages = []
    for page in (1, 2):
        body = client.get(f"/console/traineeships/{batch.id}?page={page}").get_data(as_text=True)
        assert f'data-applications-total="{total}"' in body
        pages.append([int(x) for x in re.findall(r'data-application="(\d+)"', body)])
    assert pages == [[a.id for a in oldest_first[:50]], [a.id for a in oldest_first[50:]]]
