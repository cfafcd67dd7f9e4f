"""The job fair pages, exports and API lists issue as many statements at 200 job seekers' interests
as at 10 (issue 19): the fair's console page, the employer's interests and their export, the
booth's screen, and the API's employer interests and positions."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.jobfairs import portal
from app.jobfairs.models import CONSENT_VERSION, Consent, Interest, interest_positions
from tests.conftest import login
from tests.fixtures.accounts import api_token
from tests.fixtures import list_rows as bulk


@pytest.fixture
def seekers(db_session, job_fair):
    """A fair of two booths; `add(n)` has n more job seekers share their profile with the first
    booth in bulk: interest in its first position, consent given (with the mobile for every
    other one)."""
    fair = job_fair()
    booth = fair.booths[0]

    def add(n: int):
        people = bulk.people(n, name="求职者")
        rows = [Interest(fair_employer_id=booth.id, user_id=p.id, status="shared", name=p.name, education="bachelor",
                         school="上海交通大学", major="计算机科学与技术") for p in people]
        db.session.add_all(rows)
        db.session.flush()
        db.session.execute(sa.insert(interest_positions), [{"interest_id": i.id, "position_id": booth.positions[0].id}
                                                           for i in rows])
        db.session.add_all(Consent(interest_id=i.id, user_id=i.user_id, organisation_id=booth.organisation_id,
                                   event_id=fair.event.id, wording_version=CONSENT_VERSION, includes_mobile=k % 2 == 0)
                           for k, i in enumerate(rows))
        db.session.commit()

    return {"fair": fair, "booth": booth, "add": add}


def test_the_fairs_console_page_is_flat(client, seekers, flat_in_rows):
    login(client, seekers["fair"].organiser)
    print(flat_in_rows(client, f"/console/jobfairs/{seekers['fair'].event.id}", add=seekers["add"]))


@pytest.mark.parametrize("page", ["/employer/jobfairs", "/employer/jobfairs/export"])
def test_the_employers_pages_are_flat(client, seekers, flat_in_rows, page):
    login(client, seekers["fair"].contacts[0])
    print(page, flat_in_rows(client, page, add=seekers["add"]))


@pytest.mark.parametrize("page", ["/jobfairs/booths/{b}/screen", "/jobfairs/booths/{b}/print"])
def test_the_booth_pages_are_flat(client, seekers, flat_in_rows, page):
    login(client, seekers["fair"].organiser)
    url = page.format(b=seekers["booth"].id)
    print(url, flat_in_rows(client, url, add=seekers["add"]))


@pytest.mark.parametrize("who,page", [("contact", "/api/v1/employer/interests"),
                                      ("organiser", "/api/v1/jobfairs/{e}/positions")])
def test_api_lists_are_flat(client, seekers, flat_in_rows, who, page):
    fair = seekers["fair"]
    user = fair.contacts[0] if who == "contact" else fair.organiser
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, user)}"
    url = page.format(e=fair.event.id)
    print(url, flat_in_rows(client, url, add=seekers["add"]))


# -- the portal's candidates come 50 to a page --------------------------------------------------
def _candidates(client, url: str) -> tuple[list[int], str]:
    body = client.get(url).get_data(as_text=True)
    return [int(x) for x in re.findall(r'data-candidate="(\d+)"', body)], body


def test_the_employer_portal_pages_its_candidates(client, seekers):
    seekers["add"](60)
    contact = seekers["fair"].contacts[0]
    newest_first = [i.id for i in portal.visible_interests(contact)]
    assert len(newest_first) == 60
    login(client, contact)
    first, body = _candidates(client, "/employer/jobfairs")
    assert first == newest_first[:50]
    assert 'data-candidates-total="60"' in body and "page=2" in body
    second, body = _candidates(client, "/employer/jobfairs?page=2")
    assert second == newest_first[50:]
    assert 'data-candidates-total="60"' in body and "page=1" in body
    assert _candidates(client, "/employer/jobfairs?page=3")[0] == []


def test_marking_an_outcome_on_page_2_returns_to_page_2(client, seekers):
    seekers["add"](55)
    login(client, seekers["fair"].contacts[0])
    _second, body = _candidates(client, "/employer/jobfairs?page=2")
    action = re.search(r'action="([^"]*/outcome[^"]*)"', body).group(1).replace("&amp;", "&")
    assert action.endswith("?page=2")
    answer = client.post(action, data={"outcome": "interviewed"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/employer/jobfairs?page=2")
