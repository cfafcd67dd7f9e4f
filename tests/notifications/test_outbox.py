"""Notifications land in the outbox and go out through a real SMTP server."""
import email
import email.policy
import socket
import time

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.notifications.models import OutboxMessage
from app.registrations import services as reg
from tests.conftest import login


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp(app):
    collector = Collector()
    with socket.socket() as probe:  # a free port: aiosmtpd checks readiness by connecting to it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield collector
    app.config.update(MAIL_SERVER=None)
    controller.stop()


def test_registration_mail_is_sent_after_commit(client, db_session, smtp, create_event, create_user):
    user = create_user(email="zhang.yue@example.com")
    event = create_event(title="海聚英才创新创业大赛说明会")
    login(client, user)
    assert client.post(f"/events/{event.id}/register").status_code == 302
    for _ in range(50):
        if smtp.messages:
            break
        time.sleep(0.05)
    (recipients, content), = smtp.messages
    mail = email.message_from_string(content, policy=email.policy.default)
    assert recipients == ["zhang.yue@example.com"] and "海聚英才" in str(mail["Subject"])
    assert "/t/" in mail.get_content()
    message = db_session.scalar(sa.select(OutboxMessage).where(OutboxMessage.user_id == user.id))
    db_session.refresh(message)
    assert message.status == "sent" and message.sent_at is not None


def test_without_smtp_messages_stay_visible_to_admins(client, db_session, create_event, create_user):
    nomail = create_user()  # mobile only
    event = create_event(capacity=1)
    reg.register(create_user(email="a@example.com"), event)
    reg.register(nomail, event)
    db_session.commit()
    statuses = dict(db_session.execute(sa.select(OutboxMessage.kind, OutboxMessage.status)).all())
    assert statuses == {"confirmed": "queued", "waitlisted": "unsent"}
    login(client, create_user("admin"))
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert event.title in html
    message_id = db_session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.kind == "waitlisted"))
    assert nomail.name in client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)


def test_failed_smtp_marks_failed_and_keeps_the_action(client, db_session, app, create_event, create_user):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there
    try:
        user = create_user(email="li@example.com")
        login(client, user)
        event = create_event()
        assert client.post(f"/events/{event.id}/register").status_code == 302
    finally:
        app.config.update(MAIL_SERVER=None)
    message = db_session.scalar(sa.select(OutboxMessage).where(OutboxMessage.user_id == user.id))
    db_session.refresh(message)
    assert message.status == "failed" and message.error
    assert reg.confirmed_count(event.id) == 1


def test_a_person_who_turned_mail_off_is_not_mailed(client, db_session, smtp, create_event, create_user):
    person = create_user(email="no.mail@example.com", name="钱多多")
    person.notify_mail = False
    db_session.commit()
    event = create_event(title="闵行区技能人才座谈会")
    login(client, person)
    assert client.post(f"/events/{event.id}/register").status_code == 302
    client.post("/logout")
    time.sleep(0.3)
    assert smtp.messages == []
    message = db_session.scalar(sa.select(OutboxMessage).where(OutboxMessage.user_id == person.id))
    db_session.refresh(message)
    assert message.status == "opted_out" and message.sent_at is None
    assert client.application.test_cli_runner().invoke(args=["outbox", "send"]).output.startswith("sent 0")
    # The outbox page says why nothing was mailed, and filters by it.
    login(client, create_user("admin"))
    html = client.get("/admin/outbox?status=opted_out").get_data(as_text=True)
    assert "钱多多" in html and "本人已关闭邮件通知" in html
