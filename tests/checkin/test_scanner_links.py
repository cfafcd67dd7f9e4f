"""Scanner links (volunteers scan without an account), manual check-in by name, checkpoint rules,
offline conflicts in the console and the live check-in wall."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.checkin import links
from app.checkin import services as checkin
from app.checkin.models import Scan, ScannerLink
from app.errors import InvalidInput, PermissionDenied
from app.registrations import services as reg
from app.tickets import services as tickets
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.accounts import api_headers


@pytest.fixture
def venue(db_session, create_event, create_user):
    """A published event starting in an hour with one agenda session and two confirmed people."""
    from app.lifecycle.agenda import save_session

    organiser = create_user("organiser")
    start = utcnow() + timedelta(hours=1)
    event = create_event(title="2026人才闵行周·开幕式", starts_at=start, ends_at=start + timedelta(hours=3))
    save_session(organiser, event, title="圆桌论坛", starts_at=start + timedelta(hours=1),
                 ends_at=start + timedelta(hours=2))
    main, session_point = checkin.ensure_checkpoints(event)
    people = [reg.register(create_user(name=name, mobile=mobile), event)
              for name, mobile in (("张玥", "13900001234"), ("李喆", "13900005678"))]
    db_session.commit()
    return {"event": event, "organiser": organiser, "main": main, "session": session_point, "people": people}


def _bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_link_scans_at_its_event_only_and_nothing_else(client, db_session, venue, create_event):
    link, secret = links.create_link(venue["organiser"], venue["event"], label="北门 · 小王", hours=6,
                                     checkpoint=venue["main"])
    db_session.commit()
    assert db_session.get(ScannerLink, link.id).token_hash != secret and secret.startswith("scan_")
    setup = client.get("/api/v1/scanner", headers=_bearer(secret))
    assert setup.status_code == 200
    assert setup.json["label"] == "北门 · 小王" and setup.json["event"]["id"] == venue["event"].id
    assert [c["id"] for c in setup.json["checkpoints"]] == [venue["main"].id]  # bound to one checkpoint

    token = tickets.ticket_token(venue["people"][0])
    scan = client.post("/api/v1/checkins", json={"token": token, "checkpoint": venue["main"].id},
                       headers=_bearer(secret))
    assert scan.status_code == 200 and scan.json["result"] == "ok"
    row = db_session.scalar(sa.select(Scan))
    assert row.scanner_link_id == link.id and row.scanner_id is None

    # The other checkpoint of the same event, another event, and every non-check-in endpoint: refused.
    assert client.post("/api/v1/checkins", json={"token": token, "checkpoint": venue["session"].id},
                       headers=_bearer(secret)).status_code == 403
    other = create_event()
    other_point = checkin.event_checkpoint(other)
    db_session.commit()
    assert client.get(f"/api/v1/checkpoints/{other_point.id}/roster", headers=_bearer(secret)).status_code == 403
    assert client.get("/api/v1/me/registrations", headers=_bearer(secret)).status_code == 401
    assert client.post("/api/v1/events", json={}, headers=_bearer(secret)).status_code == 401
    assert client.get(f"/api/v1/events/{venue['event'].id}/registrations",
                      headers=_bearer(secret)).status_code == 401


def test_event_wide_link_sees_every_checkpoint_and_stats(client, db_session, venue):
    _link, secret = links.create_link(venue["organiser"], venue["event"], label="志愿者", hours=2)
    db_session.commit()
    setup = client.get("/api/v1/scanner", headers=_bearer(secret)).json
    assert [c["id"] for c in setup["checkpoints"]] == [venue["main"].id, venue["session"].id]
    stats = client.get(f"/api/v1/checkpoints/{venue['main'].id}/stats", headers=_bearer(secret)).json
    assert stats == {"checkpoint": venue["main"].id, "expected": 2, "checked_in": 0}
    roster = client.get(f"/api/v1/checkpoints/{venue['session'].id}/roster", headers=_bearer(secret))
    assert roster.status_code == 200 and len(roster.json["entries"]) == 2


def test_revoked_and_expired_links_stop_at_once(client, db_session, venue):
    link, secret = links.create_link(venue["organiser"], venue["event"], label="南门", hours=1)
    expired, old_secret = links.create_link(venue["organiser"], venue["event"], label="昨天", hours=1)
    expired.expires_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    assert client.get("/api/v1/scanner", headers=_bearer(secret)).status_code == 200
    links.revoke_link(venue["organiser"], link)
    db_session.commit()
    for bad in (secret, old_secret, "scan_" + "x" * 32):
        response = client.get("/api/v1/scanner", headers=_bearer(bad))
        assert response.status_code == 401 and response.json["code"] == "unauthenticated"
    token = tickets.ticket_token(venue["people"][0])
    assert client.post("/api/v1/checkins", json={"token": token, "checkpoint": venue["main"].id},
                       headers=_bearer(secret)).status_code == 401
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 0
    actions = db_session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions.count("scanner_link.create") == 2 and actions.count("scanner_link.revoke") == 1


def test_only_the_events_organisers_make_links_and_bad_input_changes_nothing(db_session, venue, create_user,
                                                                            create_event):
    outsider = create_user("organiser", department="skills")
    with pytest.raises(PermissionDenied):
        links.create_link(outsider, venue["event"], label="x", hours=2)
    for label, hours in (("", 2), ("x" * 81, 2), ("ok", 0), ("ok", links.MAX_HOURS + 1)):
        with pytest.raises(InvalidInput):
            links.create_link(venue["organiser"], venue["event"], label=label, hours=hours)
    foreign = checkin.event_checkpoint(create_event())
    with pytest.raises(InvalidInput) as error:
        links.create_link(venue["organiser"], venue["event"], label="ok", hours=2, checkpoint=foreign)
    assert "checkpoint_id" in error.value.fields
    db_session.rollback()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ScannerLink)) == 0


def test_user_token_setup_is_refused_but_checkins_work(client, db_session, venue):
    headers = api_headers(client, venue["organiser"])
    assert client.get("/api/v1/scanner", headers=headers).json["code"] == "not_a_scanner_link"
    token = tickets.ticket_token(venue["people"][1])
    response = client.post("/api/v1/checkins", json={"token": token, "checkpoint": venue["main"].id},
                           headers=headers)
    assert response.json["result"] == "ok"
    assert db_session.scalar(sa.select(Scan.scanner_id)) == venue["organiser"].id


def test_manual_checkin_by_registration_picked_from_the_list(client, db_session, venue, create_event,
                                                             create_user):
    _link, secret = links.create_link(venue["organiser"], venue["event"], label="服务台", hours=2)
    db_session.commit()
    person = venue["people"][0]
    body = {"registration": person.id, "checkpoint": venue["main"].id, "nonce": "manual-1"}
    first = client.post("/api/v1/checkins", json=body, headers=_bearer(secret)).json
    assert first["result"] == "ok" and first["attendee"]["name"] == "张玥"
    assert client.post("/api/v1/checkins", json=dict(body, nonce="manual-2"),
                       headers=_bearer(secret)).json["result"] == "already_checked_in"
    stranger = reg.register(create_user(), create_event())
    db_session.commit()
    assert client.post("/api/v1/checkins", json=dict(body, registration=stranger.id, nonce="m-3"),
                       headers=_bearer(secret)).json["result"] == "not_registered"
    assert client.post("/api/v1/checkins", json=dict(body, registration=999999, nonce="m-4"),
                       headers=_bearer(secret)).json["result"] == "not_registered"
    both = client.post("/api/v1/checkins", json=dict(body, token="abc", nonce="m-5"), headers=_bearer(secret))
    assert both.status_code == 422 and "registration" in both.json["fields"]
    rows = db_session.scalars(sa.select(Scan).order_by(Scan.id)).all()
    assert [r.detail.get("method") for r in rows] == ["manual"] * 4


def test_checkpoint_rules_form(client, db_session, venue):
    login(client, venue["organiser"])
    point = venue["main"]
    page = client.get(f"/console/checkpoints/{point.id}")
    assert page.status_code == 200
    bad = client.post(f"/console/checkpoints/{point.id}", data={
        "opens_at": "2026-05-18T10:00", "closes_at": "2026-05-18T09:00", "allow_reentry": "y"})
    assert bad.status_code == 200 and 'class="error"' in bad.get_data(as_text=True)
    db_session.refresh(point)
    assert point.opens_at is None and point.allow_reentry is True
    saved = client.post(f"/console/checkpoints/{point.id}", data={
        "opens_at": "2026-05-18T08:00", "closes_at": "2026-05-18T12:00", "admit_pending": "y"})
    assert saved.status_code == 302
    db_session.refresh(point)
    assert point.allow_reentry is False and point.admit_pending is True
    assert point.opens_at.isoformat() == "2026-05-18T00:00:00+00:00"  # 08:00 in Shanghai


def test_console_links_page_shows_the_secret_once(client, db_session, venue):
    login(client, venue["organiser"])
    created = client.post(f"/console/events/{venue['event'].id}/scanners",
                          data={"label": "东门", "checkpoint_id": "0", "hours": "8"})
    assert created.status_code == 302
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "/scan/#k=scan_" in page and '<img class="qr-image" id="scanner-link-qr" src="data:image/png;base64,' in page
    secret = page.split("#k=")[1].split('"')[0]
    assert client.get("/api/v1/scanner", headers=_bearer(secret)).status_code == 200
    again = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "#k=" not in again  # only a hash is kept
    invalid = client.post(f"/console/events/{venue['event'].id}/scanners",
                          data={"label": "", "checkpoint_id": "0", "hours": "8"})
    assert invalid.status_code == 200
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ScannerLink)) == 1

    own = client.post(f"/console/events/{venue['event'].id}/scanner")
    assert own.status_code == 302 and "/scan/#k=scan_" in own.headers["Location"]
    link = db_session.scalar(sa.select(ScannerLink).order_by(ScannerLink.id.desc()))
    client.post(f"/console/scanner-links/{link.id}/revoke")
    db_session.refresh(link)
    assert link.revoked_at is not None


def test_conflicts_are_kept_and_listed_in_the_console(client, db_session, venue):
    point = venue["main"]
    token = tickets.ticket_token(venue["people"][0])
    earlier = utcnow() - timedelta(minutes=3)
    checkin.scan(point, token, scanned_at=earlier, nonce="a", device="north-phone")
    late = checkin.scan(point, token, scanned_at=earlier + timedelta(seconds=20), nonce="b", device="south-phone")
    db_session.commit()
    assert checkin.is_conflict(late) and late.scan.detail["conflict_with"]
    online_repeat = checkin.scan(point, token, device="south-phone", nonce="c")  # a live re-scan: no conflict
    db_session.commit()
    assert not checkin.is_conflict(online_repeat)
    assert [s.nonce for s in checkin.conflicts(venue["event"])] == ["b"]
    login(client, venue["organiser"])
    page = client.get(f"/console/events/{venue['event'].id}/attendance").get_data(as_text=True)
    assert "south-phone" in page and "north-phone" in page and "张玥" in page


@pytest.mark.parametrize("setting, shown", [("masked", "张*"), ("full", "张玥"), ("hidden", "")])
def test_wall_counts_buckets_and_names(client, db_session, venue, setting, shown):
    event = venue["event"]
    event.wall_names = setting
    point = venue["main"]
    opens, _closes = checkin.window(point)
    checkin.scan(point, tickets.ticket_token(venue["people"][0]), scanned_at=opens + timedelta(minutes=12))
    checkin.scan(point, tickets.ticket_token(venue["people"][1]), scanned_at=opens + timedelta(minutes=15))
    db_session.commit()
    login(client, venue["organiser"])
    data = client.get(f"/console/events/{event.id}/wall.json").json
    assert data["counts"][0] == {"checkpoint": point.id, "name": point.name, "session": None,
                                 "expected": 2, "checked_in": 2}
    assert sum(b["count"] for b in data["buckets"]) == 2
    names = [r["name"] for r in data["recent"]]
    if setting == "masked":
        assert all("玥" not in n and "喆" not in n for n in names)
    assert names[1] == shown
    page = client.get(f"/console/events/{event.id}/wall")
    assert page.status_code == 200 and "chart.umd.min.js" in page.get_data(as_text=True)


def test_wall_buckets_are_ten_minute_local_slots():
    from collections import Counter
    from datetime import datetime, timezone

    from app.checkin.wall import _bucket_start, arrivals_per_bucket

    utc = timezone.utc
    opens = datetime(2026, 5, 18, 0, 0, tzinfo=utc)     # 08:00 in Shanghai
    closes = datetime(2026, 5, 18, 4, 0, tzinfo=utc)
    arrivals = Counter(_bucket_start(datetime(2026, 5, 18, 0, m, tzinfo=utc)) for m in (1, 9, 10, 31))
    buckets = arrivals_per_bucket(arrivals, opens, closes, now=datetime(2026, 5, 18, 0, 45, tzinfo=utc))
    assert [(b["label"], b["count"]) for b in buckets] == [
        ("08:00", 2), ("08:10", 1), ("08:20", 0), ("08:30", 1), ("08:40", 0)]
    after = arrivals_per_bucket(arrivals, opens, closes, now=datetime(2026, 5, 19, tzinfo=utc))
    assert after[-1]["label"] == "08:30"  # after closing: up to the last arrival only
    assert arrivals_per_bucket({}, opens, closes, now=datetime(2026, 5, 19, tzinfo=utc)) == []


def test_scanner_page_and_service_worker_are_public_and_static(client):
    page = client.get("/scan/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "jsQR.js" in html and "ed25519.min.js" in html
    assert '"api": "/api/v1"' in html and "%(n)s" in html  # placeholders left for the script
    worker = client.get("/scan/sw.js")
    assert worker.status_code == 200 and "javascript" in worker.mimetype
    for vendored in ("jsqr-1.4.0/jsQR.js", "jsqr-1.4.0/LICENSE", "noble-ed25519-3.2.0/ed25519.min.js",
                     "noble-ed25519-3.2.0/LICENSE-noble-ed25519", "chartjs-4.6.1/LICENSE.md"):
        assert client.get(f"/static/vendor/{vendored}").status_code == 200
