"""Check-in pages flat in the data (issue 19): every page and API list of the check-in area issues
as many statements with 200 registrants and their scans as with 10; first entries and counts
come from SQL, and agree with the scans they are read from."""
from collections import Counter
from datetime import timedelta
from itertools import count

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.checkin import venue_codes, wall
from app.checkin import self_check_in as self_service
from app.checkin import services as checkin
from app.checkin.models import Scan, ScannerLink
from app.registrations.models import Registration
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.accounts import api_token

_numbers = count(1)


@pytest.fixture
def hall(db_session, create_event, create_user):
    """An event under way (started half an hour ago) with an agenda session and its checkpoint, an
    organiser signed in elsewhere, and `add(n)`: n more confirmed registrants, in bulk, with the
    scans a door sees (entries, exits and re-entries, repeats refused, a few offline conflicts,
    forged tickets) and entries at the session."""
    from app.lifecycle.agenda import save_session

    organiser = create_user("organiser", name="组织者")
    start = utcnow() - timedelta(minutes=30)
    event = create_event(title="人才闵行周·主论坛", starts_at=start, ends_at=start + timedelta(hours=3), capacity=None)
    save_session(organiser, event, title="分论坛", starts_at=start, ends_at=start + timedelta(hours=1))
    main, room = checkin.ensure_checkpoints(event)
    db_session.commit()

    def add(n: int) -> None:
        now = utcnow()
        numbers = [next(_numbers) for _ in range(n)]
        users = db_session.execute(sa.insert(User).returning(User.id, sort_by_parameter_order=True), [
            {"name": f"来宾{k:04d}", "mobile": f"136{k:08d}", "employer": f"单位{k % 7}", "password_hash": "x",
             "active": True, "created_at": now} for k in numbers]).scalars().all()
        regs = db_session.execute(sa.insert(Registration).returning(Registration.id, sort_by_parameter_order=True), [
            {"event_id": event.id, "user_id": uid, "status": "confirmed", "created_at": now, "queued_at": now,
             "status_changed_at": now, "ticket_secret": f"s{uid}", "ticket_generation": 1}
            for uid in users]).scalars().all()
        scans = []

        def scan(point, rid, minutes, direction="in", result="ok", device="north", **detail):
            at = now - timedelta(minutes=minutes)
            scans.append({"checkpoint_id": point.id, "registration_id": rid, "direction": direction, "result": result,
                          "scanned_at": at, "received_at": at, "device": device, "nonce": f"n{next(_numbers)}",
                          "detail": detail or {"method": "qr"}})

        for k, rid in zip(numbers, regs):
            if k % 10 == 0:
                continue  # a no-show
            scan(main, rid, 40 + k % 60)
            if k % 3 == 0:
                scan(main, rid, 20, direction="out")
                scan(main, rid, 10)
            if k % 4 == 0:
                scan(main, rid, 5, result="already_checked_in", device="south",
                     **({"conflict_with": rid, "first_device": "north"} if k % 8 == 0 else {}))
            if k % 2 == 0:
                scan(room, rid, 15)
            if k % 9 == 0:
                scan(main, None, 1, result="invalid", reason="bad_signature")
        db_session.execute(sa.insert(Scan), scans)
        db_session.commit()
        db_session.expire_all()  # the pages read what they need, not what this session holds

    return {"event": event, "main": main, "room": room, "organiser": organiser, "add": add}


# -- console pages ------------------------------------------------------------
@pytest.mark.parametrize("page", ["attendance", "attendance.xlsx", "wall", "wall.json"])
def test_console_attendance_pages_are_flat(client, flat_in_rows, hall, page):
    login(client, hall["organiser"])
    flat_in_rows(client, f"/console/events/{hall['event'].id}/{page}", add=hall["add"])


def test_attendance_page_names_everyone_it_lists(client, hall):
    hall["add"](16)
    login(client, hall["organiser"])
    html = client.get(f"/console/events/{hall['event'].id}/attendance").get_data(as_text=True)
    flagged = checkin.conflicts(hall["event"])
    conflicts, log = html.split("<h2>")[1:3]  # the offline conflicts, then the scan log
    assert flagged and all(s.detail["conflict_with"] for s in flagged)
    assert [row.split("</td>")[0] for row in conflicts.split("<tr><td>")[1:]] == [
        s.registration.user.name for s in flagged]
    named = [s for s in checkin.scan_log(hall["event"]) if s.registration_id]
    assert log.count("<td>来宾") == len(named) and "<td>—" in log  # a forged ticket names nobody


@pytest.mark.parametrize("page", ["screen", "screen.json"])
def test_venue_screen_is_flat(client, flat_in_rows, hall, page):
    login(client, hall["organiser"])
    flat_in_rows(client, f"/console/checkpoints/{hall['main'].id}/{page}", add=hall["add"])


def test_scanner_links_page_is_flat_in_links(client, flat_in_rows, db_session, hall):
    def add(n):
        now = utcnow()
        db_session.execute(sa.insert(ScannerLink), [
            {"event_id": hall["event"].id, "checkpoint_id": hall["main"].id if k % 2 else None, "label": f"门{k}",
             "token_hash": f"h{next(_numbers)}", "created_by_id": hall["organiser"].id, "created_at": now,
             "expires_at": now + timedelta(hours=k % 3 - 1)} for k in range(n)])
        db_session.commit()
        db_session.expire_all()

    login(client, hall["organiser"])
    flat_in_rows(client, f"/console/events/{hall['event'].id}/scanners", add=add)


def test_self_check_in_page_is_flat_in_the_scans_there(client, flat_in_rows, db_session, hall, create_user):
    from app.registrations import services as reg

    person = create_user(name="王堃")
    reg.register(person, hall["event"])
    hall["main"].self_check_in = True
    self_service.print_anew(hall["organiser"], hall["main"])
    db_session.commit()
    code = venue_codes.printed_code(hall["main"])
    login(client, person)
    flat_in_rows(client, f"/c/{code}", add=hall["add"])


# -- the scanners' API --------------------------------------------------------
@pytest.mark.parametrize("what", ["roster", "stats"])
def test_scanner_roster_and_stats_are_flat(client, flat_in_rows, hall, what):
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, hall['organiser'])}"
    flat_in_rows(client, f"/api/v1/checkpoints/{hall['main'].id}/{what}", add=hall["add"])


# -- what the pages read, read right -------------------------------------------
def _python_firsts(db_session, point):
    """What first_entries used to compute: the lowest-id accepted entry of each registration."""
    firsts = {}
    for s in db_session.scalars(sa.select(Scan).where(Scan.checkpoint_id == point.id, Scan.result == "ok",
                                                      Scan.direction == "in").order_by(Scan.id)):
        firsts.setdefault(s.registration_id, s)
    return firsts


def test_first_entries_counts_and_slots_agree_with_the_scans(db_session, hall):
    hall["add"](60)
    for point in (hall["main"], hall["room"]):
        expected = _python_firsts(db_session, point)
        firsts = checkin.first_entries(point)
        assert {rid: (f.id, f.scanned_at) for rid, f in firsts.items()} == {
            rid: (s.id, s.scanned_at) for rid, s in expected.items()}
        assert all(f.registration_id == rid for rid, f in firsts.items())
        assert checkin.entered_ids(point) == sorted(expected)
        summary = checkin.checkpoint_attendance(point)
        may_come = checkin.expected_ids(point)
        assert (summary.expected, summary.checked_in) == (len(may_come), len(set(expected) & may_come))
    main = _python_firsts(db_session, hall["main"])
    assert wall.arrival_counts(hall["main"], utcnow()) == Counter(
        wall._bucket_start(s.scanned_at) for s in main.values())
    latest = sorted(main.values(), key=lambda s: s.scanned_at, reverse=True)[:wall.RECENT]
    assert [at for _name, at in wall.latest_arrivals(hall["main"])] == [s.scanned_at for s in latest]


def test_attendance_sheet_has_each_first_entry_time(db_session, hall):
    from app.checkin.exports import attendance_rows
    from app.timeutil import fmt

    hall["add"](12)
    header, rows = attendance_rows(hall["event"])
    rows = list(rows)
    assert header[3:] == [hall["main"].name, hall["room"].name] and len(rows) == 12
    firsts = [checkin.first_entries(p) for p in (hall["main"], hall["room"])]
    regs = db_session.scalars(sa.select(Registration).where(Registration.event_id == hall["event"].id)
                              .order_by(Registration.id)).all()
    for registration, row in zip(regs, rows):
        assert row[:3] == [registration.user.name, registration.user.mobile_masked, registration.user.employer]
        assert row[3:] == [fmt(f[registration.id].scanned_at, "%H:%M") if registration.id in f else "" for f in firsts]
    assert any(not row[3] for row in rows) and any(row[4] for row in rows)

