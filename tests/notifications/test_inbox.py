"""The in-app inbox (站内消息): every notice reaches the person, mail or not (issue 12)."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.notifications import inbox
from app.notifications.models import InboxMessage
from app.notifications.services import notify
from app.registrations import services as reg
from app.tickets import services as tickets
from tests.conftest import login


def _messages(db_session, user) -> list[InboxMessage]:
    return list(db_session.scalars(sa.select(InboxMessage).where(InboxMessage.user_id == user.id)
                                   .order_by(InboxMessage.id)))


def _badge(html: str) -> str | None:
    found = re.search(r'class="unread-count"[^>]*>(\d+)<', html)
    return found.group(1) if found else None


def test_a_mobile_only_participant_reads_the_rejection_and_its_reason(client, db_session, create_event,
                                                                        create_user):
    person = create_user(mobile="13912345678", email=None)
    organiser = create_user("organiser")
    event = create_event(title="海聚英才创业沙龙", requires_approval=True)
    login(client, person)
    assert client.post(f"/events/{event.id}/register").status_code == 302
    registration = db_session.scalar(sa.select(reg.Registration).where(reg.Registration.user_id == person.id))
    client.post("/logout")

    # The organiser works in English; the participant still reads Chinese.
    login(client, organiser)
    client.get("/lang/en")
    response = client.post(f"/console/events/{event.id}/registrations/bulk",
                           data={"ids": [registration.id], "action": "reject", "reason": "名额已满，欢迎报名下一场"})
    assert response.status_code == 302
    client.post("/logout")

    pending, rejected = _messages(db_session, person)
    assert pending.kind == "pending" and rejected.kind == "rejected"
    assert "海聚英才创业沙龙" in rejected.title and "名额已满，欢迎报名下一场" in rejected.body
    assert "原因" in rejected.body and rejected.link == "/me/registrations"

    login(client, person)
    page = client.get("/me/inbox").get_data(as_text=True)
    assert "名额已满，欢迎报名下一场" in page and _badge(page) == "2"
    client.get(f"/me/inbox/{pending.id}")
    page = client.get("/me/registrations").get_data(as_text=True)
    assert _badge(page) == "1"
    assert "名额已满，欢迎报名下一场" in page  # the reason, on "my registrations" too

    opened = client.get(f"/me/inbox/{rejected.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/me/registrations")
    db_session.refresh(rejected)
    assert rejected.read_at is not None
    assert _badge(client.get("/me/registrations").get_data(as_text=True)) is None


def test_the_header_badge_costs_one_query(client, db_session, create_event, create_user):
    person = create_user()
    reg.register(person, create_event())
    db_session.commit()
    login(client, person)
    statements = []

    def count(conn, cursor, statement, *args):
        if "inbox_messages" in statement:
            statements.append(statement)

    engine = db_session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get("/me/inbox").get_data(as_text=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert _badge(page) == "1"
    counts = [s for s in statements if "count(" in s.lower()]
    assert len(counts) == 2  # the badge once, the pager's total once


@pytest.mark.parametrize("kind", sorted(inbox.BODIES))
def test_every_notice_kind_lands_in_the_inbox(db_session, create_event, create_user, kind):
    person = create_user()
    event = create_event(title="闵而好才校园招聘会")
    registration = reg.register(person, event)
    db_session.flush()
    before = len(_messages(db_session, person))
    notify(person, kind, f"通知：{kind}", kind, registration=registration, reason="材料不全", note="请补交",
           programme="创业营", tier="创业孵化营", occasion="技能大赛", certificate="参会证明")
    messages = _messages(db_session, person)
    assert len(messages) == before + 1
    message = messages[-1]
    assert message.kind == kind and message.title == f"通知：{kind}" and message.read_at is None
    assert message.body and not re.search(r"[A-Za-z]{4,}", message.body)  # Chinese, whole sentences
    assert message.link.startswith("/") and not message.link.startswith("//")


def test_registration_journeys_notify_through_the_inbox(db_session, create_event, create_user):
    organiser = create_user("organiser")
    first, second, third = create_user(), create_user(), create_user()
    event = create_event(capacity=1)
    held = reg.register(first, event)
    reg.register(second, event)
    db_session.flush()
    reg.cancel(first, held)
    tickets.resend(db_session.scalar(sa.select(reg.Registration).where(reg.Registration.user_id == second.id)))
    approval = create_event(requires_approval=True)
    reg.approve(organiser, [reg.register(third, approval)])
    from app.lifecycle.services import cancel_event

    cancel_event(organiser, approval, reason="场地调整")
    db_session.flush()
    assert [m.kind for m in _messages(db_session, first)] == ["confirmed"]
    assert [m.kind for m in _messages(db_session, second)] == ["waitlisted", "promoted", "ticket"]
    assert [m.kind for m in _messages(db_session, third)] == ["pending", "approved", "event_cancelled"]


def test_someone_elses_message_is_not_found(client, db_session, create_event, create_user):
    owner, other = create_user(), create_user()
    reg.register(owner, create_event(title="人才闵行周开幕式"))
    db_session.commit()
    message, = _messages(db_session, owner)
    login(client, other)
    assert client.get(f"/me/inbox/{message.id}").status_code == 404
    assert "人才闵行周开幕式" not in client.get("/me/inbox").get_data(as_text=True)
    assert client.get("/me/inbox/2147483648").status_code == 404
    db_session.refresh(message)
    assert message.read_at is None


def test_mark_all_read(client, db_session, create_event, create_user):
    person, other = create_user(), create_user()
    for _ in range(3):
        reg.register(person, create_event())
    reg.register(other, create_event())
    db_session.commit()
    login(client, person)
    assert _badge(client.get("/me/inbox").get_data(as_text=True)) == "3"
    assert client.post("/me/inbox/read-all").status_code == 302
    assert _badge(client.get("/me/inbox").get_data(as_text=True)) is None
    assert inbox.unread_count(person) == 0 and inbox.unread_count(other) == 1


def test_the_inbox_is_paged_newest_first(client, db_session, create_user):
    person = create_user()
    for n in range(inbox.PAGE_SIZE + 3):
        inbox.post(person, "ticket", f"第{n}条消息")
    db_session.commit()
    login(client, person)
    first = client.get("/me/inbox").get_data(as_text=True)
    assert f"第{inbox.PAGE_SIZE + 2}条消息" in first and "第0条消息<" not in first
    assert "第0条消息<" in client.get("/me/inbox?page=2").get_data(as_text=True)


def test_the_inbox_needs_a_sign_in(client):
    assert client.get("/me/inbox").status_code == 302
    assert client.post("/me/inbox/read-all").status_code in (302, 400)


def test_camp_results_reach_every_founder(db_session, create_graded_cohort):
    from tests.fixtures.cohorts import publish_graded

    c = create_graded_cohort(3)
    publish_graded(c, db_session)
    for enrolment in c["people"]:
        message = _messages(db_session, enrolment.user)[-1]
        assert message.kind == "camp_results_published" and c["cohort"].name in message.body
        assert message.link == "/camps/my/results"


def test_certificates_issued_reach_their_holders(db_session, create_user, create_attended_event):
    from app.certificates import services as certificates
    from tests.fixtures.accounts import RARE_NAMES

    admin = create_user("admin")
    event, came, absent = create_attended_event(RARE_NAMES[:2], absent=1)
    certificates.issue_for_attendance(admin, event)
    db_session.flush()
    for person in came:
        message = _messages(db_session, person)[-1]
        assert message.kind == "certificate_issued" and event.title in message.body
    assert all(m.kind != "certificate_issued" for p in absent for m in _messages(db_session, p))


def test_competition_results_reach_every_entrant(db_session, contest, enter):
    from app.competitions import services as cs
    from tests.fixtures.competitions import fully_score

    entries = [enter("甲"), enter("乙")]
    for entry, judged in zip(entries, ((3, 3, 3), (1, 1, 1))):
        fully_score(contest, entry, "完全正确", judged)
        cs.confirm(contest.chief, entry)
    cs.set_status(contest.organiser, contest.competition, "closed")
    cs.publish_results(contest.organiser, contest.competition)
    db_session.flush()
    for entry in entries:
        message = _messages(db_session, entry.user)[-1]
        assert message.kind == "results_published" and contest.competition.name in message.body
        assert message.link == "/competitions/my"
