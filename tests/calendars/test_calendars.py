from datetime import timedelta

import icalendar

from app.accounts import services as accounts
from app.events.models import Series
from app.lifecycle import agenda
from app.lifecycle import services as lifecycle
from app.registrations import services as reg
from tests.conftest import login


def _parse(response):
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def _events(cal):
    return {str(c["uid"]): c for c in cal.walk("VEVENT")}


def test_event_ics_has_agenda_stable_uids_and_shanghai_time(client, db_session, create_event, create_user):
    event = create_event(title="人才闵行周·开幕式")
    agenda.save_session(create_user("admin"), event, title="主旨演讲", starts_at=event.starts_at,
                        ends_at=event.starts_at + timedelta(hours=1), room="大礼堂")
    db_session.commit()
    first = _events(_parse(client.get(f"/calendar/events/{event.id}.ics")))
    second = _events(_parse(client.get(f"/calendar/events/{event.id}.ics")))
    assert set(first) == set(second) == {event.calendar_uid, event.sessions[0].calendar_uid}
    main = first[event.calendar_uid]
    assert str(main["summary"]) == "人才闵行周·开幕式" and str(main["status"]) == "CONFIRMED"
    start = main.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Shanghai" and start == event.starts_at.replace(microsecond=0)
    assert b"BEGIN:VTIMEZONE" in client.get(f"/calendar/events/{event.id}.ics").data


def test_cancelled_event_is_marked_cancelled(client, db_session, create_event, create_user):
    event = create_event()
    lifecycle.cancel_event(create_user("admin"), event)
    db_session.commit()
    cal = _events(_parse(client.get(f"/calendar/events/{event.id}.ics")))
    assert str(cal[event.calendar_uid]["status"]) == "CANCELLED"


def test_series_feed(client, db_session, create_event):
    series = Series(slug="haiju-yingcai", name="海聚英才")
    db_session.add(series)
    db_session.commit()
    a, b = create_event(series=series), create_event(series=series)
    create_event(series=series, status="draft")
    create_event()
    cal = _events(_parse(client.get("/calendar/series/haiju-yingcai.ics")))
    assert set(cal) == {a.calendar_uid, b.calendar_uid}


def test_personal_feed_is_secret_revocable_and_tracks_cancellations(app, client, db_session, create_event,
                                                                     create_user):
    user = create_user()
    kept, dropped, waiting_full = create_event(), create_event(), create_event(capacity=1)
    reg.register(user, kept)
    r_dropped = reg.register(user, dropped)
    reg.register(create_user(), waiting_full)
    reg.register(user, waiting_full)  # waitlisted: not in the feed
    reg.cancel(user, r_dropped)
    token = accounts.calendar_token(user)
    db_session.commit()
    visitor = app.test_client()
    cal = _events(_parse(visitor.get(f"/calendar/feed/{token}.ics")))
    assert set(cal) == {kept.calendar_uid, dropped.calendar_uid}
    assert str(cal[kept.calendar_uid]["status"]) == "CONFIRMED"
    assert str(cal[dropped.calendar_uid]["status"]) == "CANCELLED"

    login(client, user)
    assert client.post("/me/calendar/reset").status_code == 302
    assert visitor.get(f"/calendar/feed/{token}.ics").status_code == 404
    db_session.refresh(user)
    assert visitor.get(f"/calendar/feed/{user.calendar_token}.ics").status_code == 200
