"""The check-in service: every result code, exactly-once under concurrency, idempotent nonces."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.checkin import roster as rosters
from app.checkin import services as checkin
from app.checkin.models import Scan, ScanResult
from app.extensions import db
from app.lifecycle import agenda
from app.registrations import services as reg
from app.tickets import services as tickets
from app.timeutil import utcnow
from tests.racing import race


@pytest.fixture
def soon(create_event):
    """An event starting in an hour: its default check-in window is open now."""
    start = utcnow() + timedelta(hours=1)
    return create_event(starts_at=start, ends_at=start + timedelta(hours=3), capacity=5)


def _ticket(db_session, event, user):
    registration = reg.register(user, event)
    db_session.commit()
    return registration, tickets.ticket_token(registration)


def test_ok_then_already_checked_in_with_first_time_and_device(db_session, soon, create_user):
    registration, token = _ticket(db_session, soon, create_user())
    point = checkin.event_checkpoint(soon)
    first = checkin.scan(point, token, device="east-door")
    db_session.commit()
    again = checkin.scan(point, token, device="west-door")
    db_session.commit()
    assert first.result == ScanResult.OK and first.registration.id == registration.id
    assert again.result == ScanResult.ALREADY_CHECKED_IN
    assert again.first.device == "east-door" and again.first.id == first.scan.id
    assert checkin.checked_in_count(point) == 1


def test_exit_then_reentry_rules(db_session, soon, create_user):
    _registration, token = _ticket(db_session, soon, create_user())
    point = checkin.event_checkpoint(soon)
    assert checkin.scan(point, token, direction="out").result == ScanResult.NOT_CHECKED_IN
    assert checkin.scan(point, token).result == ScanResult.OK
    assert checkin.scan(point, token, direction="out").result == ScanResult.OK
    assert checkin.scan(point, token).result == ScanResult.OK  # re-entry allowed by default
    point.allow_reentry = False
    assert checkin.scan(point, token, direction="out").result == ScanResult.OK
    assert checkin.scan(point, token).result == ScanResult.ALREADY_CHECKED_IN


def test_invalid_forged_and_revoked(db_session, soon, create_user):
    registration, token = _ticket(db_session, soon, create_user())
    point = checkin.event_checkpoint(soon)
    assert checkin.scan(point, "not a ticket").result == ScanResult.INVALID
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert checkin.scan(point, forged).result == ScanResult.INVALID
    tickets.reset(registration)
    assert checkin.scan(point, token).result == ScanResult.REVOKED
    assert checkin.scan(point, tickets.ticket_token(registration)).result == ScanResult.OK
    db_session.commit()
    stored = db_session.scalars(sa.select(Scan.result).order_by(Scan.id)).all()
    assert stored == ["invalid", "invalid", "revoked", "ok"]  # failed scans are kept too


def test_other_event_and_other_session(db_session, soon, create_event, create_user):
    admin = create_user("admin")
    other = create_event(starts_at=soon.starts_at, ends_at=soon.ends_at)
    s1 = agenda.save_session(admin, soon, title="上午场", starts_at=soon.starts_at,
                             ends_at=soon.starts_at + timedelta(hours=1))
    s2 = agenda.save_session(admin, soon, title="下午场", starts_at=soon.starts_at + timedelta(hours=1),
                             ends_at=soon.ends_at)
    db_session.commit()
    registration = reg.register(create_user(), soon, session_ids=[s1.id])
    db_session.commit()
    token = tickets.ticket_token(registration)
    assert checkin.scan(checkin.event_checkpoint(other), token).result == ScanResult.NOT_REGISTERED
    assert checkin.scan(checkin.session_checkpoint(s2), token).result == ScanResult.NOT_REGISTERED
    assert checkin.scan(checkin.session_checkpoint(s1), token).result == ScanResult.OK
    # the same seat rule decides who is expected and who is on the offline roster
    expected = {row.checkpoint.session_id: row.expected for row in checkin.attendance(soon)}
    assert expected == {s1.id: 1, s2.id: 0}
    assert [e[0] for e in rosters.roster(checkin.session_checkpoint(s1))["entries"]] == [registration.id]
    assert rosters.roster(checkin.session_checkpoint(s2))["entries"] == []


def test_not_confirmed_and_pending_setting(db_session, create_event, create_user):
    start = utcnow() + timedelta(minutes=30)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=1, requires_approval=True)
    pending, token = _ticket(db_session, event, create_user())
    point = checkin.event_checkpoint(event)
    assert checkin.scan(point, token).result == ScanResult.NOT_CONFIRMED
    point.admit_pending = True
    assert checkin.scan(point, token).result == ScanResult.OK
    reg.cancel(pending.user, pending)
    assert checkin.scan(point, token, direction="out").result == ScanResult.NOT_CONFIRMED


def test_outside_window(db_session, create_event, create_user):
    later = create_event(starts_at=utcnow() + timedelta(days=3))
    _r, token = _ticket(db_session, later, create_user())
    point = checkin.event_checkpoint(later)
    assert checkin.scan(point, token).result == ScanResult.OUTSIDE_WINDOW
    point.opens_at = utcnow() - timedelta(minutes=1)
    assert checkin.scan(point, token).result == ScanResult.OK


def test_same_nonce_twice_records_one_scan(db_session, soon, create_user):
    _r, token = _ticket(db_session, soon, create_user())
    point = checkin.event_checkpoint(soon)
    first = checkin.scan(point, token, nonce="dev1-0001", device="dev1")
    db_session.commit()
    again = checkin.scan(point, token, nonce="dev1-0001", device="dev1")
    db_session.commit()
    assert first.result == again.result == ScanResult.OK and again.scan.id == first.scan.id
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 1


def _concurrently(app, checkpoint_id, tokens_and_nonces, workers):
    from app.checkin.models import Checkpoint

    def attempt(item):
        token, nonce = item
        return checkin.scan(db.session.get(Checkpoint, checkpoint_id), token, nonce=nonce).result.value

    results, errors = race(app, attempt, tokens_and_nonces, workers)
    return results + errors


@pytest.mark.concurrency
def test_50_concurrent_scans_of_one_ticket_give_one_ok(app, db_session, soon, create_user):
    _r, token = _ticket(db_session, soon, create_user())
    point = checkin.event_checkpoint(soon)
    db_session.commit()
    results = _concurrently(app, point.id, [(token, None)] * 50, 25)
    assert sorted(set(results)) == ["already_checked_in", "ok"]
    assert results.count("ok") == 1 and results.count("already_checked_in") == 49


@pytest.mark.concurrency
def test_concurrent_retries_of_one_nonce_store_one_scan(app, db_session, soon, create_user):
    _r, token = _ticket(db_session, soon, create_user())
    point = checkin.event_checkpoint(soon)
    db_session.commit()
    results = _concurrently(app, point.id, [(token, "phone-7-42")] * 10, 10)
    assert results == ["ok"] * 10
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 1


def test_attendance_page_and_export(client, db_session, soon, create_user):
    import io

    from openpyxl import load_workbook

    from tests.conftest import login

    came, _t1 = _ticket(db_session, soon, create_user(name="张玥", mobile="13812345678"))
    _stayed, _t2 = _ticket(db_session, soon, create_user(name="李喆"))
    point = checkin.ensure_checkpoints(soon)[0]
    checkin.scan(point, tickets.ticket_token(came), device="east-door")
    checkin.scan(point, "forged")
    db_session.commit()
    login(client, create_user("organiser"))
    html = client.get(f"/console/events/{soon.id}/attendance").get_data(as_text=True)
    assert "无效凭证" in html and "east-door" in html
    [row] = checkin.attendance(soon)
    assert (row.expected, row.checked_in, row.no_shows) == (2, 1, 1)
    sheet = load_workbook(io.BytesIO(client.get(f"/console/events/{soon.id}/attendance.xlsx").data)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()][2:]
    assert [r[0] for r in rows] == ["张玥", "李喆"] and rows[0][1] == "138****5678"
    assert rows[0][3] and rows[1][3] in (None, "")


def test_manual_scan_accepts_only_registrations_of_the_checkpoints_event(db_session, soon, create_event,
                                                                         create_user, departments):
    """Every caller (web scanner, API, batch, camp lessons, studio activities) decides here: a
    registration id of another event is not_registered, names nobody and links nobody; the
    offline roster the scanner searches by name lists this event's people only."""
    admin = create_user("admin")
    lecture = agenda.save_session(admin, soon, title="创业第一课", starts_at=soon.starts_at,
                                  ends_at=soon.starts_at + timedelta(hours=1))
    elsewhere = create_event(department=departments["skills"])
    stranger = reg.register(create_user(name="外部门学员"), elsewhere)
    mine = reg.register(create_user(), soon)
    db_session.commit()
    for point in (checkin.event_checkpoint(soon), checkin.session_checkpoint(lecture)):
        decision = checkin.scan(point, None, registration_id=stranger.id)
        assert decision.result == ScanResult.NOT_REGISTERED and decision.registration is None
        assert decision.scan.registration_id is None
        assert [e[0] for e in rosters.roster(point)["entries"]] == [mine.id]
        assert checkin.scan(point, None, registration_id=mine.id).result == ScanResult.OK
    db_session.commit()
    assert stranger.id not in set(db_session.scalars(sa.select(Scan.registration_id)))


def test_a_scan_decided_at_an_explicit_time(db_session, soon, create_user):
    """`now` is the server's clock for the decision (the demo records past attendance with it):
    the scan is received then, and the device's time is judged against it, not the present."""
    registration, token = _ticket(db_session, soon, create_user())
    point = checkin.event_checkpoint(soon)
    late = soon.ends_at + timedelta(days=3)
    refused = checkin.scan(point, token, scanned_at=soon.starts_at, now=late)
    assert refused.result == ScanResult.OUTSIDE_WINDOW  # a device clock 3 days off is ignored
    assert refused.scan.scanned_at == refused.scan.received_at == late
    at = soon.starts_at - timedelta(minutes=5)
    decision = checkin.scan(point, token, scanned_at=at, now=at + timedelta(seconds=1))
    db_session.commit()
    assert decision.result == ScanResult.OK and decision.registration.id == registration.id
    stored = db.session.get(Scan, decision.scan.id)
    assert stored.scanned_at == at and stored.received_at == at + timedelta(seconds=1)
