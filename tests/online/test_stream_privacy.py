"""The stream link (and access code) reach only a confirmed registrant, only from the reveal time,
only on their own join page, API answer and calendar feed — never a public page, the public event
or series .ics, the API's event document, a waitlisted or cancelled person, or anyone before the
reveal time."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.timeutil import utcnow
from tests.fixtures.accounts import api_headers
from tests.fixtures.online import ACCESS_CODE, STREAM

SECRETS = (STREAM, ACCESS_CODE, "secret-stream-4711")


def _join_path(registration) -> str:
    from app.registrations.join_links import join_token

    return f"/online/j/{join_token(registration)}"


def _free_of_stream(body: bytes | str) -> None:
    text = body.decode() if isinstance(body, bytes) else body
    for secret in SECRETS:
        assert secret not in text


def test_confirmed_registrant_sees_stream_after_reveal(client, live_online_event, create_registration):
    event = live_online_event()
    registration = create_registration(event)
    page = client.get(_join_path(registration))
    assert page.status_code == 200
    assert STREAM in page.text and ACCESS_CODE in page.text
    assert page.headers["Cache-Control"] == "private, no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_public_pages_api_and_public_feeds_never_carry_stream(client, db_session, live_online_event,
                                                              create_registration, create_user):
    from app.events.models import Series

    series = Series(slug="zhibo-2026", name="直播带岗 2026")
    db_session.add(series)
    db_session.commit()
    event = live_online_event(series_id=series.id)
    registration = create_registration(event)
    join = _join_path(registration)
    for path in (f"/events/{event.id}", "/", "/series/zhibo-2026", f"/calendar/events/{event.id}.ics",
                 "/calendar/series/zhibo-2026.ics", f"/api/v1/events/{event.id}", "/api/v1/events?upcoming=0"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.text.replace("\r\n ", "")  # calendar lines unfolded
        _free_of_stream(text)
        assert join.split("/")[-1] not in text, path  # nor anyone's join link
    # a signed-in stranger (not registered) neither, on the page nor through the online API
    stranger = create_user()
    headers = api_headers(client, stranger)
    assert client.get(f"/api/v1/events/{event.id}/online", headers=headers).status_code == 404
    _free_of_stream(client.get(f"/api/v1/events/{event.id}", headers=headers).data)


def test_not_before_reveal_time(client, online_event, create_registration):
    start = utcnow() + timedelta(minutes=45)
    event = online_event(starts_at=start, ends_at=start + timedelta(hours=2), reveal_minutes=30)
    registration = create_registration(event)
    page = client.get(_join_path(registration))
    assert page.status_code == 200
    _free_of_stream(page.data)
    assert 'id="online-countdown"' in page.text
    headers = api_headers(client, registration.user)
    answer = client.get(f"/api/v1/events/{event.id}/online", headers=headers).json
    assert answer["confirmed"] is True and answer["revealed"] is False
    assert answer["stream_url"] is None and answer["access_code"] is None
    _free_of_stream(str(answer))


@pytest.mark.parametrize("state", ["waitlisted", "cancelled", "pending"])
def test_not_for_waitlisted_cancelled_or_pending(client, db_session, live_online_event, create_registration,
                                                 create_user, state):
    from app.checkin.models import Scan, ScanResult
    from app.registrations import services as reg

    if state == "waitlisted":
        event = live_online_event(capacity=1)
        create_registration(event)
        registration = create_registration(event)
    elif state == "pending":
        event = live_online_event(requires_approval=True)
        registration = create_registration(event)
    else:
        event = live_online_event()
        registration = create_registration(event)
        path_before_cancel = _join_path(registration)
        reg.cancel(registration.user, registration)
        db_session.commit()
        assert client.get(path_before_cancel).status_code == 200
    assert registration.status == state
    page = client.get(_join_path(registration))
    assert page.status_code == 200
    _free_of_stream(page.data)
    assert 'id="online-refused"' in page.text
    refused = db_session.query(Scan).filter_by(registration_id=registration.id).all()
    assert [s.result for s in refused] == [ScanResult.NOT_CONFIRMED.value] * (2 if state == "cancelled" else 1)
    answer = client.get(f"/api/v1/events/{event.id}/online", headers=api_headers(client, registration.user)).json
    assert answer["stream_url"] is None and answer["join_url"] is None
    _free_of_stream(str(answer))
    # their own calendar feed carries no join link either
    from app.accounts.services import calendar_token

    token = calendar_token(registration.user)
    db_session.commit()
    feed = client.get(f"/calendar/feed/{token}.ics")
    assert "/online/j/" not in feed.text.replace("\r\n ", "")


def test_personal_feed_has_own_join_link_not_stream(client, db_session, live_online_event, create_registration):
    from app.accounts.services import calendar_token

    event = live_online_event()
    registration = create_registration(event)
    token = calendar_token(registration.user)
    db_session.commit()
    feed = client.get(f"/calendar/feed/{token}.ics").text.replace("\r\n ", "")  # unfolded
    assert _join_path(registration) in feed
    _free_of_stream(feed)


def test_forged_or_stale_join_link_is_refused(client, db_session, live_online_event, create_registration):
    from app.tickets import services as tickets

    event = live_online_event()
    registration = create_registration(event)
    old = _join_path(registration)
    tickets.reset(registration)  # a new ticket: a new join link, the old one is worthless
    db_session.commit()
    for path in (old, old[:-3] + "abc", "/online/j/" + "x" * 200, "/online/j/WzEsMV0.forged"):
        response = client.get(path)
        assert response.status_code == 404, path
        _free_of_stream(response.data)
    assert STREAM in client.get(_join_path(registration)).text


def test_ticket_page_and_confirmation_mail_carry_join_link(client, db_session, live_online_event,
                                                          create_registration):
    from app.notifications.models import OutboxMessage
    from app.notifications.services import message_body

    event = live_online_event()
    registration = create_registration(event)
    ticket = client.get(f"/t/{registration.ticket_secret}")
    assert _join_path(registration) in ticket.text
    _free_of_stream(ticket.data)
    mail = db_session.query(OutboxMessage).filter_by(registration_id=registration.id, kind="confirmed").one()
    assert _join_path(registration) in message_body(mail)


def test_join_and_invitation_links_are_masked_in_logs():
    from app.privacy import mask_private_urls

    line = '"GET /online/j/WzEsMV0.abcDEF HTTP/1.1" 200 "POST /online/j/WzEsMV0.abcDEF/heartbeat" "/online/i/k7mw3qpz"'
    masked = mask_private_urls(line)
    assert "WzEsMV0" not in masked and "k7mw3qpz" not in masked
    assert "/online/j/***/heartbeat" in masked


def test_a_seat_at_an_online_event_brings_the_join_link_to_the_inbox_and_by_sms(db_session, live_online_event,
                                                                                  create_registration, create_event):
    from app.notifications.models import InboxMessage
    from app.notifications.sms.models import SmsMessage

    registration = create_registration(live_online_event())
    link = _join_path(registration)
    inbox = db_session.query(InboxMessage).filter_by(user_id=registration.user_id, kind="confirmed").one()
    assert link in inbox.body
    sms = db_session.query(SmsMessage).filter_by(user_id=registration.user_id).one()
    assert sms.kind == "online_join" and sms.params["link"].endswith(link)
    _free_of_stream(inbox.body + str(sms.params))

    on_site = create_registration(create_event())
    assert "/online/j/" not in db_session.query(InboxMessage).filter_by(user_id=on_site.user_id).one().body
    assert db_session.query(SmsMessage).filter_by(user_id=on_site.user_id).one().kind == "confirmed"
