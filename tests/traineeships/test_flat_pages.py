"""The traineeship pages, exports and API lists issue as many statements at 200 trainees as at 10
(issue 19): the batch's console page and progress, retention and counts, the host company's pages
and the API's placements, applicants, unconfirmed months and retention; the open batches and a
person's own applications and placements at 10 and 200 batches."""
from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.traineeships import queries
from app.timeutil import utcnow
from app.traineeships.models import (ApplicationChoice, Placement, TraineeApplication, TraineeshipBatch,
                                     TraineeshipPlace)
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


# -- the open batches, and a person's own applications and placements ------------------------------
@pytest.fixture
def batches(db_session, trainees, departments, create_user):
    """`add(n)`: n more open batches, each on its own event with a place at the trainees' host, and
    `applicant`'s application to each (choosing that place), every other one placed there."""
    host_id, applicant = trainees["place"].host_id, create_user(name="应届毕业生")
    department = departments["talent_center"]

    def add(n: int) -> None:
        now, events = utcnow(), bulk.events(n, department)
        ids = db.session.scalars(sa.insert(TraineeshipBatch).returning(TraineeshipBatch.id), [
            dict(event_id=e.id, kind="job_traineeship", year=2026, season="summer", title=f"见习批次{e.id}",
                 department_id=department.id, status="open", applications_open_at=now - timedelta(days=1),
                 applications_close_at=now + timedelta(days=10), starts_on=date(2026, 7, 1), ends_on=date(2026, 9, 30))
            for e in events]).all()
        places = db.session.scalars(sa.insert(TraineeshipPlace).returning(TraineeshipPlace.id), [
            dict(batch_id=b, host_id=host_id, position="数据分析助理", openings=2, months=3) for b in ids]).all()
        applications = [TraineeApplication(batch_id=b, user_id=applicant.id, graduation_year=2026,
                                           birth_date=date(2003, 5, 1), status="placed" if k % 2 else "submitted")
                        for k, b in enumerate(ids)]
        db.session.add_all(applications)
        db.session.flush()
        choices = [ApplicationChoice(application_id=a.id, place_id=p, rank=1,
                                     status="accepted" if k % 2 else "pending")
                   for k, (a, p) in enumerate(zip(applications, places))]
        db.session.add_all(choices)
        db.session.flush()
        for a, c, e in list(zip(applications, choices, events))[1::2]:
            seat = bulk.registrations(e, of=[applicant])[0]
            db.session.add(Placement(batch_id=a.batch_id, user_id=applicant.id, application_id=a.id, choice_id=c.id,
                                     place_id=c.place_id, host_id=host_id, status="confirmed",
                                     starts_on=date(2026, 7, 1), ends_on=date(2026, 9, 30), registration_id=seat.id))
        db.session.commit()

    return SimpleNamespace(add=add, applicant=applicant)


@pytest.mark.parametrize("page", ["/traineeships/", "/me/traineeships"])
def test_batches_and_a_persons_traineeships_are_flat(client, batches, flat_in_rows, page):
    if page.startswith("/me/"):
        login(client, batches.applicant)
    print(page, flat_in_rows(client, page, add=batches.add))
