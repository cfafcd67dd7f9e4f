"""我的码 end to end in Chromium: a person opens /me/code on a phone; a volunteer's scanner reads
the screen through a fake camera and admits them to a camp lesson; a minute later the phone's
fresh code admits them to an event, while the screenshot of the first code is refused (expired).
The screenshot is read back with zxing-cpp too. And offline: a scanner with nothing but its
roster decides a personal code, and refuses a revoked phone after its next roster; the phone,
once online, reloads the page and shows fresh codes without network."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image

from tests.browser.conftest import goto, sign_in
from tests.browser.fake_camera import filming
from tests.browser.test_scanner import verdict, wait_for_empty_queue
from tests.browser.test_ticket_flow import decode_qr

pytestmark = pytest.mark.browser

A_MINUTE_LATER = timedelta(seconds=65)


@pytest.fixture
def places(db_session, create_user, create_event, create_cohort):
    """李玥 enrolled in a camp cohort with a lesson under way, and registered for an event that opens
    for check-in now; a scanner link for each (the lesson's trainer, the event's door)."""
    from app.checkin import links
    from app.checkin import services as checkin
    from app.cohorts.camps import services as cohorts
    from app.cohorts.lessons import schedule
    from app.registrations import services as reg
    from app.timeutil import utcnow

    now = utcnow()
    person = create_user(name="李玥", mobile="13800138000")
    cohort = create_cohort()
    cohorts.enrol(cohort.runner, cohort, person)
    lesson = schedule.save_lesson(cohort.runner, cohort, title="商业计划书写作", starts_at=now - timedelta(minutes=20),
                                  ends_at=now + timedelta(hours=2), kind="lecture", trainer=cohort.trainers[0])
    event = create_event(title="海聚英才创新创业峰会", starts_at=now + timedelta(minutes=30),
                         ends_at=now + timedelta(hours=3))
    reg.register(person, event)
    lesson_point = checkin.session_checkpoint(lesson.session)
    event_point = checkin.ensure_checkpoints(event)[0]
    _link, lesson_secret = links.create_link(cohort.runner, lesson.session.event, label="教室", hours=4,
                                             checkpoint=lesson_point)
    _link, event_secret = links.create_link(create_user("organiser"), event, label="北门", hours=4)
    db_session.commit()
    return {"person": person, "lesson_secret": lesson_secret, "event_secret": event_secret,
            "lesson_point": lesson_point.id, "event_point": event_point.id}


def _scan_with_camera(browser, live_server, secret: str, qr_png: bytes, video, *, clock_shift=None) -> tuple:
    """A volunteer's scanner (its own Chromium: the fake camera is a launch flag) filming `qr_png`;
    its clock moved by `clock_shift`. The verdict shown: (result, text)."""
    from app.timeutil import utcnow

    clock_at = utcnow() + clock_shift if clock_shift is not None else None
    with filming(browser, Image.open(io.BytesIO(qr_png)), video, side=420, clock_at=clock_at) as (page, errors):
        page.goto(f"{live_server}/scan/#k={secret}")
        box = page.locator("[data-testid=verdict][data-result]:not([data-result=''])")
        box.wait_for()
        found = (box.get_attribute("data-result"), box.inner_text())
        wait_for_empty_queue(page)
        assert errors == []
    return found


def wedge(page, text: str) -> None:
    """A handheld scanner types the code and Enter, its keys within milliseconds (typed one by one
    from Python, a loaded machine can leave gaps the page takes for a person typing)."""
    page.evaluate("""(text) => {
        for (const key of text + "\\n") {
            document.dispatchEvent(new KeyboardEvent("keydown", {key: key === "\\n" ? "Enter" : key, bubbles: true}));
        }
    }""", text)


def _scans(app):
    import sqlalchemy as sa

    from app.checkin.models import Scan
    from app.extensions import db

    with app.app_context():
        return [(s.checkpoint_id, s.result, (s.detail or {}).get("method"))
                for s in db.session.scalars(sa.select(Scan).order_by(Scan.id))]


def test_my_code_admits_at_a_camp_lesson_then_fresh_at_an_event_and_a_screenshot_is_refused(
        app, live_server, browser, phone, places, tmp_path, artifacts_dir):
    context = phone()
    page = context.new_page()
    page.clock.install()  # the phone's clock, moved "a minute later" below
    sign_in(page, live_server, places["person"])
    goto(page, f"{live_server}/me/code")
    qr = page.get_by_test_id("personal-code")
    qr.and_(page.locator("[data-code]")).wait_for()
    first = qr.get_attribute("data-code")
    assert len(first) == 242
    screenshot = page.screenshot(path=str(artifacts_dir / "my-code-phone.png"))
    assert decode_qr(screenshot) == first  # zxing reads the code from a phone-size screenshot
    first_png = qr.screenshot()

    result, text = _scan_with_camera(browser, live_server, places["lesson_secret"], first_png, tmp_path / "a.y4m")
    assert result == "ok" and "李玥" in text

    page.clock.fast_forward(int(A_MINUTE_LATER.total_seconds() * 1000))
    qr.and_(page.locator(f"[data-code]:not([data-code='{first}'])")).wait_for()
    fresh = qr.get_attribute("data-code")
    assert decode_qr(page.screenshot()) == fresh
    result, text = _scan_with_camera(browser, live_server, places["event_secret"], qr.screenshot(),
                                     tmp_path / "b.y4m", clock_shift=A_MINUTE_LATER)
    assert result == "ok" and "李玥" in text

    result, text = _scan_with_camera(browser, live_server, places["event_secret"], first_png,
                                     tmp_path / "c.y4m", clock_shift=A_MINUTE_LATER)
    assert result == "expired"
    assert _scans(app) == [(places["lesson_point"], "ok", "personal_code"),
                           (places["event_point"], "ok", "personal_code"),
                           (places["event_point"], "expired", "personal_code")]
    page.reload()  # the phones list now has this phone, marked as such
    page.locator("[data-this-phone]:not([hidden])").wait_for()


def test_an_offline_scanner_decides_a_personal_code_and_learns_a_revocation_from_its_next_roster(
        app, live_server, phone, places, db_session):
    from app.extensions import db
    from app.tickets import phone_keys
    from app.timeutil import utcnow
    from tests.fixtures.person_codes import Phone

    with app.app_context():
        person = db.session.get(type(places["person"]), places["person"].id)
        mine = Phone(person)
        mine.get_credential()
        db.session.commit()
    context = phone()
    page = context.new_page()
    page.goto(f"{live_server}/scan/#k={places['event_secret']}")
    page.locator("body[data-ready='1']").wait_for()

    context.set_offline(True)
    wedge(page, mine.code(utcnow()))
    box = verdict(page, "ok")
    assert "李玥" in box.inner_text() and box.get_attribute("data-local") == "1"

    with app.app_context():
        phone_keys.revoke(db.session.get(type(places["person"]), places["person"].id),
                          phone_keys.get_phone_key(db.session.get(type(places["person"]), places["person"].id),
                                                   mine.key_id))
        db.session.commit()
    # still offline: the cached roster cannot know yet. (A code of another second: the same text
    # again would be the same code still in view, which the scanner counts once.)
    wedge(page, mine.code(utcnow() - timedelta(seconds=5)))
    verdict(page, "already_checked_in")

    context.set_offline(False)
    wait_for_empty_queue(page)
    page.reload()  # the next roster
    page.locator("body[data-ready='1']").wait_for()
    context.set_offline(True)
    wedge(page, mine.code(utcnow() - timedelta(seconds=10)))
    box = verdict(page, "revoked")
    assert box.get_attribute("data-local") == "1"


def test_the_phone_shows_fresh_codes_offline_once_it_has_been_online(live_server, phone, places):
    context = phone()
    page = context.new_page()
    sign_in(page, live_server, places["person"])
    goto(page, f"{live_server}/me/code")
    qr = page.get_by_test_id("personal-code")
    qr.and_(page.locator("[data-code]")).wait_for()
    page.wait_for_timeout(1500)  # the offline worker installs
    page.reload()  # the worker now controls the page and keeps its copy
    qr.and_(page.locator("[data-code]")).wait_for()
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    page.wait_for_timeout(1000)
    context.set_offline(True)
    page.reload()
    qr.and_(page.locator("[data-code]")).wait_for()
    assert page.get_by_test_id("code-status").inner_text() in ("离线：此码仍然有效。", "Offline: this code is still valid.")
    assert len(qr.get_attribute("data-code")) == 242
