"""On a phone in WeChat: a student opens their ticket, follows their personal join link, sees the
stream, and is counted as attended once the join page's heartbeats reach the organiser's minutes.

The server's clock for online presence is the test's: it moves forward only when the test says
so, so the minutes pass without waiting for them (and no assertion depends on timing)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import assert_fits_phone, goto
from tests.fixtures.online import ACCESS_CODE, STREAM

pytestmark = pytest.mark.browser


class Clock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, seconds: int) -> None:
        self.now = self.now + timedelta(seconds=seconds)


def test_student_joins_on_phone_and_is_counted_after_threshold(app, live_server, phone, db_session, monkeypatch,
                                                               live_online_event, create_registration):
    from app.online import figures, presence
    from app.timeutil import utcnow

    # links are built on the configured address (never the request's Host): here, the live server's
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server)
    monkeypatch.setitem(app.config, "ONLINE_HEARTBEAT_SECONDS", 1)
    monkeypatch.setitem(app.config, "ONLINE_HEARTBEAT_GRACE_SECONDS", 30)  # each heartbeat counts up to 31 s
    event = live_online_event(attended_minutes=1)
    registration = create_registration(event)
    event_id, registration_id, secret = event.id, registration.id, registration.ticket_secret
    clock = Clock(utcnow())
    monkeypatch.setattr(presence, "utcnow", clock)

    page = phone().new_page()
    goto(page, f"{live_server}/t/{secret}")
    page.click("#online-join")
    page.wait_for_url(lambda url: "/online/j/" in url)
    assert_fits_phone(page)
    assert page.get_attribute("#online-stream", "href") == STREAM
    assert page.inner_text("#online-access-code") == ACCESS_CODE
    status = page.locator("#online-status")
    # the first heartbeat comes back with no time passed on the server's clock
    page.wait_for_function("() => document.getElementById('online-status').dataset.seconds === '0'")
    clock.advance(30)
    page.wait_for_function("() => document.getElementById('online-status').dataset.seconds === '30'")
    assert status.get_attribute("data-state") == "counted"
    clock.advance(30)
    page.wait_for_function("() => document.getElementById('online-status').dataset.state === 'attended'")
    assert status.get_attribute("data-seconds") == "60"

    db_session.expire_all()
    from app.events.models import Event

    assert figures.online_ids(db_session.get(Event, event_id)) == {registration_id}
    assert figures.summary(db_session.get(Event, event_id)).either == 1
