"""The API's Core path for plain ticket scans (app.checkin.ticket_scan) answers and stores exactly
what services.scan() does: the same scans are sent twice, once with it and once without it."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.checkin import links, ticket_scan
from app.checkin.models import Scan
from app.checkin.services import ensure_checkpoints
from app.registrations import services as reg
from app.tickets import services as tickets
from app.timeutil import utcnow
from tests.fixtures.accounts import api_headers


def _scans(client, headers, point: int, token: str, other: str, link_headers) -> list[dict]:
    earlier = (utcnow() - timedelta(minutes=5)).isoformat()
    forged = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    sent = [
        (headers, {"token": token, "checkpoint": point, "nonce": "n-1", "device": "east"}),  # ok
        (headers, {"token": token, "checkpoint": point, "nonce": "n-2", "device": "west"}),  # already
        (headers, {"token": token, "checkpoint": point, "nonce": "n-1", "device": "east"}),  # retried nonce
        (headers, {"token": forged, "checkpoint": point, "nonce": "n-3", "device": "east"}),  # forged
        (headers, {"token": token, "checkpoint": point, "nonce": "n-4", "device": "north",  # offline conflict
                   "scanned_at": earlier}),
        (link_headers, {"token": other, "checkpoint": point, "nonce": "n-5", "device": "gate"}),  # by a link
        (headers, {"token": other, "checkpoint": point, "nonce": "n-6", "device": "east"}),  # first at the link
        (headers, {"token": token, "checkpoint": point, "direction": "out", "nonce": "n-7", "device": "east"}),
        (headers, {"token": token, "checkpoint": point, "nonce": "n-8", "device": "east"}),  # re-entry
    ]
    answers = []
    for who, body in sent:
        response = client.post("/api/v1/checkins", json=body, headers=who)
        assert response.status_code == 200, response.json
        answers.append(response.json)
    return answers


def _normalised(answers: list[dict], db_session) -> tuple[list, list]:
    ids = {}  # scan ids differ between the runs: compared by order of appearance
    def same(scan_id):
        return ids.setdefault(scan_id, len(ids))
    shown = [{k: (same(v) if k == "scan_id" else v) for k, v in a.items()
              if k not in ("first_checked_in_at", "entered_at", "message")} for a in answers]
    rows = db_session.execute(sa.select(Scan.result, Scan.direction, Scan.device, Scan.nonce, Scan.detail,
                                        Scan.scanner_id.is_not(None), Scan.scanner_link_id.is_not(None),
                                        Scan.registration_id.is_not(None))
                              .order_by(Scan.id)).all()
    stored = [tuple(r[:4]) + (sorted((r[4] or {}).keys()),) + tuple(r[5:]) for r in rows]
    return shown, stored


def _run(client, db_session, create_event, create_user, label: str):
    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    point = ensure_checkpoints(event)[0]
    registrations = [reg.register(create_user(name=f"赵赟{label}{n}", mobile=f"139{ord(label) % 10}123456{n}"), event)
                     for n in range(2)]
    organiser = create_user("organiser")
    _link, secret = links.create_link(organiser, event, label="北门", hours=2)
    db_session.commit()
    headers = api_headers(client, organiser)
    answers = _scans(client, headers, point.id, tickets.ticket_token(registrations[0]),
                     tickets.ticket_token(registrations[1]), {"Authorization": f"Bearer {secret}"})
    for answer in answers:  # names differ between the runs by the label, checkpoints by the event
        if "attendee" in answer:
            answer["attendee"]["name"] = answer["attendee"]["name"].replace(label, "")
        if answer.get("first_place") == point.name:
            answer["first_place"] = "<checkpoint>"
    result = _normalised(answers, db_session)
    db_session.execute(sa.delete(Scan))
    db_session.commit()
    return result


def _count_core_decisions(monkeypatch) -> list[bool]:
    """Each scan the Core path was asked about, in order: True when it decided it."""
    decided = []
    real = ticket_scan.scan_ticket

    def counting(*args, **kwargs):
        answer = real(*args, **kwargs)
        decided.append(answer is not None)
        return answer

    monkeypatch.setattr(ticket_scan, "scan_ticket", counting)
    return decided


def test_core_path_answers_and_stores_as_the_service_does(client, db_session, create_event, create_user,
                                                          monkeypatch):
    decided = _count_core_decisions(monkeypatch)
    fast = _run(client, db_session, create_event, create_user, "甲")
    # ok, already, conflict, by the link, already (first at the link), re-entry after the exit
    assert decided.count(True) == 6
    monkeypatch.setattr(ticket_scan, "scan_ticket", lambda *args, **kwargs: None)
    full = _run(client, db_session, create_event, create_user, "乙")
    assert fast == full
    results = [a["result"] for a in fast[0]]
    assert results == ["ok", "already_checked_in", "ok", "invalid", "already_checked_in", "ok",
                       "already_checked_in", "ok", "ok"]
    assert fast[0][2]["scan_id"] == fast[0][0]["scan_id"]  # the retried nonce: the first answer again
    assert fast[0][6]["first_place"] == "北门" and fast[0][6]["first_device"] == "gate"
    assert fast[1][3][4] == ["conflict_with", "first_device"]  # n-4, stored after n-3


@pytest.mark.parametrize("change", ["closed", "pending"])
def test_core_path_leaves_refusals_to_the_service(client, db_session, create_event, create_user, change):
    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    point = ensure_checkpoints(event)[0]
    registration = reg.register(create_user(), event)
    if change == "closed":
        point.opens_at, point.closes_at = start - timedelta(hours=5), start - timedelta(hours=4)
    else:
        registration.status = "pending"
    organiser = create_user("organiser")
    db_session.commit()
    answer = client.post("/api/v1/checkins", json={"token": tickets.ticket_token(registration),
                                                   "checkpoint": point.id}, headers=api_headers(client, organiser))
    assert answer.json["result"] == ("outside_window" if change == "closed" else "not_confirmed")


@pytest.mark.parametrize("change", ["revoked", "expired", "inactive", None])
def test_scanner_tokens_are_refused_as_every_api_token_is(client, db_session, create_event, create_user, change):
    """accounts.scanner_for_api_token (the check-in API's, loading less of the account) accepts
    exactly the tokens user_for_api_token accepts, and the account it gives may scan as before."""
    from app.accounts import services as accounts
    from app.accounts.models import ApiToken

    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    point = ensure_checkpoints(event)[0]
    registration = reg.register(create_user(), event)
    organiser = create_user("organiser")
    token = accounts.issue_api_token(organiser)
    row = db_session.scalars(sa.select(ApiToken).where(ApiToken.user_id == organiser.id)).one()
    if change == "revoked":
        row.revoked_at = utcnow()
    elif change == "expired":
        row.expires_at = utcnow() - timedelta(seconds=1)
    elif change == "inactive":
        organiser.active = False
    db_session.commit()
    general = accounts.user_for_api_token(token)
    scanner = accounts.scanner_for_api_token(token)
    db_session.rollback()
    assert (general is None) == (scanner is None) == (change is not None)
    answer = client.post("/api/v1/checkins", json={"token": tickets.ticket_token(registration),
                                                   "checkpoint": point.id},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == (401 if change else 200)
    if change is None:
        assert answer.json["result"] == "ok"


def _run_batch(client, db_session, create_event, create_user, label: str):
    """An offline phone's queue uploaded in one batch (POST /checkins/batch), normalised as _run's."""
    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    point = ensure_checkpoints(event)[0]
    registration = reg.register(create_user(name=f"孙{label}", mobile=f"137{ord(label) % 10}1234567"), event)
    organiser = create_user("organiser")
    db_session.commit()
    token = tickets.ticket_token(registration)
    forged = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    other_phone = client.post("/api/v1/checkins", headers=api_headers(client, organiser),
                              json={"token": token, "checkpoint": point.id, "nonce": "b-0", "device": "east"})
    assert other_phone.json["result"] == "ok"
    earlier = (utcnow() - timedelta(minutes=5)).isoformat()
    queued = [{"token": token, "nonce": "b-1", "scanned_at": earlier},  # offline: a conflict with east
              {"token": token, "nonce": "b-1", "scanned_at": earlier},  # the same scan queued twice
              {"token": forged, "nonce": "b-2"},
              {"token": token, "direction": "out", "nonce": "b-3"},
              {"token": token, "nonce": "b-4"}]  # re-entry after the exit
    body = {"device": "north", "scans": [dict(scan, checkpoint=point.id) for scan in queued]}
    response = client.post("/api/v1/checkins/batch", json=body, headers=api_headers(client, organiser))
    assert response.status_code == 200, response.json
    answer = response.json
    for result in answer["results"]:
        if "attendee" in result:
            result["attendee"]["name"] = "<holder>"
        if result.get("first_place") == point.name:
            result["first_place"] = "<checkpoint>"
    conflicts = [{k: v for k, v in c.items() if k not in ("attendee", "first_checked_in_at")}
                 for c in answer["conflicts"]]
    shown, stored = _normalised(answer["results"], db_session)
    db_session.execute(sa.delete(Scan))
    db_session.commit()
    return shown, stored, conflicts


def test_batches_take_the_core_path_with_the_same_answers(client, db_session, create_event, create_user,
                                                           monkeypatch):
    decided = _count_core_decisions(monkeypatch)
    fast = _run_batch(client, db_session, create_event, create_user, "甲")
    # b-0, b-1; b-1 again and the forged b-2 left to the service; b-3 is an exit (never asked); b-4
    assert decided == [True, True, False, False, True]
    monkeypatch.setattr(ticket_scan, "scan_ticket", lambda *args, **kwargs: None)
    full = _run_batch(client, db_session, create_event, create_user, "乙")
    assert fast == full
    assert [r["result"] for r in fast[0]] == ["already_checked_in", "already_checked_in", "invalid", "ok", "ok"]
    assert fast[0][0]["conflict"] is True and fast[0][1] == fast[0][0]  # the queued copy: the first answer
    assert fast[2] == [{"nonce": "b-1", "first_device": "east"}] * 2


def test_a_plain_ticket_scan_is_four_statements(client, db_session, create_event, create_user):
    """The scanner's token, the checkpoint with the holder (locked), the accepted scans, the insert:
    the round trips of bench/bare_checkin.py (issue 19), plus SQLite's write lock."""
    from tests.fixtures.queries import counting

    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    point = ensure_checkpoints(event)[0]
    registrations = [reg.register(create_user(), event) for _ in range(2)]
    headers = api_headers(client, create_user("organiser"))
    codes, point_id = [tickets.ticket_token(registration) for registration in registrations], point.id
    db_session.commit()
    for code in codes:  # the first warms what a process reads once
        db_session.expire_all()
        with counting() as seen:
            answer = client.post("/api/v1/checkins", headers=headers, json={"token": code, "checkpoint": point_id})
        assert answer.json["result"] == "ok"
    sql = [s.split()[0].upper() for s in seen if not s.lstrip().upper().startswith(("SELECT 1", "BEGIN"))]
    extra = ["UPDATE"] if db_session.get_bind().dialect.name == "sqlite" else []
    assert sql == ["SELECT", "SELECT", *extra, "SELECT", "INSERT"], str(seen)
