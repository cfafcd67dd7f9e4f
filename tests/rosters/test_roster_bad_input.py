"""Bad input to the roster, mentoring and referral pages is a 4xx (or a form message) and changes
nothing: huge ids, NUL bytes, impossible dates, out-of-range ratings, codes of any shape."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.mentoring import services as mentoring
from tests.conftest import login
from tests.fixtures.accounts import api_headers

HUGE = [2 ** 31, 99999999999, 24018411884370006016]


def _counts() -> dict:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables if t.name not in ("user_sessions", "api_tokens")}


@pytest.fixture
def scene(client, db_session, mentored_cohort):
    c = mentored_cohort
    pairing = mentoring.pair(c.runner, c, c.mentor, c.founders[0])
    db_session.commit()
    login(client, c.runner)
    return c, pairing


@pytest.mark.parametrize("n", HUGE)
def test_huge_ids_are_not_found(client, scene, n):
    before = _counts()
    for path in (f"/console/rosters/{n}", f"/console/rosters/{n}/edit", f"/console/cohorts/{n}/mentoring",
                 f"/mentoring/pairings/{n}/sessions/new"):
        assert client.get(path).status_code == 404, path
    for path in (f"/console/rosters/{n}/status", f"/console/rosters/{n}/letter",
                 f"/console/mentoring/pairings/{n}/end", f"/me/mentoring/sessions/{n}/rate"):
        assert client.post(path, data={"note": "x", "status": "ended", "rating": "5"}).status_code == 404, path
    db.session.rollback()
    assert _counts() == before


def test_malformed_forms_change_nothing(client, db_session, scene):
    c, pairing = scene
    before = _counts()
    member = c.mentor
    for data in ({"mobile": "139\x000000000", "department_id": "1", "term_from": "2026-01-01", "term_to": "2027-01-01"},
                 {"mobile": c.founders[1].mobile, "department_id": "1", "term_from": "0001-01-01",
                  "term_to": "9999-12-31"},
                 {"mobile": c.founders[1].mobile, "department_id": str(2 ** 40), "term_from": "2026-01-01",
                  "term_to": "2027-01-01", "organisation_id": str(10 ** 30)},
                 {"mobile": "x" * 5000, "department_id": "abc", "term_from": "2026-13-45", "term_to": ""}):
        response = client.post("/console/rosters/new?kind=mentor", data=data)
        assert response.status_code in (200, 400, 403, 422), response.status_code
    login(client, member.organiser)
    assert client.post(f"/console/rosters/{member.id}/edit", data={
        "organisation_id": str(10 ** 30), "expertise": "x", "term_from": "2026-01-01",
        "term_to": "2027-01-01"}).status_code == 200
    assert client.post(f"/console/rosters/{member.id}/status",
                       data={"status": "ended", "note": "x" * 301}).status_code == 302
    assert client.post("/console/rosters/new?kind=%00", data={}).status_code in (400, 404, 422)
    login(client, member.user)
    assert client.post(f"/mentoring/pairings/{pairing.id}/sessions/new", data={
        "held_on": "2026-02-30", "topic": "a\x00b"}).status_code in (200, 400, 422)
    assert client.post(f"/mentoring/pairings/{pairing.id}/sessions/new", data={
        "held_on": "9999-01-01", "topic": "x" * 300}).status_code == 200
    db.session.rollback()
    assert _counts() == before


def test_codes_of_any_shape_are_ignored(client, scene):
    for code in ("%00", "a\x00b", "ü" * 30, "x" * 2000, "../../etc", "' OR 1=1 --"):
        response = client.get(f"/r/{code}?to=/events/1%00")
        assert response.status_code in (302, 400, 404, 422), (code, response.status_code)
    with client.session_transaction() as session:
        assert "referral_code" not in session


def test_bad_query_strings_of_the_roster_api(client, scene):
    c, _pairing = scene
    headers = api_headers(client, c.mentor.organiser)
    for kind in ("\x00", "x" * 5000, "mentor'"):
        response = client.get("/api/v1/rosters", query_string={"kind": kind}, headers=headers)
        assert response.status_code in (400, 422) and response.is_json
