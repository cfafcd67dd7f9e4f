"""The pages of placements under way: the host's contact confirms a month and evaluates on its
own trainee's page only; the bureau's progress page lists the overdue months by host, withdraws,
and reads retention and counts (with the XLSX); the trainee gives feedback; bad input is a 4xx."""
from datetime import date, timedelta
from io import BytesIO

from openpyxl import load_workbook

from app.timeutil import local_today
from app.traineeships.models import Evaluation, MonthlyAttendance
from tests.conftest import login


def _ended_batch(placed_batch, **kw):
    """Placements of three months that ended last month (so their months are confirmable)."""
    last = local_today().replace(day=1) - timedelta(days=1)
    first = (last.replace(day=1) - timedelta(days=40)).replace(day=1)
    return placed_batch(starts_on=first, ends_on=last, **kw)


def test_host_confirms_months_and_evaluates_only_its_own(app, db_session, placed_batch):
    made = _ended_batch(placed_batch, trainees=(1, 1))
    mine, theirs = made.placements
    client = app.test_client()
    login(client, made.contacts[0])
    page = client.get("/host/trainees")
    assert page.status_code == 200 and mine.user.name in page.get_data(as_text=True)
    assert theirs.user.name not in page.get_data(as_text=True)
    assert client.get(f"/host/trainees/{theirs.id}").status_code == 403
    month = mine.starts_on.strftime("%Y-%m")
    response = client.post(f"/host/trainees/{mine.id}/months", data={"month": month, "present_days": "5",
                                                                      "absent_days": "1", "note": "事假"})
    assert response.status_code == 302
    assert db_session.query(MonthlyAttendance).filter_by(placement_id=mine.id).one().present_days == 5
    assert client.post(f"/host/trainees/{theirs.id}/months",
                       data={"month": month, "present_days": "5"}).status_code == 403
    for bad in ({"month": month, "present_days": "x"}, {"month": "\x00", "present_days": "1"},
                {"month": month, "present_days": "99999999999999999999"}, {}):
        assert client.post(f"/host/trainees/{mine.id}/months", data=bad).status_code in (302, 400, 422)
    scores = {f"score_{c['key']}": "20" for c in made.batch.rubric}
    assert client.post(f"/host/trainees/{mine.id}/evaluations", data=dict(scores, stage="mid")).status_code == 302
    assert client.post(f"/host/trainees/{mine.id}/evaluations",
                       data=dict(scores, stage="final", score_skills="26")).status_code == 302  # refused, told
    assert {e.stage for e in db_session.query(Evaluation).filter_by(placement_id=mine.id)} == {"mid"}
    assert client.post(f"/host/trainees/{theirs.id}/evaluations", data=dict(scores, stage="mid")).status_code == 403
    assert client.post(f"/host/trainees/{mine.id}/retention",
                       data={"retained": "yes", "retained_from": mine.ends_on.isoformat()}).status_code == 302
    db_session.expire_all()
    assert mine.retained is True
    assert client.get(f"/host/trainees/{mine.id}").status_code == 200


def test_bureau_progress_withdrawal_retention_and_counts(app, db_session, placed_batch, create_user):
    made = _ended_batch(placed_batch, trainees=(2, 1))
    client = app.test_client()
    login(client, made.organiser)
    page = client.get(f"/console/traineeships/{made.batch.id}/progress").get_data(as_text=True)
    assert made.hosts[0].name in page and made.placements[0].user.name in page
    gone = made.placements[2]
    assert client.post(f"/console/traineeships/placements/{gone.id}/withdraw",
                       data={"reason": "本人申请", "by_trainee": "y"}).status_code == 302
    db_session.expire_all()
    assert gone.status == "withdrawn"
    assert client.get("/console/traineeships/retention").status_code == 200
    assert client.get("/console/traineeships/counts").status_code == 200
    book = load_workbook(BytesIO(client.get("/console/traineeships/counts.xlsx").data))
    assert book.worksheets[0]["B1"].value == 2
    day = client.post(f"/console/traineeships/{made.batch.id}/training-days/new",
                      data={"title": "岗前培训", "kind": "training", "starts_at": "2026-07-02T09:00",
                            "ends_at": "2026-07-02T12:00", "place": "区人才中心"})
    assert day.status_code == 302
    other = app.test_client()
    login(other, create_user("organiser", department="skills"))
    assert other.get(f"/console/traineeships/{made.batch.id}/progress").status_code == 403
    assert other.post(f"/console/traineeships/placements/{made.placements[0].id}/withdraw",
                      data={"reason": "x"}).status_code == 403
    assert client.get("/console/traineeships/999999999999999999/progress").status_code == 404


def test_trainee_feedback_page(app, db_session, placed_batch, create_user):
    made = _ended_batch(placed_batch, trainees=(1,))
    p = made.placements[0]
    client = app.test_client()
    login(client, p.user)
    assert client.get(f"/me/traineeships/placements/{p.id}/feedback").status_code == 200
    assert client.post(f"/me/traineeships/placements/{p.id}/feedback",
                       data={"rating": "5", "text": "很有收获"}).status_code == 302
    assert client.post(f"/me/traineeships/placements/{p.id}/feedback", data={"rating": "9"}).status_code == 200
    stranger = app.test_client()
    login(stranger, create_user())
    assert stranger.get(f"/me/traineeships/placements/{p.id}/feedback").status_code == 404
    assert date.today()  # pages read the local day
