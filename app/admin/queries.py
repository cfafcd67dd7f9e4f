"""What the admin pages list: accounts, departments, the mail and SMS outboxes, the audit log."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import Department, User, UserRole
from app.accounts.search import person_matches
from app.audit.models import AuditEntry
from app.errors import NotFound
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.sms.models import SMS_LABELS, SmsMessage

PAGE = 50
AUDIT_PAGE = 100


def departments() -> list[Department]:
    return list(db.session.scalars(sa.select(Department).order_by(Department.id)))


def _get(model, row_id: int):
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound()
    return row


def get_user(user_id: int) -> User:
    return _get(User, user_id)


def users_page(page: int, *, q: str = "", role: str | None = None):
    """Accounts by id; `q` matches name, mobile, email or employer; `role` a role held
    ("participant", which everyone is, filters nothing)."""
    # The page shows each account's roles and departments: loaded for the page at once, not per row.
    query = sa.select(User).options(selectinload(User.role_rows), selectinload(User.departments)).order_by(User.id)
    if q and q.strip():
        query = query.where(person_matches(q.strip(), email=True))  # indexed; a name prefix under 3 characters
    if role and role != "participant":
        query = query.where(User.id.in_(sa.select(UserRole.user_id).where(UserRole.role == role)))
    return db.paginate(query, page=page, per_page=PAGE, error_out=False)


def _newest_first(model, page: int, status: str | None = None, per_page: int = PAGE, options=()):
    query = sa.select(model).options(*options).order_by(model.id.desc())
    if status:
        query = query.where(model.status == status)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def outbox_page(page: int, status: str | None = None):
    return _newest_first(OutboxMessage, page, status, options=[selectinload(OutboxMessage.user)])


def sms_page(page: int, status: str | None = None):
    """Text messages, newest first; a status the SMS labels do not know filters nothing."""
    return _newest_first(SmsMessage, page, status if status in SMS_LABELS else None,
                         options=[selectinload(SmsMessage.user)])


def get_outbox_message(message_id: int) -> OutboxMessage:
    return _get(OutboxMessage, message_id)


def audit_page(page: int):
    """The audit log, newest first, and the accounts that acted on that page by id."""
    entries = _newest_first(AuditEntry, page, per_page=AUDIT_PAGE)
    actors = {u.id: u for u in db.session.scalars(sa.select(User).where(
        User.id.in_({e.actor_id for e in entries.items if e.actor_id})))}
    return entries, actors
