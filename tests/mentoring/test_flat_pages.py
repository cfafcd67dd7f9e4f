"""The mentoring pages and lists issue as many statements at 200 founders mentored (each with a
pairing and a logged session) as at 10 (issue 19): the cohort's mentoring page, the mentor's own
page, the API's sessions of the mentor and the API's rosters."""
from __future__ import annotations

from datetime import date

import pytest

from app.cohorts.camps.models import Enrolment
from app.extensions import db
from app.mentoring.models import MentoringSession, Pairing
from tests.conftest import login
from tests.fixtures.accounts import api_token
from tests.fixtures import list_rows as bulk


@pytest.fixture
def mentored(db_session, mentored_cohort):
    """The mentored cohort with room for 250; `add(n)` enrols n founders in bulk, pairs each with
    the mentor and logs one session."""
    cohort = mentored_cohort
    cohort.capacity = 250
    cohort.cycle.intake = 300
    db_session.commit()

    def add(n: int):
        people = bulk.people(n, name="学员")
        seats = bulk.registrations(cohort.event, of=people)
        db.session.add_all(Enrolment(cohort_id=cohort.id, cycle_id=cohort.cycle_id, user_id=p.id, registration_id=r.id)
                           for p, r in zip(people, seats))
        pairs = [Pairing(cohort_id=cohort.id, mentor_id=cohort.mentor.id, founder_id=p.id,
                         started_on=date(2026, 4, 1), created_by_id=cohort.runner.id) for p in people]
        db.session.add_all(pairs)
        db.session.flush()
        db.session.add_all(MentoringSession(pairing_id=pr.id, held_on=date(2026, 5, 1), topic="融资路演辅导",
                                            logged_by_id=cohort.mentor.user_id) for pr in pairs)
        db.session.commit()

    return add


def test_the_cohorts_mentoring_page_is_flat(client, mentored_cohort, mentored, flat_in_rows):
    login(client, mentored_cohort.runner)
    print(flat_in_rows(client, f"/console/cohorts/{mentored_cohort.id}/mentoring", add=mentored))


def test_the_mentors_page_is_flat(client, mentored_cohort, mentored, flat_in_rows):
    login(client, mentored_cohort.mentor.user)
    print(flat_in_rows(client, "/me/mentoring", add=mentored))


def test_the_mentors_sessions_api_is_flat(client, mentored_cohort, mentored, flat_in_rows):
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, mentored_cohort.mentor.user)}"
    print(flat_in_rows(client, "/api/v1/me/mentoring/sessions", add=mentored))


def test_the_rosters_api_is_flat_in_members(client, db_session, appoint, create_user, flat_in_rows):
    organiser = create_user("organiser", department="talent_center")

    def add(n: int):
        for _ in range(n):
            appoint("ambassador", organiser=organiser)

    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, organiser)}"
    print(flat_in_rows(client, "/api/v1/rosters", add=add, small=3, large=15))
