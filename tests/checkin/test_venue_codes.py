"""Venue codes (场所码): a person checks themselves in by scanning a checkpoint's code with their own
phone — the screen's rotating code, or a printed one — through the one check-in service."""
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.checkin import self_check_in as self_service
from app.checkin import services as checkin
from app.checkin import venue_codes
from app.checkin.models import Scan, ScanResult
from app.errors import InvalidInput
from app.lifecycle import agenda
from app.timeutil import utcnow
from tests.fixtures.accounts import login


def _scans(db_session):
    return db_session.scalars(sa.select(Scan).order_by(Scan.id)).all()


def _actions(db_session):
    return db_session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()


def test_self_check_in_at_the_door_then_already_checked_in(db_session, venue):
    code = venue_codes.screen_code(venue.door)
    first = self_service.self_check_in(venue.person, code)
    db_session.commit()
    again = self_service.self_check_in(venue.person, code)
    db_session.commit()
    assert first.result == ScanResult.OK and again.result == ScanResult.ALREADY_CHECKED_IN
    rows = _scans(db_session)
    assert [(r.result, r.registration_id, r.scanner_id, r.device, r.detail["method"]) for r in rows] == [
        ("ok", venue.registration.id, venue.person.id, "self", "self"),
        ("already_checked_in", venue.registration.id, venue.person.id, "self", "self")]
    assert checkin.checked_in_count(venue.door) == 1


def test_self_check_in_at_a_session(db_session, venue, create_user):
    admin = create_user("admin")
    session = agenda.save_session(admin, venue.event, title="下午场", starts_at=venue.event.starts_at,
                                  ends_at=venue.event.ends_at)
    point = checkin.session_checkpoint(session)
    point.self_check_in = True
    db_session.commit()
    decision = self_service.self_check_in(venue.person, venue_codes.screen_code(point))
    assert decision.result == ScanResult.OK and decision.scan.checkpoint_id == point.id
    assert checkin.checked_in_count(venue.door) == 0  # the door is counted apart


def test_refused_when_the_checkpoint_does_not_allow_it(db_session, venue):
    venue.door.self_check_in = False
    db_session.commit()
    with pytest.raises(self_service.SelfCheckInOff) as refused:
        self_service.self_check_in(venue.person, venue_codes.screen_code(venue.door))
    assert refused.value.code == "self_check_in_off" and _scans(db_session) == []


def test_a_code_a_minute_old_is_expired_and_a_forged_one_invalid(db_session, venue):
    stale = venue_codes.screen_code(venue.door, at=time.time() - 61)
    with pytest.raises(venue_codes.CodeExpired) as expired:
        self_service.self_check_in(venue.person, stale)
    assert expired.value.code == "code_expired"
    fresh = venue_codes.screen_code(venue.door)
    assert venue_codes.read(fresh, at=time.time() + 29).checkpoint.id == venue.door.id  # the slot after still reads
    for forged in (fresh[:-2] + ("AA" if not fresh.endswith("AA") else "BB"), "not-a-code", "x" * 500, ""):
        with pytest.raises(InvalidInput) as invalid:
            self_service.self_check_in(venue.person, forged)
        assert invalid.value.code == "invalid_code"
    assert _scans(db_session) == []


def test_someone_without_a_place_is_not_registered(db_session, venue, create_user):
    stranger = create_user(name="路人")
    decision = self_service.self_check_in(stranger, venue_codes.screen_code(venue.door))
    db_session.commit()
    assert decision.result == ScanResult.NOT_REGISTERED
    row, = _scans(db_session)
    assert (row.result, row.registration_id, row.scanner_id) == ("not_registered", None, stranger.id)


def test_a_code_of_another_events_checkpoint_checks_in_there_only(db_session, venue, create_event, create_user):
    """The code names its checkpoint: 王堃's place at this event is no place at another one."""
    other = create_event(starts_at=venue.event.starts_at, ends_at=venue.event.ends_at, capacity=None)
    elsewhere = checkin.event_checkpoint(other)
    elsewhere.self_check_in = True
    db_session.commit()
    decision = self_service.self_check_in(venue.person, venue_codes.screen_code(elsewhere))
    assert decision.result == ScanResult.NOT_REGISTERED and decision.scan.checkpoint_id == elsewhere.id


def test_printed_code_works_in_the_window_until_reprinted(db_session, venue):
    with pytest.raises(venue_codes.CodeReplaced):  # nothing printed yet: generation 0 is no code
        venue_codes.read(venue_codes.printed_code(venue.door))
    self_service.print_anew(venue.organiser, venue.door)
    db_session.commit()
    first_print = venue_codes.printed_code(venue.door)
    assert self_service.self_check_in(venue.person, first_print).result == ScanResult.OK
    # Outside the window the scan is refused like any other (and stored as such).
    venue.door.opens_at = utcnow() + timedelta(hours=1)
    venue.door.allow_reentry = True
    db_session.commit()
    assert self_service.self_check_in(venue.person, first_print).result == ScanResult.OUTSIDE_WINDOW
    venue.door.opens_at = None
    self_service.print_anew(venue.organiser, venue.door)
    db_session.commit()
    assert venue.door.print_generation == 2
    with pytest.raises(venue_codes.CodeReplaced) as replaced:
        self_service.self_check_in(venue.person, first_print)
    assert replaced.value.code == "code_replaced"
    second_print = venue_codes.printed_code(venue.door)
    assert self_service.self_check_in(venue.person, second_print).result == ScanResult.ALREADY_CHECKED_IN
    # Back to the screen: printed codes stop working, the screen's works.
    checkin.update_checkpoint(venue.organiser, venue.door, opens_at=None, closes_at=None, allow_reentry=True,
                              admit_pending=False, venue_code="screen")
    with pytest.raises(venue_codes.CodeReplaced):
        venue_codes.read(second_print)
    assert [r.result for r in _scans(db_session)] == ["ok", "outside_window", "already_checked_in"]
    assert _actions(db_session).count("checkpoint.venue_code_print") == 2


def test_only_the_events_organisers_print(db_session, venue, create_user):
    from app.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        self_service.print_anew(create_user("organiser", department="employment"), venue.door)
    assert venue.door.print_generation == 0


# -- the pages ------------------------------------------------------------------------------
def test_phone_pages_green_amber_red_and_nothing_stored_for_a_bad_code(client, db_session, venue):
    code = venue_codes.screen_code(venue.door)
    login(client, venue.person)
    ok = client.get(f"/c/{code}")
    assert ok.status_code == 200 and 'class="verdict verdict-ok" data-result="ok"' in ok.get_data(as_text=True)
    again = client.get(f"/c/{code}").get_data(as_text=True)
    assert 'class="verdict verdict-warn" data-result="already_checked_in"' in again
    for bad in ("not-a-code", code[:-2] + ("AA" if not code.endswith("AA") else "BB"), "A" * 5000):
        refused = client.get(f"/c/{bad}")
        assert refused.status_code == 400 and 'data-result="invalid_code"' in refused.get_data(as_text=True)
    stale = client.get(f"/c/{venue_codes.screen_code(venue.door, at=time.time() - 61)}")
    assert stale.status_code == 400 and 'data-result="code_expired"' in stale.get_data(as_text=True)
    venue.door.self_check_in = False
    db_session.commit()
    off = client.get(f"/c/{code}")
    assert off.status_code == 403 and 'data-result="self_check_in_off"' in off.get_data(as_text=True)
    assert [r.result for r in _scans(db_session)] == ["ok", "already_checked_in"]


def test_anonymous_signs_in_then_is_checked_in(client, db_session, venue):
    code = venue_codes.screen_code(venue.door)
    first = client.get(f"/c/{code}")
    assert first.status_code == 302 and "/login?next=/c/" in first.headers["Location"]
    assert _scans(db_session) == []
    login(client, venue.person)
    done = client.get(f"/c/{code}")
    assert done.status_code == 200 and 'data-result="ok"' in done.get_data(as_text=True)


def test_a_code_read_before_signing_in_is_honoured_for_a_while(client, db_session, venue):
    """Signing in can take longer than the code lives: the moment it was first read counts."""
    read_at = time.time() - 200
    old = venue_codes.screen_code(venue.door, at=read_at)
    login(client, venue.person)
    with client.session_transaction() as session:
        session["venue_code_seen"] = {"code": old, "at": read_at}
    assert 'data-result="ok"' in client.get(f"/c/{old}").get_data(as_text=True)
    too_old = time.time() - 1000
    with client.session_transaction() as session:
        session["venue_code_seen"] = {"code": venue_codes.screen_code(venue.door, at=too_old), "at": too_old}
    assert client.get(f"/c/{venue_codes.screen_code(venue.door, at=too_old)}").status_code == 400
    # a remembered moment is for its own code only
    with client.session_transaction() as session:
        session["venue_code_seen"] = {"code": "another", "at": read_at}
    assert client.get(f"/c/{old}").status_code == 400


def test_screen_poster_and_rules_for_the_organiser_only(client, db_session, venue, create_user):
    outsider = create_user("organiser", department="employment")
    login(client, outsider)
    base = f"/console/checkpoints/{venue.door.id}"
    assert client.get(f"{base}/screen").status_code == 403
    assert client.post(f"{base}/poster").status_code == 403
    client.post("/logout")
    login(client, venue.organiser)
    screen = client.get(f"{base}/screen")
    assert screen.status_code == 200 and 'data-testid="projector-notice" role="alert" hidden>' in screen.get_data(
        as_text=True)
    data = client.get(f"{base}/screen.json").json
    assert data["expected"] == 1 and data["arrived"] == 0 and "<svg" in data["svg"]
    assert data["url"].endswith("/c/" + data["code"]) and venue_codes.read(data["code"]).checkpoint.id == venue.door.id
    attendance_page = client.get(f"/console/events/{venue.event.id}/attendance").get_data(as_text=True)
    assert f"{base}/screen" in attendance_page and f"{base}/poster" in attendance_page
    assert "venue-poster-qr" not in client.get(f"{base}/poster").get_data(as_text=True)  # nothing printed yet
    printed = client.post(f"{base}/poster")
    assert printed.status_code == 302
    poster = client.get(f"{base}/poster").get_data(as_text=True)
    assert "venue-poster-qr" in poster and "请登录后用手机微信扫码" in poster and venue.event.title in poster
    # The rules: turning self check-in off is audited, and the screen says scans are refused now.
    client.post(base, data={"allow_reentry": "y", "venue_code": "screen"})
    db_session.refresh(venue.door)
    assert not venue.door.self_check_in and venue.door.venue_code == "screen"
    assert client.get(f"{base}/screen.json").json["notice"]
    client.post(base, data={"allow_reentry": "y", "venue_code": "print", "self_check_in": "y"})
    db_session.refresh(venue.door)
    assert venue.door.self_check_in and venue.door.venue_code == "print"
    assert client.post(base, data={"venue_code": "paper"}).status_code == 200  # not a choice: the form again
    actions = _actions(db_session)
    assert [a for a in actions if a.startswith("checkpoint.self") or a.endswith("print")] == [
        "checkpoint.venue_code_print", "checkpoint.self_check_in_off", "checkpoint.self_check_in_on"]


def test_the_scanner_api_tells_whether_self_check_in_is_allowed(client, db_session, venue):
    from app.checkin import links

    _link, secret = links.create_link(venue.organiser, venue.event, label="北门", hours=2)
    db_session.commit()
    setup = client.get("/api/v1/scanner", headers={"Authorization": f"Bearer {secret}"}).json
    assert [c["self_check_in"] for c in setup["checkpoints"]] == [True]


@pytest.mark.parametrize("checkpoint_id", [2 ** 32 - 1, 2 ** 31, 0])
def test_a_signed_code_naming_no_possible_checkpoint_is_invalid_not_a_crash(db_session, venue, checkpoint_id):
    from app import base64url

    payload = venue_codes._CODE.pack(1, checkpoint_id, venue_codes.slot())
    with pytest.raises(venue_codes.InvalidCode):
        venue_codes.read(base64url.encode(payload + venue_codes._mac(payload)))
