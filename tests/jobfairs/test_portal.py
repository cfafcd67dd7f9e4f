"""The employer's portal: outcomes move through the transition table (each move recorded), a CV
is a checked private PDF only the employer with consent downloads (audited), exports are audited,
the mobile is masked unless the consent includes it; the bureau's numbers per fair and per
university; the online stream page's positions panel."""
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit.models import AuditEntry
from app.jobfairs import counts, portal
from app.jobfairs.models import Interest
from app.transitions import changes_of
from tests.fixtures.accounts import api_headers, login

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _audits(db_session, action: str) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_outcomes_follow_the_table_and_keep_their_history(client, db_session, job_fair, create_user, share_as):
    fair = job_fair()
    interest = share_as(create_user(), fair.booths[0])
    login(client, fair.contacts[0])
    path = f"/employer/interests/{interest.id}/outcome"
    assert client.post(path, data={"outcome": "hired"}).status_code == 302  # refused: flashed, nothing kept
    db_session.expire_all()
    assert interest.outcome is None
    for step in ("interviewed", "offer", "hired"):
        assert client.post(path, data={"outcome": step}).status_code == 302
    db_session.expire_all()
    assert interest.outcome.status == "hired"
    assert [(c.from_status, c.to_status) for c in changes_of(interest.outcome)] == [
        (None, "none"), ("none", "interviewed"), ("interviewed", "offer"), ("offer", "hired")]
    headers = api_headers(client, fair.contacts[0])
    response = client.post(f"/api/v1/employer/interests/{interest.id}/outcome", json={"outcome": "offer"},
                           headers=headers)
    assert response.status_code == 409 and response.json["code"] == "bad_transition"
    # Another employer's contact cannot reach the candidate at all.
    login(client, fair.contacts[1])
    assert client.post(path, data={"outcome": "not_suitable"}).status_code == 404
    assert client.get(f"/employer/interests/{interest.id}/cv").status_code == 404


def test_a_cv_is_a_checked_pdf_seen_by_the_employer_with_consent_only(client, db_session, job_fair, create_user):
    fair = job_fair()
    booth = fair.booths[0]
    seeker = create_user(name="诸葛青禾")
    login(client, seeker)
    form = {"positions": [booth.positions[1].id], "name": "诸葛青禾", "education": "bachelor", "consent": "y"}
    response = client.post(f"/jobfairs/b/{booth.booth_code}",
                           data=form | {"cv": (io.BytesIO(b"GIF89a not a pdf"), "cv.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "PDF" in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Interest)) == 0
    response = client.post(f"/jobfairs/b/{booth.booth_code}", data=form | {"cv": (io.BytesIO(PDF), "简历.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    interest = db_session.scalar(sa.select(Interest))
    assert interest.cv_file and interest.cv_file.endswith(".pdf") and "简历" not in interest.cv_file

    login(client, fair.contacts[0])
    response = client.get(f"/employer/interests/{interest.id}/cv")
    assert response.status_code == 200 and response.data == PDF and "no-store" in response.headers["Cache-Control"]
    assert _audits(db_session, "jobfair.cv_view") == 1
    export = client.get("/employer/jobfairs/export")
    cells = [str(c.value) for row in load_workbook(io.BytesIO(export.data)).active.iter_rows() for c in row]
    assert "诸葛青禾" in cells and seeker.mobile not in cells and seeker.mobile_masked in cells
    assert _audits(db_session, "jobfair.interests_export") == 1

    login(client, seeker)
    assert client.post(f"/me/jobfairs/{interest.id}/withdraw").status_code == 302
    db_session.expire_all()
    assert interest.cv_file is None  # withdrawn consent: the CV is deleted
    login(client, fair.contacts[0])
    assert client.get(f"/employer/interests/{interest.id}/cv").status_code == 404


def test_the_bureau_counts_a_fair_and_campus_recruiting_per_university(client, db_session, job_fair, create_user,
                                                                       create_organisation, share_as):
    from app.jobfairs import interests

    sjtu = create_organisation(kind="university", name="上海交通大学")
    fair = job_fair(kind="campus_recruiting", title="闵而好才·行者常至 上海交通大学专场招聘会")
    a, b, c = (create_user() for _ in range(3))
    first = share_as(a, fair.booths[0], school="上海交通大学")
    share_as(a, fair.booths[1], school="上海交通大学")
    share_as(b, fair.booths[0], school="某职业技术学院")
    withdrawn = share_as(c, fair.booths[1], school="上海交通大学")
    interests.withdraw(c, withdrawn)
    interests.record_visit(create_user(), fair.booths[0])  # scanned the booth, sent nothing
    for step in ("interviewed", "offer", "hired"):
        portal.mark(fair.contacts[0], first, step)
    db_session.commit()
    assert first.university_id == sjtu.id
    numbers = counts.fair_counts(fair.event)
    assert (numbers.employers, numbers.positions, numbers.openings) == (2, 4, 16)
    assert (numbers.visitors, numbers.interests, numbers.offers, numbers.hires) == (4, 3, 1, 1)
    by_name = {name: (row.interests, row.offers, row.hires) for name, row in numbers.universities}
    assert by_name == {"上海交通大学": (2, 1, 1), "某职业技术学院": (1, 0, 0)}
    login(client, fair.organiser)
    page = client.get(f"/console/jobfairs/{fair.event.id}").get_data(as_text=True)
    assert 'data-count="hires">1<' in page and "data-universities" in page
    login(client, create_user("organiser", department="employment"))  # another department's organiser
    assert client.get(f"/console/jobfairs/{fair.event.id}").status_code == 403


def test_the_stream_pages_positions_panel_links_to_the_same_consent_flow(app, db_session, job_fair):
    from app.events.models import Event
    from app.jobfairs.stream import positions_panel
    from app.urls import public_url

    fair = job_fair()
    with app.test_request_context():
        html = str(positions_panel(fair.event))
        for booth in fair.booths:
            assert booth.organisation.name in html
            assert public_url("jobfairs.booth", code=booth.booth_code) in html
        assert html.count("软件工程师") == 2 and "data-jobfair-panel" in html
        empty = Event(title="无展位的直播", kind="job_fair", department_id=fair.event.department_id, venue="线上",
                      starts_at=fair.event.starts_at, ends_at=fair.event.ends_at)
        db_session.add(empty)
        db_session.flush()
        assert str(positions_panel(empty)) == ""


def test_the_public_positions_api_shows_published_fairs_only(client, db_session, job_fair, create_event):
    fair = job_fair()
    body = client.get(f"/api/v1/jobfairs/{fair.event.id}/positions").json
    assert [e["booth"] for e in body["items"]] == ["A01", "A02"]
    assert body["items"][0]["positions"][0]["salary_min"] == 12000
    draft = job_fair(status="draft", title="草稿招聘会")
    assert client.get(f"/api/v1/jobfairs/{draft.event.id}/positions").status_code == 404
    forum = create_event(kind="forum")
    assert client.get(f"/api/v1/jobfairs/{forum.id}/positions").status_code == 404
