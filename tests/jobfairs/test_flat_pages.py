"""The job fair pages, exports and API lists issue as many statements at 200 job seekers' interests
as at 10 (issue 19): the fair's console page, the employer's interests and their export, the
booth's screen, and the API's employer interests and positions; and a job seeker's own list at 10
and 200 interests."""
from __future__ import annotations

import io
import re
import secrets

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit.models import AuditEntry
from app.extensions import db
from app.jobfairs import candidates_export, counts, interests, portal
from app.jobfairs.models import (CONSENT_VERSION, Consent, Education, FairEmployer, Interest, Outcome, Position,
                                 interest_positions)
from app.timeutil import fmt
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


def test_the_list_of_fairs_is_flat_in_fairs_and_counts_as_each_fairs_page(client, seekers, admin, departments,
                                                                          flat_in_rows):
    """It counted each fair on its own (a handful of statements a fair)."""
    fair = seekers["fair"]
    seekers["add"](5)
    portal.mark(fair.contacts[0], portal.visible_interests(fair.contacts[0])[0], "interviewed")
    for step in ("interviewed", "offer", "hired"):
        portal.mark(fair.contacts[0], portal.visible_interests(fair.contacts[0])[1], step)
    db.session.commit()
    login(client, admin)

    def add(n: int) -> None:
        for event in bulk.events(n, departments["talent_center"]):
            event.kind = "job_fair"
        db.session.commit()

    print(flat_in_rows(client, "/console/jobfairs/", add=add))
    whole = counts.fair_counts(fair.event)
    listed = counts.list_counts([fair.event])[fair.event.id]
    assert (listed.employers, listed.positions, listed.interests, listed.offers, listed.hires) == (
        whole.employers, whole.positions, whole.interests, whole.offers, whole.hires) == (2, whole.positions, 5, 1, 1)
    assert whole.positions > 0


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


# -- the API pages them the way its other lists do ---------------------------------------------
def test_the_api_pages_the_employers_candidates(client, seekers):
    seekers["add"](60)
    contact = seekers["fair"].contacts[0]
    newest_first = [i.id for i in portal.visible_interests(contact)]
    headers = {"Authorization": f"Bearer {api_token(client, contact)}"}

    def page(query: str) -> dict:
        answer = client.get(f"/api/v1/employer/interests{query}", headers=headers)
        assert answer.status_code == 200
        return answer.json

    first = page("")
    assert [c["id"] for c in first["items"]] == newest_first[:50]
    assert {k: first[k] for k in ("page", "per_page", "total", "pages")} == {
        "page": 1, "per_page": 50, "total": 60, "pages": 2}
    assert [c["id"] for c in page("?page=2")["items"]] == newest_first[50:]
    third = page("?page=3&per_page=7")
    assert [c["id"] for c in third["items"]] == newest_first[14:21] and third["pages"] == 9
    assert page("?page=4")["items"] == []
    for bad in ("?page=0", "?per_page=0", "?per_page=100000", "?page=x"):
        answer = client.get(f"/api/v1/employer/interests{bad}", headers=headers)
        assert answer.status_code == 422 and answer.json["code"] == "invalid_input", bad


# -- the export streams every candidate, each as the portal shows them ---------------------------
def _as_the_portal_shows(interest: Interest) -> list[str]:
    """The row the export wrote before it streamed (from the loaded candidate, through portal.py)."""
    return [interest.employer.event.title, interest.employer.booth, interest.employer.organisation.name, interest.name,
            portal.mobile_shown(interest), str(Education.label_of(interest.education)) if interest.education else "",
            interest.school, interest.major, "; ".join(p.title for p in interest.positions),
            fmt(interest.created_at, "%Y-%m-%d %H:%M"), str(Outcome.label_of(portal.outcome_of(interest)))]


def test_the_export_holds_every_candidate_as_the_portal_shows_them(client, seekers, db_session):
    seekers["add"](60)
    booth, contact = seekers["booth"], seekers["fair"].contacts[0]
    shown = portal.visible_interests(contact)
    db.session.execute(sa.insert(interest_positions), [{"interest_id": shown[0].id,
                                                        "position_id": booth.positions[1].id}])
    portal.mark(contact, shown[1], "interviewed")
    shown[2].education = ""
    interests.withdraw(shown[3].user, shown[3])
    db.session.commit()
    db.session.expire_all()
    expected = portal.visible_interests(contact)
    assert len(expected) == 59
    rows = [_as_the_portal_shows(i) for i in expected]
    assert "; " in rows[0][8] and rows[1][10] != rows[4][10] and rows[2][5] == ""
    assert {r[4] for r in rows[:6]} & {i.user.mobile for i in expected} and any("****" in r[4] for r in rows)

    login(client, contact)
    answer = client.get("/employer/jobfairs/export")
    assert answer.status_code == 200 and "no-store" in answer.headers["Cache-Control"]
    sheet = load_workbook(io.BytesIO(answer.data)).active
    written = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert len(written[0]) == 11 and written[1:] == rows
    audit = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "jobfair.interests_export")).one()
    assert audit.detail["interests"] == [i.id for i in expected]


def test_the_export_is_flat_past_a_chunk_of_candidates(client, seekers, flat_in_rows):
    """Loaded candidates had their positions and outcomes read 500 at a time (selectinload): a
    statement more for every 500; the streamed export reads each through one cursor."""
    login(client, seekers["fair"].contacts[0])
    print(flat_in_rows(client, "/employer/jobfairs/export", add=seekers["add"], large=candidates_export.CHUNK + 20))


def test_a_job_seekers_own_list_is_flat_in_their_interests(client, job_fair, create_user, departments, flat_in_rows):
    """One company met at fair after fair: each a booth of its own fair, a position, the seeker's
    interest in it and their consent."""
    organisation_id = job_fair().booths[0].organisation_id
    seeker = create_user(name="求职者")
    login(client, seeker)

    def add(n: int) -> None:
        fairs = bulk.events(n, departments["talent_center"])
        booths = db.session.scalars(sa.insert(FairEmployer).returning(FairEmployer.id), [
            dict(event_id=e.id, organisation_id=organisation_id, booth="A01", booth_code=secrets.token_urlsafe(24))
            for e in fairs]).all()
        positions = db.session.scalars(sa.insert(Position).returning(Position.id), [
            dict(fair_employer_id=b, title="软件工程师", openings=3) for b in booths]).all()
        ids = db.session.scalars(sa.insert(Interest).returning(Interest.id), [
            dict(fair_employer_id=b, user_id=seeker.id, status="shared", name=seeker.name, education="bachelor")
            for b in booths]).all()
        db.session.execute(sa.insert(interest_positions), [dict(interest_id=i, position_id=p)
                                                           for i, p in zip(ids, positions)])
        db.session.execute(sa.insert(Consent), [
            dict(interest_id=i, user_id=seeker.id, organisation_id=organisation_id, event_id=e.id,
                 wording_version=CONSENT_VERSION) for i, e in zip(ids, fairs)])
        db.session.commit()

    flat_in_rows(client, "/me/jobfairs", add=add)
