"""Bad input at the booth, in the portal, the console and the API: forged codes, huge ids, NUL
bytes, foreign positions, oversized CVs, malformed JSON are a 4xx with a message and change
nothing."""
import io

import sqlalchemy as sa

from app.jobfairs.models import Consent, FairEmployer, Interest, InterestOutcome, Position
from tests.fixtures.accounts import api_headers, login

HUGE = (2 ** 31, 99999999999, 24018411884370006016)


def _rows(db_session) -> list[int]:
    return [db_session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (FairEmployer, Position, Interest, Consent, InterestOutcome)]


def test_bad_input_at_the_booth_changes_nothing(app, client, db_session, job_fair, create_user):
    fair = job_fair()
    booth, other = fair.booths
    login(client, create_user())
    before = _rows(db_session)
    flipped = booth.booth_code[:-1] + ("x" if booth.booth_code[-1] != "x" else "y")
    for code in ("forged-code", flipped, "a" * 500, "%00"):
        assert client.get(f"/jobfairs/b/{code}").status_code in (404, 422)  # a NUL is refused before the route
        assert client.post(f"/jobfairs/b/{code}", data={"consent": "y"}).status_code in (404, 422)
    good = {"positions": [booth.positions[0].id], "name": "张三", "education": "bachelor", "consent": "y"}
    for form in (good | {"positions": [other.positions[0].id]},  # another booth's position
                 good | {"positions": []}, good | {"positions": ["abc"]}, good | {"positions": [str(HUGE[2])]},
                 good | {"name": ""}, good | {"name": "张\x00三"}, good | {"education": "phd\x00"},
                 good | {"name": "长" * 61}, good | {"school": "校" * 121}):
        response = client.post(f"/jobfairs/b/{booth.booth_code}", data=form)
        assert response.status_code in (400, 422), form
    big = b"%PDF-1.4\n" + b"0" * app.config["MAX_CV_BYTES"]
    response = client.post(f"/jobfairs/b/{booth.booth_code}", data=good | {"cv": (io.BytesIO(big), "cv.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code in (413, 422)
    assert client.post(f"/jobfairs/b/{booth.booth_code}", data=good | {"cv": (io.BytesIO(b""), "cv.pdf")},
                       content_type="multipart/form-data").status_code == 422
    for n in HUGE:
        assert client.post(f"/me/jobfairs/{n}/withdraw").status_code == 404
        assert client.get(f"/me/jobfairs/{n}/confirm").status_code == 404
        assert client.get(f"/employer/interests/{n}/cv").status_code == 404
    assert _rows(db_session) == before


def test_bad_input_in_the_console_portal_and_api_changes_nothing(app, client, db_session, job_fair, create_user,
                                                                 share_as):
    fair = job_fair()
    interest = share_as(create_user(), fair.booths[0])
    before = _rows(db_session)
    login(client, fair.organiser)
    base = f"/console/jobfairs/{fair.event.id}"
    for form in ({"e-organisation": "不存在的单位", "e-booth": "Z9"},
                 {"e-organisation": fair.booths[1].organisation.name, "e-booth": "A01"},  # at the fair already
                 {"e-organisation": "上海\x00公司", "e-booth": "Z9"}, {"e-organisation": "x", "e-booth": "展" * 21}):
        assert client.post(f"{base}/employers", data=form).status_code == 422, form
    for form in ({"p-employer": str(fair.booths[0].id), "p-title": "", "p-openings": "1"},
                 {"p-employer": str(HUGE[0]), "p-title": "岗位", "p-openings": "1"},
                 {"p-employer": str(fair.booths[0].id), "p-title": "岗位", "p-openings": "0"},
                 {"p-employer": str(fair.booths[0].id), "p-title": "岗位", "p-openings": "2",
                  "p-salary_min": "9000", "p-salary_max": "100"}):
        assert client.post(f"{base}/positions", data=form).status_code == 422, form
    for n in HUGE:
        assert client.get(f"/console/jobfairs/{n}").status_code == 404
        assert client.get(f"/jobfairs/booths/{n}/screen").status_code == 404

    login(client, fair.contacts[0])
    for form in ({"outcome": "promoted"}, {"outcome": "hired\x00"}, {"outcome": "interviewed", "note": "长" * 301}):
        assert client.post(f"/employer/interests/{interest.id}/outcome", data=form).status_code in (302, 400, 422)
    for token in ("not-a-ticket", "\x00", "A" * 400):
        response = client.post(f"/employer/booths/{fair.booths[0].id}/scan", data={"token": token})
        assert response.status_code in (302, 400, 422)
    headers = api_headers(client, fair.contacts[0])
    path = f"/api/v1/employer/interests/{interest.id}/outcome"
    for body in ({"outcome": "promoted"}, {"outcome": 3}, {}, {"outcome": "offer", "note": "x" * 301}, ["offer"]):
        answer = client.post(path, json=body, headers=headers)
        assert answer.status_code in (400, 422) and answer.json.get("message"), body
    answer = client.post(path, data="{not json", headers=headers, content_type="application/json")
    assert answer.status_code in (400, 422)
    for n in HUGE:
        assert client.post(f"/api/v1/employer/interests/{n}/outcome", json={"outcome": "offer"},
                           headers=headers).status_code == 404
        assert client.get(f"/api/v1/jobfairs/{n}/positions").status_code == 404
    assert _rows(db_session) == before
