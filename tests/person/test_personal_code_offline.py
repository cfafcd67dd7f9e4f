"""Offline verification of personal codes: a scanner holding nothing but its roster (the API's
JSON, with the code authority's public keys and the revoked phone keys) decides a code — here a
small verifier of the test's own, with `cryptography` and no access to the app's database."""
import base64
import struct
from datetime import timedelta

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.checkin import links
from app.checkin import services as checkin
from app.registrations import services as reg
from app.tickets import phone_keys
from app.timeutil import utcnow


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decide_offline(roster: dict, code: str, at: int) -> str:
    """What a paired scanner decides offline (the layout of app/tickets/personal_codes.py)."""
    raw = _b64(code)
    if len(raw) != 181 or raw[0] != 2:
        return "invalid"
    authority_id, user_id, phone_key_id, expires = struct.unpack(">IIII", raw[1:17])
    keys = {k["id"]: _b64(k["public_key"]) for k in roster["authority_keys"]}
    if authority_id not in keys:
        return "invalid"
    try:
        Ed25519PublicKey.from_public_bytes(keys[authority_id]).verify(raw[49:113], raw[:49])
        Ed25519PublicKey.from_public_bytes(raw[17:49]).verify(raw[117:], raw[:117])
    except InvalidSignature:
        return "invalid"
    if phone_key_id in roster["revoked_phone_keys"]:
        return "revoked"
    (made,) = struct.unpack(">I", raw[113:117])
    if expires < at or made < at - roster["code_max_age"] or made > at + roster["code_future_skew"]:
        return "expired"
    user = roster["fields"].index("user")
    if not any(entry[user] == user_id for entry in roster["entries"]):
        return "not_registered"
    return "ok"


@pytest.fixture
def door(db_session, create_event, create_user):
    now = utcnow()
    event = create_event(title="人才政策宣讲会", starts_at=now + timedelta(minutes=30), ends_at=now + timedelta(hours=3))
    point = checkin.ensure_checkpoints(event)[0]
    person, outsider = create_user(name="张玥"), create_user(name="李喆")
    reg.register(person, event)
    _link, secret = links.create_link(create_user("organiser"), event, label="北门", hours=4)
    db_session.commit()
    return {"point": point, "person": person, "outsider": outsider,
            "headers": {"Authorization": f"Bearer {secret}"}}


def _roster(client, door) -> dict:
    response = client.get(f"/api/v1/checkpoints/{door['point'].id}/roster", headers=door["headers"])
    assert response.status_code == 200
    return response.get_json()


def test_a_code_decided_with_nothing_but_the_roster(client, db_session, door, phone):
    mine, theirs = phone(door["person"]), phone(door["outsider"])
    roster = _roster(client, door)
    now = utcnow()
    at = int(now.timestamp())
    assert decide_offline(roster, mine.code(now), at) == "ok"
    assert decide_offline(roster, theirs.code(now), at) == "not_registered"
    assert decide_offline(roster, mine.code(now - timedelta(seconds=61)), at) == "expired"
    assert decide_offline(roster, mine.code(now - timedelta(seconds=60)), at) == "ok"
    forged = bytearray(_b64(mine.code(now)))
    forged[-3] ^= 4
    assert decide_offline(roster, base64.urlsafe_b64encode(bytes(forged)).rstrip(b"=").decode(), at) == "invalid"
    # the roster also tells the registration the code stands for, as for tickets
    entry = next(e for e in roster["entries"] if e[roster["fields"].index("user")] == door["person"].id)
    assert entry[2] == "张玥"


def test_a_revoked_phone_is_refused_offline_after_the_next_roster(client, db_session, door, phone):
    mine = phone(door["person"])
    before = _roster(client, door)  # the scanner's cached roster, then the network goes
    phone_keys.revoke(door["person"], phone_keys.get_phone_key(door["person"], mine.key_id))
    db_session.commit()
    now = utcnow()
    at = int(now.timestamp())
    # online: refused at once
    online = client.post("/api/v1/checkins", headers=door["headers"],
                         json={"token": mine.code(now), "checkpoint": door["point"].id})
    assert online.status_code == 200 and online.get_json()["result"] == "revoked"
    # offline with the roster fetched before the revocation: the scanner cannot know yet
    assert decide_offline(before, mine.code(now), at) == "ok"
    # with the next roster it refuses
    after = _roster(client, door)
    assert mine.key_id in after["revoked_phone_keys"]
    assert decide_offline(after, mine.code(now), at) == "revoked"


def test_the_api_takes_the_longer_code_and_queued_offline_scans(client, db_session, door, phone):
    mine = phone(door["person"])
    seen = utcnow() - timedelta(minutes=10)
    batch = client.post("/api/v1/checkins/batch", headers=door["headers"], json={"scans": [
        {"token": mine.code(seen), "checkpoint": door["point"].id, "scanned_at": seen.isoformat(), "nonce": "q-1"},
        {"token": mine.code(seen - timedelta(minutes=2)), "checkpoint": door["point"].id,
         "scanned_at": seen.isoformat(), "nonce": "q-2"}]})
    assert batch.status_code == 200
    assert [r["result"] for r in batch.get_json()["results"]] == ["ok", "expired"]
    assert batch.get_json()["results"][0]["attendee"]["name"] == "张玥"
    too_long = client.post("/api/v1/checkins", headers=door["headers"],
                           json={"token": "A" * 301, "checkpoint": door["point"].id})
    assert too_long.status_code == 422
