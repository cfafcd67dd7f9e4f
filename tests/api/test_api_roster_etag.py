"""A scanner polls its roster with If-None-Match: 304 while nothing in it changed; a new
registrant, a check-in, a reset (revoked) ticket or a renamed person changes the ETag, and the
next roster carries the change."""
from datetime import timedelta

from app.checkin import roster as rosters
from app.checkin import services as checkin
from app.registrations import services as reg
from app.tickets import services as tickets
from app.timeutil import utcnow
from tests.fixtures.accounts import api_headers


def _venue(db_session, client, create_event, create_user):
    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    checkin.ensure_checkpoints(event)
    registration = reg.register(create_user(name="赵赟", mobile="13912345678"), event)
    db_session.commit()
    point = client.get(f"/api/v1/events/{event.id}").json["checkpoints"][0]["id"]
    return event, registration, point, api_headers(client, create_user("organiser"))


def _poll(client, point, headers, etag):
    return client.get(f"/api/v1/checkpoints/{point}/roster", headers={**headers, "If-None-Match": etag})


def test_unchanged_roster_is_a_304_without_a_body(client, db_session, create_event, create_user):
    event, registration, point, headers = _venue(db_session, client, create_event, create_user)
    first = client.get(f"/api/v1/checkpoints/{point}/roster", headers=headers)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and not etag.startswith('W/')
    assert first.headers["Cache-Control"] == "private, no-store"
    again = _poll(client, point, headers, etag)
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    # another tag (an older roster) gets the whole roster
    stale = _poll(client, point, headers, '"0123"')
    assert stale.status_code == 200 and stale.json["entries"] == first.json["entries"]
    # the token still decides who may ask
    assert client.get(f"/api/v1/checkpoints/{point}/roster", headers={"If-None-Match": etag}).status_code == 401


def test_a_check_in_a_registrant_a_reset_ticket_and_a_rename_change_the_etag(client, db_session, create_event,
                                                                            create_user):
    event, registration, point, headers = _venue(db_session, client, create_event, create_user)
    etag = client.get(f"/api/v1/checkpoints/{point}/roster", headers=headers).headers["ETag"]

    scanned = client.post("/api/v1/checkins", json={"token": tickets.ticket_token(registration), "checkpoint": point},
                          headers=headers)
    assert scanned.json["result"] == "ok"
    after_scan = _poll(client, point, headers, etag)
    assert after_scan.status_code == 200 and after_scan.json["checked_in"] == [registration.id]
    etag = after_scan.headers["ETag"]

    other = reg.register(create_user(name="钱多多"), event)
    db_session.commit()
    after_registration = _poll(client, point, headers, etag)
    assert after_registration.status_code == 200
    assert [e[0] for e in after_registration.json["entries"]] == [registration.id, other.id]
    etag = after_registration.headers["ETag"]

    generation = registration.ticket_generation
    tickets.reset(registration)  # the old ticket is revoked: scanners must learn the new generation
    db_session.commit()
    after_reset = _poll(client, point, headers, etag)
    assert after_reset.status_code == 200
    entry = next(e for e in after_reset.json["entries"] if e[0] == registration.id)
    assert entry[1] == (generation + 1) & 0xFFFF != generation
    etag = after_reset.headers["ETag"]

    registration.user.name = "赵小赟"
    db_session.commit()
    after_rename = _poll(client, point, headers, etag)
    assert after_rename.status_code == 200
    assert next(e for e in after_rename.json["entries"] if e[0] == registration.id)[2] == "赵小赟"
    assert _poll(client, point, headers, after_rename.headers["ETag"]).status_code == 304


def test_a_cancelled_registration_leaves_the_roster(client, db_session, create_event, create_user):
    event, registration, point, headers = _venue(db_session, client, create_event, create_user)
    etag = client.get(f"/api/v1/checkpoints/{point}/roster", headers=headers).headers["ETag"]
    reg.cancel(registration.user, registration)
    db_session.commit()
    after = _poll(client, point, headers, etag)
    assert after.status_code == 200 and after.json["entries"] == []


def test_the_roster_lists_entries_in_order_with_names_escaped_as_json(db_session, create_event, create_user):
    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    point = checkin.ensure_checkpoints(event)[0]
    quoted = reg.register(create_user(name='王"五\\', email="wang@example.com"), event)
    quoted.user.mobile = None  # signed up by email: no last four digits
    plain = reg.register(create_user(name="李四", mobile="13800001234"), event)
    db_session.commit()
    body = rosters.roster(point)
    assert body["fields"] == ["id", "generation", "name", "mobile_last4", "user"]
    assert body["entries"] == [[quoted.id, quoted.ticket_generation, '王"五\\', "", quoted.user_id],
                               [plain.id, plain.ticket_generation, "李四", "1234", plain.user_id]]
    assert body["checked_in"] == [] and body["generated_at"]
    assert rosters.roster_body(point).etag == rosters.roster_body(point).etag
