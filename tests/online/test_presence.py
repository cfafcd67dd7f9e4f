"""Online attendance: the join link's entry goes into the one scan ledger (the online checkpoint,
the usual result codes); the heartbeat measures the stay, at most one interval and its grace per
heartbeat; attended online = at least the organiser's minutes."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.checkin.models import ScanResult
from app.timeutil import utcnow


@pytest.fixture
def beat_config(app):
    app.config.update(ONLINE_HEARTBEAT_SECONDS=60, ONLINE_HEARTBEAT_GRACE_SECONDS=20)
    return 80  # the most one heartbeat counts


def _token(registration):
    from app.registrations.join_links import join_token

    return join_token(registration)


def _online_scans(db_session, registration):
    from app.checkin.models import Checkpoint, Scan

    return [(s.direction, s.result) for s in db_session.query(Scan).join(Checkpoint)
            .filter(Scan.registration_id == registration.id, Checkpoint.kind == "online").order_by(Scan.id)]


def test_heartbeats_reach_the_organisers_threshold(db_session, live_online_event, create_registration, beat_config):
    from app.online import figures, presence

    event = live_online_event(attended_minutes=3)
    registration = create_registration(event)
    token = _token(registration)
    t0 = event.starts_at + timedelta(minutes=1)
    joined = presence.join(token, now=t0)
    assert joined.result == ScanResult.OK
    beat = None
    for n in range(1, 4):  # a heartbeat each minute: three minutes
        beat = presence.heartbeat(token, now=t0 + timedelta(seconds=60 * n))
        if n < 3:
            assert not beat.attended
    assert beat.seconds == 180 and beat.attended
    db_session.commit()
    assert figures.summary(event).online == 1
    assert figures.online_ids(event) == {registration.id}
    assert _online_scans(db_session, registration) == [("in", "ok")]


def test_a_closed_tab_earns_nothing_and_a_burst_no_more_than_time_passed(db_session, live_online_event,
                                                                         create_registration, beat_config):
    from app.online import presence

    event = live_online_event(attended_minutes=30)
    registration = create_registration(event)
    token = _token(registration)
    t0 = event.starts_at + timedelta(minutes=1)
    presence.join(token, now=t0)
    assert presence.heartbeat(token, now=t0 + timedelta(seconds=60)).seconds == 60
    # the tab was closed for forty minutes: that gap counts nothing
    assert presence.heartbeat(token, now=t0 + timedelta(minutes=41)).seconds == 60
    # a forged burst of 500 heartbeats within five seconds: five seconds
    now = t0 + timedelta(minutes=41)
    for n in range(500):
        beat = presence.heartbeat(token, now=now + timedelta(milliseconds=10 * n))
    assert beat.seconds == 64
    assert not beat.attended


def test_rejoining_after_leaving_is_a_reentry_in_the_ledger(db_session, live_online_event, create_registration,
                                                             beat_config):
    from app.online import presence

    event = live_online_event()
    registration = create_registration(event)
    token = _token(registration)
    t0 = event.starts_at + timedelta(minutes=1)
    presence.join(token, now=t0)
    assert presence.join(token, now=t0 + timedelta(seconds=30)).result == ScanResult.ALREADY_CHECKED_IN  # a 2nd tab
    presence.heartbeat(token, now=t0 + timedelta(seconds=60))
    again = presence.join(token, now=t0 + timedelta(minutes=20))  # left, back twenty minutes later
    assert again.result == ScanResult.OK
    assert _online_scans(db_session, registration) == [
        ("in", "ok"), ("in", "already_checked_in"), ("out", "ok"), ("in", "ok")]
    assert presence.heartbeat(token, now=t0 + timedelta(minutes=21)).seconds == 120


def test_not_confirmed_and_outside_the_event(db_session, live_online_event, create_registration, beat_config):
    from app.errors import Conflict
    from app.online import presence
    from app.registrations import services as reg

    event = live_online_event()
    registration = create_registration(event)
    token = _token(registration)
    t0 = event.starts_at + timedelta(minutes=1)
    presence.join(token, now=t0)
    reg.cancel(registration.user, registration)
    db_session.commit()
    with pytest.raises(Conflict) as refused:
        presence.heartbeat(token, now=t0 + timedelta(seconds=60))
    assert refused.value.code == "not_confirmed"
    assert presence.join(token, now=t0 + timedelta(minutes=2)).result == ScanResult.NOT_CONFIRMED


def test_time_after_the_end_does_not_count(db_session, live_online_event, create_registration, beat_config):
    from app.online import presence

    event = live_online_event()
    registration = create_registration(event)
    token = _token(registration)
    near_end = event.ends_at - timedelta(seconds=30)
    presence.join(token, now=near_end)
    assert presence.heartbeat(token, now=event.ends_at + timedelta(seconds=30)).seconds == 30


def test_heartbeat_endpoint(client, db_session, live_online_event, create_registration, beat_config):
    from app.registrations.join_links import join_token

    event = live_online_event()
    registration = create_registration(event)
    token = join_token(registration)
    not_yet = client.post(f"/online/j/{token}/heartbeat", json={}, headers={"Accept": "application/json"})
    assert not_yet.status_code == 409 and not_yet.json["code"] == "not_joined"
    assert client.get(f"/online/j/{token}").status_code == 200
    answer = client.post(f"/online/j/{token}/heartbeat", json={}, headers={"Accept": "application/json"})
    assert answer.status_code == 200
    assert set(answer.json) == {"seconds", "attended", "threshold_seconds"}
    assert answer.json["threshold_seconds"] == 30 * 60
    forged = client.post("/online/j/forged.token/heartbeat", json={}, headers={"Accept": "application/json"})
    assert forged.status_code == 404 and forged.json["code"] == "join_link_invalid"


def test_hybrid_counts_onsite_online_and_either_once(db_session, live_online_event, create_registration,
                                                    create_user, beat_config):
    from app.checkin import services as checkin
    from app.online import figures, presence

    event = live_online_event(attended_minutes=1)
    both, door_only, online_only, absent = (create_registration(event) for _ in range(4))
    door = checkin.event_checkpoint(event)
    t0 = event.starts_at + timedelta(minutes=1)
    for registration in (both, door_only):
        assert checkin.scan(door, None, registration_id=registration.id, now=t0).result == ScanResult.OK
    for registration in (both, online_only):
        presence.join(_token(registration), now=t0)
        presence.heartbeat(_token(registration), now=t0 + timedelta(seconds=60))
    presence.join(_token(absent), now=t0)  # joined, but left at once: not attended
    db_session.commit()
    summary = figures.summary(event)
    assert (summary.confirmed, summary.onsite, summary.joined_online, summary.online, summary.either) == (4, 2, 3, 2, 3)


def test_attendance_page_and_export_show_onsite_online_and_either(client, db_session, live_online_event,
                                                                 create_registration, login_as, beat_config):
    import io

    from openpyxl import load_workbook

    from app.checkin import services as checkin
    from app.online import presence

    event = live_online_event(attended_minutes=1)
    door_person, online_person = create_registration(event), create_registration(event)
    t0 = event.starts_at + timedelta(minutes=1)
    checkin.scan(checkin.event_checkpoint(event), None, registration_id=door_person.id, now=t0)
    presence.join(_token(online_person), now=t0)
    presence.heartbeat(_token(online_person), now=t0 + timedelta(seconds=75))
    db_session.commit()
    login_as(event.test_organiser)
    page = client.get(f"/console/events/{event.id}/attendance")
    assert 'id="attendance-online"' in page.text
    assert "<td>2</td><td>1</td><td>1</td><td>2</td>" in page.text.replace("\n", "").replace(" ", "")
    sheet = load_workbook(io.BytesIO(client.get(f"/console/events/{event.id}/attendance.xlsx").data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[1]  # under the title row
    minutes, online, either = len(header) - 3, len(header) - 2, len(header) - 1
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name[door_person.user.name][either] and not by_name[door_person.user.name][online]
    assert by_name[online_person.user.name][minutes] == 1 and by_name[online_person.user.name][online]


def test_a_link_revealed_hours_ahead_records_the_join(db_session, online_event, create_registration, beat_config):
    from app.online import presence

    start = utcnow() + timedelta(hours=2, minutes=30)
    event = online_event(starts_at=start, ends_at=start + timedelta(hours=2), reveal_minutes=180)
    registration = create_registration(event)
    joined = presence.join(_token(registration))
    assert joined.view.revealed and joined.result == ScanResult.OK


def test_an_event_holds_one_online_checkpoint(db_session, online_event):
    """Whole-event checkpoints have no session, which their unique constraint lets repeat: the
    online one is held to one per event by its own index, so two first joins cannot make two."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from app.checkin import services as checkin
    from app.checkin.models import Checkpoint

    event = online_event()
    point = checkin.online_checkpoint(event)
    assert checkin.online_checkpoint(event).id == point.id
    db_session.add(Checkpoint(event=event, session=None, name="again", kind="online"))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()
