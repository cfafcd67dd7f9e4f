"""Issue 12, defects 1 and 6: agenda sessions on the registration form, and the person's own
registration.

1. A full session was ticked by default; submitting said 报名成功 while that session was silently
   waitlisted. The form shows each session's seats left and never pre-ticks a full one (已满，将进入候补
   beside it); the success message names the sessions waited for; "my registrations" and the ticket
   show the person's sessions and their status; sessions can be changed while registration is open
   (update_registration: seats and waiting lists as when registering, under the event lock).
6. Someone already registered got a blank form and what they typed was lost. They see their
   registration (status, answers, sessions) with a change form while that is allowed.
"""
from __future__ import annotations

import re
from datetime import timedelta

import lxml.html
import pytest
import sqlalchemy as sa

from app.errors import InvalidInput
from app.events import services as ev
from app.lifecycle.agenda import save_session
from app.registrations import services as reg
from app.registrations.models import Registration, SessionBooking
from app.timeutil import utcnow
from tests.conftest import login


@pytest.fixture
def agenda(db_session, create_event, create_user):
    """An event with three sessions: one full (1 seat, taken), one with seats, one without a limit;
    and a question with a per-choice limit."""
    event = create_event(title="2026人才闵行周·主论坛", capacity=50)
    admin = create_user("admin")
    start = event.starts_at
    full = save_session(admin, event, title="分论坛：集成电路", starts_at=start,
                        ends_at=start + timedelta(hours=1), room="A101", capacity=1)
    small = save_session(admin, event, title="分论坛：生物医药", starts_at=start + timedelta(minutes=30),
                         ends_at=start + timedelta(hours=1), room="B202", capacity=3)
    open_ = save_session(admin, event, title="主论坛", starts_at=start + timedelta(hours=1),
                         ends_at=start + timedelta(hours=2), room="大礼堂")
    org = ev.save_question(admin, event, label="单位性质", kind="single", required=True,
                           choices=ev.parse_choices("企业\n高校"))
    lunch = ev.save_question(admin, event, label="午餐", kind="single", choices=ev.parse_choices("需要 | 1\n不需要"))
    db_session.commit()
    holder = reg.register(create_user(), event, {str(org.id): "企业"}, [full.id])
    db_session.commit()
    return {"event": event, "full": full, "small": small, "open": open_, "org": org, "lunch": lunch,
            "holder": holder}


def _statuses(registration) -> dict[int, str]:
    return {b.session_id: b.status for b in registration.bookings}


def _session_label(page: str, session_id: int):
    doc = lxml.html.fromstring(page)
    label = doc.xpath(f'//label[@data-session="{session_id}"]')
    assert len(label) == 1, session_id
    box = label[0].xpath('.//input[@type="checkbox"]')[0]
    return box.get("checked") is not None, " ".join(label[0].text_content().split())


def _flashes(page: str) -> str:
    return " ".join(" ".join(e.text_content().split())
                    for e in lxml.html.fromstring(page).xpath('//*[contains(@class, "flash")]'))


# -- defect 1: the form, the message, the lists --------------------------------------------------
def test_form_shows_seats_and_never_preticks_a_full_session(client, db_session, agenda, create_user):
    a = agenda
    login(client, create_user())
    page = client.get(f"/events/{a['event'].id}/register").get_data(as_text=True)
    ticked, text = _session_label(page, a["full"].id)
    assert not ticked and "已满，将进入候补" in text
    ticked, text = _session_label(page, a["small"].id)
    assert ticked and "剩余3席（共3席）" in text and "已满" not in text
    ticked, text = _session_label(page, a["open"].id)
    assert ticked and "名额不限" in text


def test_registering_says_which_sessions_are_waitlisted(client, db_session, agenda, create_user):
    a = agenda
    person = create_user()
    login(client, person)
    response = client.post(f"/events/{a['event'].id}/register", follow_redirects=True, data={
        f"q{a['org'].id}": "高校", "sessions": [str(a["full"].id), str(a["open"].id)]})
    assert response.status_code == 200
    flashes = _flashes(response.get_data(as_text=True))
    assert "报名成功" in flashes
    assert "以下场次已满，您已进入候补：分论坛：集成电路（候补第1位）。" in flashes
    registration = db_session.scalar(sa.select(Registration).where(Registration.user_id == person.id))
    assert _statuses(registration) == {a["full"].id: "waitlisted", a["open"].id: "confirmed"}

    # "my registrations" (the page the form redirects to) lists the sessions and their status
    mine = lxml.html.fromstring(response.get_data(as_text=True))
    card = mine.xpath(f'//article[.//a[contains(text(), "{a["event"].title}")]]')[0]
    rows = [" ".join(li.text_content().split()) for li in card.xpath('.//ul[@class="bookings"]/li')]
    assert rows[0].startswith("候补中 候补第1位 分论坛：集成电路") and rows[1].startswith("已预约 主论坛")
    assert card.xpath(f'.//a[@href="/me/registrations/{registration.id}"]')

    # the ticket too, with a way to change sessions for its owner
    ticket = client.get(f"/t/{registration.ticket_secret}").get_data(as_text=True)
    doc = lxml.html.fromstring(ticket)
    rows = [" ".join(li.text_content().split()) for li in doc.xpath('//section[@class="ticket-sessions"]//li')]
    assert rows[0].startswith("候补中 候补第1位 分论坛：集成电路") and rows[1].startswith("已预约 主论坛")
    assert doc.xpath(f'//a[@href="/me/registrations/{registration.id}"]')


def test_no_waiting_session_no_waiting_words(client, db_session, agenda, create_user):
    a = agenda
    login(client, create_user())
    response = client.post(f"/events/{a['event'].id}/register", follow_redirects=True, data={
        f"q{a['org'].id}": "高校", "sessions": [str(a["small"].id)]})
    flashes = _flashes(response.get_data(as_text=True))
    assert "报名成功" in flashes and "候补" not in flashes


# -- defect 1: changing sessions (the service) ---------------------------------------------------
def test_changing_sessions_moves_seats_and_queues(db_session, agenda, create_user):
    a = agenda
    full, small, open_, org = a["full"], a["small"], a["open"], a["org"]
    answers = {str(org.id): "企业"}
    waiting = reg.register(create_user(), a["event"], answers, [full.id, open_.id])
    mover = reg.register(create_user(), a["event"], answers, [open_.id])
    db_session.commit()
    assert _statuses(waiting)[full.id] == "waitlisted"

    # the holder gives up the full session: the first one waiting gets it, and is told
    reg.update_registration(a["holder"].user, a["holder"], answers, [small.id])
    db_session.commit()
    assert _statuses(a["holder"]) == {full.id: "cancelled", small.id: "confirmed"}
    assert _statuses(waiting) == {full.id: "confirmed", open_.id: "confirmed"}
    from app.notifications.models import OutboxMessage

    assert db_session.scalar(sa.select(OutboxMessage.kind).where(OutboxMessage.user_id == waiting.user_id,
                                                                 OutboxMessage.kind == "session_promoted"))

    # a newcomer to a full session joins the end of its queue, and keeps their other seats
    reg.update_registration(mover.user, mover, answers, [full.id, open_.id])
    db_session.commit()
    assert _statuses(mover) == {full.id: "waitlisted", open_.id: "confirmed"}
    assert reg.waitlisted_sessions(mover) == [(full, 1)]
    # coming back to a dropped session is a new booking at the end of the queue
    reg.update_registration(a["holder"].user, a["holder"], answers, [full.id, small.id])
    db_session.commit()
    assert _statuses(a["holder"]) == {full.id: "waitlisted", small.id: "confirmed"}
    assert reg.waitlisted_sessions(a["holder"]) == [(full, 2)]
    # an unchanged pick keeps the place in the queue (mover stays first)
    reg.update_registration(mover.user, mover, {str(org.id): "高校"}, [full.id, open_.id])
    db_session.commit()
    assert reg.waitlisted_sessions(mover) == [(full, 1)] and mover.answer_map()[org.id] == "高校"
    # the seats add up: never more confirmed than the capacity
    confirmed = dict(db_session.execute(sa.select(SessionBooking.session_id, sa.func.count())
                                        .where(SessionBooking.status == "confirmed")
                                        .group_by(SessionBooking.session_id)).all())
    assert confirmed[full.id] == 1 and confirmed[small.id] == 1


def test_changes_are_checked_like_a_registration(db_session, agenda, create_user):
    a = agenda
    person = a["holder"].user
    lunch = a["lunch"]
    other = reg.register(create_user(), a["event"], {str(a["org"].id): "高校", str(lunch.id): "需要"},
                         [a["open"].id])
    db_session.commit()
    with pytest.raises(InvalidInput) as info:
        reg.update_registration(person, a["holder"], {str(a["org"].id): "企业"}, [])
    assert set(info.value.fields) == {"sessions"}
    db_session.rollback()
    with pytest.raises(InvalidInput) as info:  # the one lunch is taken by somebody else
        reg.update_registration(person, a["holder"], {str(a["org"].id): "企业", str(lunch.id): "需要"},
                                [a["full"].id])
    assert set(info.value.fields) == {f"answers.{lunch.id}"}
    db_session.rollback()
    with pytest.raises(InvalidInput):  # a session of no such event
        reg.update_registration(person, a["holder"], {str(a["org"].id): "企业"}, [999999])
    db_session.rollback()
    with pytest.raises(InvalidInput):  # required question left empty
        reg.update_registration(person, a["holder"], {}, [a["full"].id])
    db_session.rollback()
    with pytest.raises(reg.NotFound):  # somebody else's registration
        reg.update_registration(person, other, {str(a["org"].id): "企业"}, [a["full"].id])
    db_session.rollback()
    assert _statuses(a["holder"]) == {a["full"].id: "confirmed"}


def test_no_changes_after_registration_closes_or_once_cancelled(db_session, agenda, create_user):
    a = agenda
    answers = {str(a["org"].id): "企业"}
    person = create_user()
    r = reg.register(person, a["event"], answers, [a["open"].id])
    db_session.commit()
    a["event"].registration_closes_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    assert not reg.can_edit(r)
    with pytest.raises(reg.RegistrationNotEditable) as info:
        reg.update_registration(person, r, answers, [a["small"].id])
    assert info.value.code == "editing_closed"
    db_session.rollback()
    a["event"].registration_closes_at = None
    reg.cancel(person, r)
    db_session.commit()
    with pytest.raises(reg.RegistrationNotEditable) as info:
        reg.update_registration(person, r, answers, [a["small"].id])
    assert info.value.code == "not_editable"


def test_sessions_of_a_registration_without_a_seat_wait_for_it(db_session, create_event, create_user):
    """A waitlisted registration holds no session seat: a session added is requested, and decided
    when the registration gets its seat."""
    event = create_event(capacity=1)
    admin = create_user("admin")
    s1 = save_session(admin, event, title="上午场", starts_at=event.starts_at,
                      ends_at=event.starts_at + timedelta(hours=1), capacity=5)
    s2 = save_session(admin, event, title="下午场", starts_at=event.starts_at + timedelta(hours=1),
                      ends_at=event.starts_at + timedelta(hours=2), capacity=5)
    db_session.commit()
    first = reg.register(create_user(), event, session_ids=[s1.id])
    second = reg.register(create_user(), event, session_ids=[s1.id])
    db_session.commit()
    assert second.status == "waitlisted" and _statuses(second) == {s1.id: "requested"}
    reg.update_registration(second.user, second, None, [s2.id])
    db_session.commit()
    assert _statuses(second) == {s1.id: "cancelled", s2.id: "requested"}
    reg.cancel(first.user, first)
    db_session.commit()
    assert second.status == "confirmed" and _statuses(second) == {s1.id: "cancelled", s2.id: "confirmed"}


@pytest.mark.concurrency
def test_people_changing_into_the_same_session_at_once_get_exactly_its_seats(app, db_session, create_event,
                                                                            create_user):
    from app.accounts.models import User
    from app.extensions import db
    from tests.racing import race

    event = create_event(capacity=40)
    admin = create_user("admin")
    main = save_session(admin, event, title="主论坛", starts_at=event.starts_at,
                        ends_at=event.starts_at + timedelta(hours=1))
    popular = save_session(admin, event, title="热门分论坛", starts_at=event.starts_at + timedelta(hours=1),
                           ends_at=event.starts_at + timedelta(hours=2), capacity=4)
    db_session.commit()
    ids = [reg.register(create_user(), event, session_ids=[main.id]).id for _ in range(16)]
    db_session.commit()
    main_id, popular_id = main.id, popular.id  # the threads must not touch this session's objects

    def attempt(registration_id):
        registration = db.session.get(Registration, registration_id)
        reg.update_registration(db.session.get(User, registration.user_id), registration, None,
                                [main_id, popular_id])
        return {b.session_id: b.status for b in registration.bookings}[popular_id]

    workers = 16 if db.engine.dialect.name == "postgresql" else 8
    results, errors = race(app, attempt, ids, workers)
    assert errors == []
    assert sorted(results) == ["confirmed"] * 4 + ["waitlisted"] * 12
    db_session.expire_all()
    rows = db_session.scalars(sa.select(SessionBooking).where(SessionBooking.session_id == popular_id,
                                                              SessionBooking.status == "waitlisted")).all()
    assert sorted(reg.session_queue_position(b) for b in rows) == list(range(1, 13))


# -- defect 6: the registered person sees their registration --------------------------------------
def test_registered_person_sees_their_registration_not_a_blank_form(client, db_session, agenda, create_user):
    a = agenda
    person = create_user()
    r = reg.register(person, a["event"], {str(a["org"].id): "高校"}, [a["full"].id, a["open"].id])
    db_session.commit()
    login(client, person)
    page = client.get(f"/events/{a['event'].id}/register").get_data(as_text=True)
    doc = lxml.html.fromstring(page)
    assert "我的报名" in doc.findtext(".//h1")
    assert "已确认" in doc.get_element_by_id("registration-status").text_content()
    facts = doc.get_element_by_id("registration-answers")
    answers = dict(zip([dt.text_content() for dt in facts.findall("dt")],
                       [dd.text_content() for dd in facts.findall("dd")]))
    assert answers["单位性质"] == "高校" and answers["午餐"] == "—"
    rows = [" ".join(li.text_content().split()) for li in doc.xpath('//ul[@class="bookings"]/li')]
    assert rows[0].startswith("候补中 候补第1位 分论坛：集成电路") and rows[1].startswith("已预约 主论坛")
    assert doc.xpath(f'//a[@href="/t/{r.ticket_secret}"]')
    # the change form holds what they answered and chose, and posts to their registration
    form = doc.get_element_by_id("registration-edit")
    assert form.get("action") == f"/me/registrations/{r.id}"
    assert form.xpath(f'.//input[@name="q{a["org"].id}"][@value="高校"]')[0].get("checked") is not None
    assert _session_label(page, a["full"].id)[0] and _session_label(page, a["open"].id)[0]
    assert not _session_label(page, a["small"].id)[0]
    assert "候补第1位" in _session_label(page, a["full"].id)[1]


def test_a_form_filled_in_again_is_kept_not_lost(client, db_session, agenda, create_user):
    """The blank form from before (another tab) posted by someone already registered: what they typed
    stays in the change form, unsaved, with a word saying so."""
    a = agenda
    person = create_user()
    r = reg.register(person, a["event"], {str(a["org"].id): "高校"}, [a["open"].id])
    db_session.commit()
    login(client, person)
    response = client.post(f"/events/{a['event'].id}/register",
                           data={f"q{a['org'].id}": "企业", "sessions": [str(a["small"].id)]})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "刚才填写的内容尚未保存" in _flashes(page)
    doc = lxml.html.fromstring(page)
    form = doc.get_element_by_id("registration-edit")
    assert form.xpath(f'.//input[@name="q{a["org"].id}"][@value="企业"]')[0].get("checked") is not None
    assert _session_label(page, a["small"].id)[0] and not _session_label(page, a["open"].id)[0]
    db_session.expire_all()
    assert r.answer_map()[a["org"].id] == "高校" and _statuses(r) == {a["open"].id: "confirmed"}

    # saving it through the change form keeps it
    saved = client.post(f"/me/registrations/{r.id}", follow_redirects=True,
                        data={f"q{a['org'].id}": "企业", "sessions": [str(a["small"].id), str(a["full"].id)]})
    flashes = _flashes(saved.get_data(as_text=True))
    assert "修改已保存。" in flashes and "分论坛：集成电路（候补第1位）" in flashes
    db_session.expire_all()
    assert r.answer_map()[a["org"].id] == "企业"
    assert _statuses(r) == {a["open"].id: "cancelled", a["small"].id: "confirmed", a["full"].id: "waitlisted"}
    # a mistake on the change form is shown on its field, and nothing changes
    bad = client.post(f"/me/registrations/{r.id}", data={f"q{a['org'].id}": "", "sessions": []})
    assert bad.status_code == 200
    doc = lxml.html.fromstring(bad.get_data(as_text=True))
    assert doc.xpath('//fieldset[contains(@class, "sessions")][contains(@class, "has-error")]')
    db_session.expire_all()
    assert r.answer_map()[a["org"].id] == "企业"


def test_closed_or_cancelled_registration_is_shown_without_a_change_form(client, db_session, agenda,
                                                                          create_user):
    a = agenda
    person = create_user()
    r = reg.register(person, a["event"], {str(a["org"].id): "高校"}, [a["open"].id])
    a["event"].registration_closes_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    login(client, person)
    page = client.get(f"/me/registrations/{r.id}").get_data(as_text=True)
    assert "报名已截止，报名信息不能再修改。" in page and 'id="registration-edit"' not in page
    assert "单位性质" in page and "主论坛" in page
    refused = client.post(f"/me/registrations/{r.id}", follow_redirects=True,
                          data={f"q{a['org'].id}": "企业", "sessions": [str(a["small"].id)]})
    assert "报名已截止，报名信息不能再修改。" in _flashes(refused.get_data(as_text=True))
    db_session.expire_all()
    assert r.answer_map()[a["org"].id] == "高校" and _statuses(r) == {a["open"].id: "confirmed"}

    a["event"].registration_closes_at = None
    reg.cancel(person, r)
    db_session.commit()
    page = client.get(f"/me/registrations/{r.id}").get_data(as_text=True)
    assert 'id="registration-edit"' not in page and "重新报名" in page
    # the registration form is open to them again, with a word on their earlier registration
    again = client.get(f"/events/{a['event'].id}/register").get_data(as_text=True)
    assert "您之前的报名：" in again and 'id="registration-edit"' not in again


def test_somebody_elses_registration_is_not_found(client, db_session, agenda, create_user):
    a = agenda
    login(client, create_user())
    assert client.get(f"/me/registrations/{a['holder'].id}").status_code == 404
    assert client.post(f"/me/registrations/{a['holder'].id}",
                       data={f"q{a['org'].id}": "高校", "sessions": [str(a["open"].id)]}).status_code == 404
    db_session.expire_all()
    assert _statuses(a["holder"]) == {a["full"].id: "confirmed"}
