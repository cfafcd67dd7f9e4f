"""API v1 for traineeships: the host's contact confirms a month, evaluates and decides 留用 on its
own placements only; the bureau reads a batch's unconfirmed months and the retention rates;
malformed bodies are 422, strangers 403, missing ids 404."""
from datetime import timedelta

from app.timeutil import local_today
from tests.fixtures.accounts import api_token


def _ended(placed_batch, **kw):
    last = local_today().replace(day=1) - timedelta(days=1)
    first = (last.replace(day=1) - timedelta(days=40)).replace(day=1)
    return placed_batch(starts_on=first, ends_on=last, **kw)


def _auth(client, user) -> dict:
    return {"Authorization": f"Bearer {api_token(client, user)}"}


def test_host_actions_through_the_api(app, db_session, placed_batch):
    made = _ended(placed_batch, trainees=(1, 1))
    mine, theirs = made.placements
    client = app.test_client()
    host = _auth(client, made.contacts[0])
    month = mine.starts_on.strftime("%Y-%m")
    url = f"/api/v1/host/placements/{mine.id}"
    answer = client.post(f"{url}/months", json={"month": month, "present_days": 3, "absent_days": 1}, headers=host)
    assert answer.status_code == 200 and answer.json["present_days"] == 3
    corrected = client.post(f"{url}/months", json={"month": month, "present_days": 4}, headers=host)
    assert corrected.json["present_days"] == 4 and corrected.json["absent_days"] == 0
    for bad in ({"month": month}, {"month": month, "present_days": "4"}, {"month": 7, "present_days": 1},
                {"month": month, "present_days": 99}, {"month": "2000-01", "present_days": 1}):
        refused = client.post(f"{url}/months", json=bad, headers=host)
        assert refused.status_code == 422, (bad, refused.json)
    assert client.post(f"{url}/months", data="[]", headers=host, content_type="application/json").status_code == 422
    assert client.post(f"/api/v1/host/placements/{theirs.id}/months", json={"month": month, "present_days": 1},
                       headers=host).status_code == 403
    assert client.post("/api/v1/host/placements/999999/months", json={}, headers=host).status_code == 404
    assert client.post(f"{url}/months", json={"month": month, "present_days": 1}).status_code == 401

    scores = {c["key"]: 20 for c in made.batch.rubric}
    evaluated = client.post(f"{url}/evaluations", json={"stage": "mid", "scores": scores}, headers=host)
    assert evaluated.status_code == 201 and evaluated.json["total"] == 80
    again = client.post(f"{url}/evaluations", json={"stage": "mid", "scores": scores}, headers=host)
    assert again.status_code == 409 and again.json["code"] == "already_evaluated"
    out_of_range = client.post(f"{url}/evaluations", json={"stage": "final", "scores": dict(scores, skills=30)},
                               headers=host)
    assert out_of_range.status_code == 422 and "scores.skills" in out_of_range.json["fields"]

    kept = client.post(f"{url}/retention", json={"retained": True, "retained_from": mine.ends_on.isoformat()},
                       headers=host)
    assert kept.status_code == 200 and kept.json["retained"] is True
    assert kept.json["retained_from"] == mine.ends_on.isoformat() and kept.json["host"]["id"] == mine.host_id
    assert set(kept.json) >= {"trainee", "place_id", "starts_on", "ends_on"}  # the one shape of a placement
    for bad in ({"retained": "yes"}, {"retained": True, "retained_from": "tomorrow"}, {"retained": True}):
        assert client.post(f"{url}/retention", json=bad, headers=host).status_code == 422


def test_staff_reads(app, db_session, placed_batch, create_user):
    made = _ended(placed_batch, trainees=(2,))
    client = app.test_client()
    staff = _auth(client, made.organiser)
    answer = client.get(f"/api/v1/traineeships/batches/{made.batch.id}/unconfirmed-months", headers=staff)
    assert answer.status_code == 200 and len(answer.json["items"]) == 6
    assert {i["placement"] for i in answer.json["items"]} == {p.id for p in made.placements}
    outsider = _auth(client, create_user("organiser", department="skills"))
    assert client.get(f"/api/v1/traineeships/batches/{made.batch.id}/unconfirmed-months",
                      headers=outsider).status_code == 403
    assert client.get("/api/v1/traineeships/batches/999999/unconfirmed-months", headers=staff).status_code == 404
    made.placements[0].status, made.placements[0].retained = "completed", False
    db_session.commit()
    rates = client.get("/api/v1/traineeships/retention", headers=staff)
    assert rates.status_code == 200 and rates.json["items"][0]["completed"] == 1 and rates.json["flagged"] == []
    assert client.get("/api/v1/traineeships/retention", headers=_auth(client, made.contacts[0])).status_code == 403
