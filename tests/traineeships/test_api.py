"""API v1 for traineeships: staff read their batches, places and placements; a host's contact
reads its applicants and accepts or declines them; everybody else is refused."""
from tests.fixtures.accounts import api_headers


def test_staff_read_batches_places_and_placements(client, db_session, traineeship, create_user, apply_as):
    world = traineeship()
    person = create_user(name="API学员")
    from app.traineeships import review

    review.accept(world.contacts[0], apply_as(person, world.batch, world.places).choices[0])
    db_session.commit()
    headers = api_headers(client, world.organiser)
    listed = client.get("/api/v1/traineeships/batches", headers=headers).json["items"]
    assert [b["id"] for b in listed] == [world.batch.id] and listed[0]["status"] == "open"
    detail = client.get(f"/api/v1/traineeships/batches/{world.batch.id}", headers=headers).json
    assert [p["position"] for p in detail["places"]] == ["岗位1", "岗位2"]
    assert detail["eligibility"]["left_school_unemployed_only"] is True
    placements = client.get(f"/api/v1/traineeships/batches/{world.batch.id}/placements", headers=headers).json
    assert placements["items"][0]["status"] == "proposed"
    assert placements["items"][0]["trainee"]["mobile_masked"] == person.mobile_masked
    assert person.mobile not in str(placements)
    other = api_headers(client, create_user("organiser", department="skills"))
    assert client.get(f"/api/v1/traineeships/batches/{world.batch.id}", headers=other).status_code == 403
    assert client.get("/api/v1/traineeships/batches", headers=other).json["items"] == []
    assert client.get("/api/v1/traineeships/batches", headers=api_headers(client, person)).status_code == 403
    assert client.get("/api/v1/traineeships/batches").status_code == 401


def test_a_hosts_contact_accepts_and_declines_through_the_api(client, db_session, traineeship, create_user,
                                                               apply_as):
    world = traineeship()
    first = apply_as(create_user(), world.batch, world.places)
    second = apply_as(create_user(), world.batch, world.places[:1])
    mine = api_headers(client, world.contacts[0])
    applicants = client.get("/api/v1/host/applicants", headers=mine).json["items"]
    assert sorted(a["choice_id"] for a in applicants) == sorted([first.choices[0].id, second.choices[0].id])
    assert all("*" in a["mobile_masked"] for a in applicants)
    theirs = api_headers(client, world.contacts[1])
    assert client.post(f"/api/v1/host/choices/{first.choices[0].id}/accept", headers=theirs).status_code == 403
    accepted = client.post(f"/api/v1/host/choices/{first.choices[0].id}/accept", headers=mine)
    assert accepted.status_code == 201 and accepted.json["status"] == "proposed"
    again = client.post(f"/api/v1/host/choices/{first.choices[1].id}/accept", headers=theirs)
    assert again.status_code == 409 and again.json["code"] == "already_placed"
    refused = client.post(f"/api/v1/host/choices/{second.choices[0].id}/decline", headers=mine, json={})
    assert refused.status_code == 422 and "reason" in refused.json["fields"]
    declined = client.post(f"/api/v1/host/choices/{second.choices[0].id}/decline", headers=mine,
                           json={"reason": "专业不对口"})
    assert declined.status_code == 200 and declined.json["status"] == "declined"
    assert client.get("/api/v1/host/applicants", headers=api_headers(client, create_user())).json["items"] == []
    assert client.post("/api/v1/host/choices/99999999999/accept", headers=mine).status_code == 404
