"""The mail outbox: notifications are rows first, mail second.

`notify()` only adds a row inside the caller's transaction. Delivery runs after the
request's commit (see `deliver_after_commit`), so a rolled-back action never mails
anybody and a mail server that is down never breaks an action.
"""
from __future__ import annotations

import logging
import smtplib
import threading
from dataclasses import dataclass
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, g
from flask_babel import force_locale, get_locale

from app.accounts.models import User
from app.events.models import EventSession
from app.extensions import db
from app.notifications import inbox
from app.notifications.models import InboxMessage, OutboxMessage
from app.notifications.sms import services as sms
from app.notifications.sms.models import SmsMessage
from app.notifications.sms.services import queue_sms, sms_templates
from app.notifications.sms.templates import sms_params
from app.timeutil import utcnow
from app.transaction import after_commit
from app.urls import public_base_url, public_url

log = logging.getLogger(__name__)


def notify(user: User, kind: str, subject: str, template: str, *, registration,
           rewrite: OutboxMessage | None = None, sms_kind: str | None = None, sms_link: str | None = None,
           **params) -> OutboxMessage:
    """Queue a notice about `registration` (mail, and a copy in the person's inbox); with `rewrite`,
    replace a notice this transaction queued earlier. `params` (JSON) reach the template next to
    the registration and event. `sms_kind`: the SMS template to send it with, when not the notice's
    own kind (a seat at an online event goes by the join link's, which has a link). `sms_link`: the
    link the SMS carries when it is not a page of the person's own (a follow-up survey's signed link)."""
    message = rewrite or OutboxMessage(**_addressed(user))
    message.kind, message.subject, message.template = kind, str(subject)[:200], template
    message.registration, message.params, message.body = registration, params, None
    if rewrite is None:
        db.session.add(message)
        g.setdefault("outbox_pending", []).append(message)
    # The inbox copy travels with the mail row, so a rewrite replaces both.
    message.inbox_copy = inbox.post(user, kind, subject, registration=registration,
                                    rewrite=getattr(rewrite, "inbox_copy", None), **params)
    _queue_sms_for(message, user, sms_kind or kind, registration, params, sms_link)
    return message


@dataclass(frozen=True)
class NoticeRows:
    """The column values of one notice's rows: the mail outbox's, the inbox's, and the SMS's (None:
    no SMS). The mail row's registration_id is the inserter's to give."""
    mail: dict
    inbox: dict
    sms: dict | None


def notice_rows(user: User, kind: str, subject, template: str, *, registration, sent_today: int | None = None,
                **params) -> NoticeRows:
    """What `notify()` would store for a registration inserted as a row (app.registrations.plain_registration):
    `registration` is anything with the `event` the notice texts read; `sent_today`, the SMS already counted
    against the person's daily cap, when the caller read it (`sms.sent_today_count`)."""
    mail = dict(_addressed(user), kind=kind, subject=str(subject)[:200], template=template, params=params,
                body=None)
    values = _sms_values(user, kind, registration, params, None)
    return NoticeRows(mail, dict(inbox.content(user, kind, subject, registration=registration, **params),
                                 user_id=user.id),
                      sms.sms_row(user, kind, values, sent_today=sent_today) if values is not None else None)


def notice_inserted(rows: NoticeRows, mail_id: int, sms_id: int | None) -> None:
    """Hand the inserted rows over to the after-commit mail and SMS delivery, as `notify()`'s are."""
    if rows.mail["status"] == "queued":
        g.setdefault("outbox_pending_ids", []).append(mail_id)
    if rows.sms is not None:
        sms.note_inserted(sms_id, rows.sms)


def insert_notice(user: User, kind: str, subject, template: str, *, registration, **params) -> None:
    """`notify()` for a registration inserted as a row: the same mail, inbox and SMS rows, inserted as
    Core statements, handed over after the commit alike. `registration`: its `id` and `event`."""
    rows = notice_rows(user, kind, subject, template, registration=registration, **params)
    connection = db.session.connection()
    mail_id = connection.execute(sa.insert(_OUTBOX).returning(_OUTBOX.c.id),
                                 dict(rows.mail, registration_id=registration.id)).scalar_one()
    connection.execute(sa.insert(_INBOX), rows.inbox)
    sms_id = None if rows.sms is None else \
        connection.execute(sa.insert(_SMS).returning(_SMS.c.id), rows.sms).scalar_one()
    notice_inserted(rows, mail_id, sms_id)


_OUTBOX, _INBOX, _SMS = OutboxMessage.__table__, InboxMessage.__table__, SmsMessage.__table__


def _addressed(user: User) -> dict:
    """A new outbox row's recipient, its language and site, and its first status."""
    return dict(user_id=user.id, to_address=user.email, status=mail_status(user),
                locale=str(get_locale() or "zh_CN"), base_url=public_base_url())


def mail_status(user: User) -> str:
    """A person who turned mail off on their profile still gets the row (the outbox shows why
    nothing was mailed, and the inbox copy travels with it), never the mail."""
    if not user.email:
        return "unsent"
    return "queued" if user.notify_mail is not False else "opted_out"


def _queue_sms_for(message: OutboxMessage, user: User, kind: str, registration, params: dict,
                   link: str | None = None) -> None:
    """The same notice as an SMS for a person with a mobile number who wants SMS; a rewritten
    notice rewrites the SMS queued with it in this transaction instead of adding a second one."""
    values = _sms_values(user, kind, registration, params, link)
    earlier = getattr(message, "_sms", None)
    if earlier is not None:
        if values is None:
            db.session.delete(earlier) if sa.inspect(earlier).persistent else db.session.expunge(earlier)
            message._sms = None
        else:
            earlier.kind, earlier.params = kind, values
            earlier.template_code = sms_templates().get(kind)
        return
    if values is not None:
        message._sms = queue_sms(user, kind, values)


def _sms_values(user: User, kind: str, registration, params: dict, link: str | None) -> dict | None:
    """The SMS template's variables for a notice, or None: the person wants no SMS, or the kind has none."""
    if user.notify_sms is False:
        return None
    return sms_params(kind, user=user, registration=registration, params=params,
                      # a notice carrying a personal link (an online event's join link) sends that one
                      link=link or params.get("personal_link") or public_url("registrations.mine"))


def message_body(message: OutboxMessage) -> str:
    """The mail text, rendered on first need in the recipient's language and kept."""
    if message.body is None:
        registration = message.registration
        context = dict(message.params or {}, user=message.user, registration=registration,
                       event=registration.event if registration else None)
        if "session_id" in context:
            context["session"] = db.session.get(EventSession, context["session_id"])
        template = current_app.jinja_env.get_template(f"mail/{message.template}.txt")
        with current_app.test_request_context(base_url=public_base_url()), force_locale(message.locale):
            message.body = template.render(**context)
    return message.body


def queued_in_this_request() -> list[int]:
    """Ids of the messages this request queued for mail (call after a flush)."""
    messages, inserted = g.pop("outbox_pending", []), g.pop("outbox_pending_ids", [])
    if not current_app.config.get("MAIL_SERVER"):
        return []
    return [m.id for m in messages if m.id is not None and m.status == "queued"] + inserted


@after_commit
def _mail_after_commit():
    """app.transaction.commit(): this request's mail, sent once the commit has stored it."""
    pending = queued_in_this_request()
    return (lambda: deliver_after_commit(pending)) if pending else None


@after_commit
def _sms_after_commit():
    """The request's SMS after its mail, as the commit has always handed them over."""
    pending = sms.queued_in_this_request()
    return (lambda: sms.send_after_commit(pending)) if pending else None


def deliver_after_commit(pending: list[int]) -> None:
    """Called once the request committed: hand this request's messages to SMTP."""
    if not pending:
        return
    app = current_app._get_current_object()
    if app.config.get("MAIL_SEND_ASYNC"):
        threading.Thread(target=_deliver_in_context, args=(app, pending), daemon=True).start()
    else:
        deliver(pending)


def _deliver_in_context(app, ids):
    with app.app_context():
        deliver(ids)


def deliver(ids: list[int] | None = None, limit: int = 200) -> dict[str, int]:
    """Send queued messages by SMTP; used after commits and by `flask outbox send`."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return {"sent": 0, "failed": 0}
    query = sa.select(OutboxMessage).where(OutboxMessage.status.in_(("queued", "failed")),
                                           OutboxMessage.attempts < 5)
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    messages = db.session.scalars(query.order_by(OutboxMessage.id).limit(limit)).all()
    counts = {"sent": 0, "failed": 0}
    if not messages:
        return counts
    try:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10)
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("SMTP unavailable: %s", exc)
        for m in messages:
            m.attempts += 1
            m.transition("failed")
            m.error = str(exc)[:500]
        db.session.commit()
        return {"sent": 0, "failed": len(messages)}
    with smtp:
        for m in messages:
            mail = EmailMessage()
            mail["From"] = config["MAIL_SENDER"]
            mail["To"] = m.to_address
            mail["Subject"] = m.subject
            mail.set_content(message_body(m))
            m.attempts += 1
            try:
                smtp.send_message(mail)
            except smtplib.SMTPException as exc:
                m.transition("failed")
                m.error = str(exc)[:500]
                counts["failed"] += 1
            else:
                m.transition("sent")
                m.sent_at, m.error = utcnow(), None
                counts["sent"] += 1
    db.session.commit()
    return counts
