"""The pitch competitions' API: rounds for organisers and judges; a judge reads only their own
scores, organisers every sheet; results are public only once released; all in the OpenAPI document."""
from __future__ import annotations

from app.api.openapi import build as openapi_document
from tests.fixtures.accounts import api_headers
from tests.fixtures.pitch import score_all, through_to_final


def test_rounds_scores_and_results(client, db_session, pitch, pitch_entry, create_user):
    from app.pitch import services as ps

    entries = [pitch_entry(project="甲项目"), pitch_entry(project="乙项目")]
    final = through_to_final(pitch, entries, db_session)
    judges, chief = [pitch.judges[0], pitch.judges[3], pitch.judges[4]], pitch.judges[5]
    score_all(final, entries[0], judges, (40, 40), chief, db_session)
    score_all(final, entries[1], judges, (30, 30), chief, db_session)
    cid = pitch.competition.id

    rounds = client.get(f"/api/v1/pitch/{cid}/rounds", headers=api_headers(client, judges[1])).get_json()
    assert [r["kind"] for r in rounds["items"]] == ["online_review", "roadshow", "final"]
    assert rounds["items"][0]["rule"] == "top_n" and rounds["items"][1]["threshold"] == "70.00"
    outsider = create_user("judge", name="局外评委")
    assert client.get(f"/api/v1/pitch/{cid}/rounds", headers=api_headers(client, outsider)).status_code == 403
    assert client.get(f"/api/v1/pitch/{cid}/rounds").status_code == 401

    own = client.get(f"/api/v1/pitch/rounds/{final.id}/scores", headers=api_headers(client, judges[0])).get_json()
    assert own["items"] and {s["judge"] for s in own["items"]} == {judges[0].id}
    staff = client.get(f"/api/v1/pitch/rounds/{final.id}/scores",
                       headers=api_headers(client, pitch.organiser)).get_json()
    assert [i["total"] for i in staff["items"]] == ["80.00", "60.00"] and all(i["confirmed"] for i in staff["items"])
    assert client.get(f"/api/v1/pitch/rounds/{final.id}/scores",
                      headers=api_headers(client, outsider)).status_code == 403

    hidden = client.get(f"/api/v1/pitch/{cid}/results")
    assert hidden.status_code == 409 and hidden.get_json()["code"] == "not_released"
    live = client.get(f"/api/v1/pitch/{cid}/results", headers=api_headers(client, pitch.organiser)).get_json()
    assert [r["code"] for r in live["rows"]] == [entries[0].code, entries[1].code]
    assert live["rows"][0]["project"] is None
    ps.close_round(pitch.organiser, final)
    ps.release(pitch.organiser, pitch.competition)
    db_session.commit()
    public = client.get(f"/api/v1/pitch/{cid}/results").get_json()
    assert public["released"] and public["rows"][0]["project"] == "甲项目" and public["rows"][0]["awards"] == ["一等奖"]
    assert client.get("/api/v1/pitch/999999/results").status_code == 404


def test_the_pitch_api_is_in_the_openapi_document():
    paths = openapi_document()["paths"]
    for path in ("/pitch/{pitch_id}/rounds", "/pitch/rounds/{round_id}/scores", "/pitch/{pitch_id}/results"):
        assert "get" in paths[path]
