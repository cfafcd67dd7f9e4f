from datetime import timedelta

import sqlalchemy as sa

from app.checkin.models import Scan
from app.registrations import services as reg
from app.tickets import services as tickets
from app.timeutil import utcnow
from tests.fixtures.accounts import api_headers


def _setup(db_session, create_event, create_user):
    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    from app.checkin.services import ensure_checkpoints

    ensure_checkpoints(event)
    registration = reg.register(create_user(name="赵赟", mobile="13912345678"), event)
    db_session.commit()
    return event, registration, tickets.ticket_token(registration)


def test_event_lists_its_checkpoints_and_scans_decide(client, db_session, create_event, create_user):
    event, registration, token = _setup(db_session, create_event, create_user)
    points = client.get(f"/api/v1/events/{event.id}").json["checkpoints"]
    assert [p["session"] for p in points] == [None]
    headers = api_headers(client, create_user("organiser"))
    body = {"token": token, "checkpoint": points[0]["id"], "device": "east-door"}
    first = client.post("/api/v1/checkins", json=body, headers=headers)
    assert first.status_code == 200 and first.json["result"] == "ok"
    assert first.json["attendee"] == {"name": "赵赟", "mobile_masked": "139****5678"}
    again = client.post("/api/v1/checkins", json=dict(body, device="west-door"), headers=headers)
    assert again.status_code == 200 and again.json["result"] == "already_checked_in"
    assert again.json["first_device"] == "east-door" and again.json["first_checked_in_at"]
    forged = client.post("/api/v1/checkins", json=dict(body, token="x" * 100), headers=headers)
    assert forged.status_code == 200 and forged.json["result"] == "invalid" and "attendee" not in forged.json


def test_checkin_auth_and_malformed_bodies(client, db_session, create_event, create_user, departments):
    event, registration, token = _setup(db_session, create_event, create_user)
    point = client.get(f"/api/v1/events/{event.id}").json["checkpoints"][0]["id"]
    assert client.post("/api/v1/checkins", json={"token": token, "checkpoint": point}).status_code == 401
    outsider = api_headers(client, create_user("organiser", department="skills"))
    assert client.post("/api/v1/checkins", json={"token": token, "checkpoint": point},
                       headers=outsider).status_code == 403
    organiser = api_headers(client, create_user("organiser"))
    for bad in ({}, {"token": token}, {"token": token, "checkpoint": "1"},
                {"token": token, "checkpoint": point, "direction": "sideways"},
                {"token": token, "checkpoint": point, "scanned_at": "yesterday"}):
        response = client.post("/api/v1/checkins", json=bad, headers=organiser)
        assert response.status_code == 422, bad
    assert client.post("/api/v1/checkins", data="[]", headers=organiser).status_code == 422
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 0


def test_offline_batches_are_idempotent_and_report_conflicts(client, db_session, create_event, create_user):
    event, registration, token = _setup(db_session, create_event, create_user)
    point = client.get(f"/api/v1/events/{event.id}").json["checkpoints"][0]["id"]
    headers = api_headers(client, create_user("organiser"))
    scanned = (utcnow() - timedelta(minutes=5)).isoformat()
    phone_a = {"device": "phone-a", "scans": [
        {"token": token, "checkpoint": point, "scanned_at": scanned, "nonce": "a-1"}]}
    phone_b = {"device": "phone-b", "scans": [
        {"token": token, "checkpoint": point, "scanned_at": scanned, "nonce": "b-1"},
        {"token": "garbage", "checkpoint": point, "scanned_at": scanned, "nonce": "b-2"}]}
    first = client.post("/api/v1/checkins/batch", json=phone_a, headers=headers).json
    assert [r["result"] for r in first["results"]] == ["ok"] and first["conflicts"] == []
    second = client.post("/api/v1/checkins/batch", json=phone_b, headers=headers).json
    assert [r["result"] for r in second["results"]] == ["already_checked_in", "invalid"]
    assert second["conflicts"][0]["first_device"] == "phone-a" and second["results"][0]["conflict"] is True
    # retrying both uploads stores nothing new and answers the same
    again = client.post("/api/v1/checkins/batch", json=phone_b, headers=headers).json
    assert [r["result"] for r in again["results"]] == ["already_checked_in", "invalid"]
    client.post("/api/v1/checkins/batch", json=phone_a, headers=headers)
    stored = db_session.scalars(sa.select(Scan.scanned_at).order_by(Scan.id)).all()
    assert len(stored) == 3  # every uploaded scan, once
    assert abs((stored[0] - utcnow()).total_seconds() - (-300)) < 5  # the device's time is kept
    missing_nonce = {"scans": [{"token": token, "checkpoint": point}]}
    assert client.post("/api/v1/checkins/batch", json=missing_nonce, headers=headers).status_code == 422


def test_roster_for_10000_registrants_is_compact_and_verifies_tokens(client, db_session, create_event,
                                                                     create_user):
    import base64
    import json
    import time as clock

    from app.accounts.models import User
    from app.registrations.models import Registration
    from app.tickets import tokens

    event, registration, token = _setup(db_session, create_event, create_user)
    point = client.get(f"/api/v1/events/{event.id}").json["checkpoints"][0]["id"]
    users = [{"name": f"参会者{i:05d}", "mobile": f"137{i:08d}", "password_hash": "x", "active": True,
              "created_at": utcnow()} for i in range(10_000)]
    db_session.execute(sa.insert(User.__table__), users)
    ids = db_session.scalars(sa.select(User.id).where(User.name.like("参会者%"))).all()
    now = utcnow()
    db_session.execute(sa.insert(Registration.__table__), [
        {"event_id": event.id, "user_id": uid, "status": "confirmed", "created_at": now, "queued_at": now,
         "status_changed_at": now, "ticket_secret": f"s{uid}", "ticket_generation": 1} for uid in ids])
    db_session.commit()
    headers = api_headers(client, create_user("organiser"))
    started = clock.perf_counter()
    response = client.get(f"/api/v1/checkpoints/{point}/roster", headers=headers)
    took = clock.perf_counter() - started
    assert response.status_code == 200
    body = json.loads(response.data)
    assert len(body["entries"]) == 10_001 and len(response.data) < 600_000, len(response.data)
    assert took < 2.0, took
    # offline verification with nothing but the roster
    key = base64.urlsafe_b64decode(body["public_key"] + "=" * (-len(body["public_key"]) % 4))
    claims = tokens.verify(key, token)
    entry = next(e for e in body["entries"] if e[0] == claims.registration_id)
    assert entry[1] == claims.generation and entry[2] == "赵赟" and entry[3] == "5678"
    assert client.get(f"/api/v1/checkpoints/{point}/roster").status_code == 401


def test_answer_carries_the_stored_scan_id_and_a_retry_gets_it_back(client, db_session, create_event, create_user):
    event, registration, token = _setup(db_session, create_event, create_user)
    point = client.get(f"/api/v1/events/{event.id}").json["checkpoints"][0]["id"]
    headers = api_headers(client, create_user("organiser"))
    body = {"token": token, "checkpoint": point, "nonce": "phone-1-0001"}
    first = client.post("/api/v1/checkins", json=body, headers=headers).json
    assert first["result"] == "ok" and isinstance(first["scan_id"], int)
    again = client.post("/api/v1/checkins", json=body, headers=headers).json
    assert (again["result"], again["scan_id"]) == ("ok", first["scan_id"])
    assert db_session.scalar(sa.select(Scan.id)) == first["scan_id"]


def test_manual_checkin_of_another_events_registration_reads_no_name_and_links_nobody(
        client, db_session, create_event, create_user, departments):
    """Issue 11, finding 1: a volunteer link of one event sent the id of a registration of an
    event of another department and got that person's name back, and the stranger was written
    into this event's scan log. Single scans and offline batches decide alike."""
    from app.checkin import links
    from app.checkin.services import ensure_checkpoints

    stranger_event = create_event(department=departments["skills"])
    stranger = reg.register(create_user(name="钱多多", mobile="13787654321"), stranger_event)
    start = utcnow() + timedelta(hours=1)
    own = create_event(starts_at=start, ends_at=start + timedelta(hours=2))
    point = ensure_checkpoints(own)[0]
    _link, secret = links.create_link(create_user("organiser"), own, label="服务台", hours=2)
    db_session.commit()
    headers = {"Authorization": f"Bearer {secret}"}

    single = client.post("/api/v1/checkins", json={"registration": stranger.id, "checkpoint": point.id},
                         headers=headers)
    assert single.status_code == 200 and single.json["result"] == "not_registered"
    assert "attendee" not in single.json and "钱多多" not in single.get_data(as_text=True)
    batch = client.post("/api/v1/checkins/batch", headers=headers, json={"scans": [
        {"registration": stranger.id, "checkpoint": point.id, "nonce": "probe-1"}]})
    assert batch.status_code == 200 and batch.json["results"][0]["result"] == "not_registered"
    assert "attendee" not in batch.json["results"][0] and "钱多多" not in batch.get_data(as_text=True)
    rows = db_session.scalars(sa.select(Scan).order_by(Scan.id)).all()
    assert [(r.result, r.registration_id) for r in rows] == [("not_registered", None)] * 2


def test_a_nonce_of_another_checkpoint_does_not_replay_its_decision(client, db_session, create_event, create_user,
                                                                     departments):
    """Nonces are unique over all checkpoints: reusing another event's nonce must not answer
    with that event's scan (and attendee)."""
    from app.checkin import links
    from app.checkin.services import ensure_checkpoints

    event, registration, token = _setup(db_session, create_event, create_user)
    theirs = client.get(f"/api/v1/events/{event.id}").json["checkpoints"][0]["id"]
    organiser = api_headers(client, create_user("organiser"))
    assert client.post("/api/v1/checkins", json={"token": token, "checkpoint": theirs, "nonce": "door-1"},
                       headers=organiser).json["result"] == "ok"
    start = utcnow() + timedelta(hours=1)
    own = create_event(starts_at=start, ends_at=start + timedelta(hours=2), department=departments["skills"])
    point = ensure_checkpoints(own)[0]
    _link, secret = links.create_link(create_user("organiser", department="skills"), own, label="东门", hours=2)
    db_session.commit()
    probe = client.post("/api/v1/checkins", json={"token": "x", "checkpoint": point.id, "nonce": "door-1"},
                        headers={"Authorization": f"Bearer {secret}"})
    assert probe.status_code == 409 and probe.json["code"] == "nonce_reused"
    assert "赵赟" not in probe.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 1


def test_an_exit_scan_says_checked_out_with_the_stay_and_the_log_shows_it(client, db_session, create_event,
                                                                          create_user, login_as):
    """Issue 12, defect 2: an exit in 离场 mode said 签到成功，欢迎！ and the log said the same."""
    event, registration, token = _setup(db_session, create_event, create_user)
    point = client.get(f"/api/v1/events/{event.id}").json["checkpoints"][0]["id"]
    organiser = create_user("organiser")
    headers = api_headers(client, organiser) | {"Accept-Language": "zh-CN"}
    came = utcnow() - timedelta(minutes=50)
    body = {"token": token, "checkpoint": point, "scanned_at": came.isoformat()}
    entry = client.post("/api/v1/checkins", json=body, headers=headers)
    assert entry.json["result"] == "ok" and entry.json["direction"] == "in"
    left = client.post("/api/v1/checkins", headers=headers, json=dict(
        body, direction="out", scanned_at=(came + timedelta(minutes=65)).isoformat()))
    assert left.json["result"] == "ok" and left.json["direction"] == "out"
    message = left.json["message"]
    assert "欢迎" not in message and "签退成功" in message
    assert "1 小时 5 分钟" in message and f"{(came + timedelta(hours=8)):%H:%M}" in message
    assert left.json["entered_at"]

    page = login_as(organiser).get(f"/console/events/{event.id}/attendance").get_data(as_text=True)
    log = page[page.index("scan-log") if "scan-log" in page else 0:]
    assert "欢迎" not in log and "已签退" in log and "已签到" in log


def test_a_replaced_ticket_scan_names_its_holder_and_doors_are_named(client, db_session, create_event,
                                                                     create_user, login_as):
    """Issue 12, defect 14: the scan log showed "—" for a revoked ticket's scan, and volunteers
    were told a device id (2afbab) where the door's name would do."""
    from app.checkin import links

    event, registration, token = _setup(db_session, create_event, create_user)
    point = client.get(f"/api/v1/events/{event.id}").json["checkpoints"][0]["id"]
    organiser = create_user("organiser")
    _north, north_secret = links.create_link(organiser, event, label="北门", hours=4)
    _south, south_secret = links.create_link(organiser, event, label="南门", hours=4)
    tickets.reset(registration)
    db_session.commit()
    north, south = ({"Authorization": f"Bearer {s}"} for s in (north_secret, south_secret))
    old = client.post("/api/v1/checkins", json={"token": token, "checkpoint": point}, headers=north)
    assert old.json["result"] == "revoked" and old.json["attendee"]["name"] == "赵赟"
    fresh = {"token": tickets.ticket_token(registration), "checkpoint": point}
    assert client.post("/api/v1/checkins", json=dict(fresh, device="北门 · 2afbab"), headers=north).json["result"] == "ok"
    again = client.post("/api/v1/checkins", json=dict(fresh, device="南门 · 77c1d0"), headers=south)
    assert again.json["result"] == "already_checked_in" and again.json["first_place"] == "北门"

    page = login_as(organiser).get(f"/console/events/{event.id}/attendance").get_data(as_text=True)
    log = page[page.index("扫码记录"):]
    revoked_row = next(row for row in log.split("<tr>") if "badge-scan-revoked" in row)
    assert "赵赟" in revoked_row and "—" not in revoked_row
