from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table


# Made queued, unsent or opted_out (mail_status); a queued or failed mail is tried by SMTP
# (failed again: up to five attempts).
OUTBOX_TRANSITIONS = transition_table({
    None: {"queued", "unsent", "opted_out"},
    "queued": {"sent", "failed"},
    "failed": {"sent", "failed"},
})


class OutboxMessage(Stateful, db.Model):
    """Every notification is written here first; delivery happens after the commit."""

    __tablename__ = "outbox"
    TRANSITIONS = OUTBOX_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str | None] = mapped_column(sa.String(254))
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(200))
    # The body is rendered from template + registration + params when it is first needed
    # (sending, or an admin opening it), then kept: no request pays for text nobody reads.
    template: Mapped[str] = mapped_column(sa.String(40))
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), index=True)
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    locale: Mapped[str] = mapped_column(sa.String(16), default="zh_CN")
    base_url: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str | None] = mapped_column(sa.Text)
    # queued -> sent | failed; "unsent" when SMTP is not configured or no address is known;
    # "opted_out" when the person turned mail off on their profile.
    status: Mapped[str] = mapped_column(sa.String(12), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(sa.String(500))

    user: Mapped[User | None] = relationship()
    registration = relationship("Registration")

    def record_transition(self, old, new, *, actor, note, at) -> None:
        """Nothing more to write: the row is its own history (attempts, sent_at, error)."""


OUTBOX_LABELS = {
    "queued": _l("Queued"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "unsent": _l("Not mailed (no address or no SMTP)"),
    "opted_out": _l("Not mailed (the person turned mail off)"),
}


def outbox_label(status: str) -> str:
    return str(OUTBOX_LABELS.get(status, status))


class InboxMessage(db.Model):
    """A notice in the person's own inbox (站内消息): it reaches people who gave no e-mail address."""

    __tablename__ = "inbox_messages"
    # The header's unread badge counts by exactly these two columns on every page.
    __table_args__ = (sa.Index("ix_inbox_messages_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    # Rendered once in the recipient's language: the sender's request may be in another one.
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.String(1000), default="")
    # A path inside this site (never an absolute URL): opening the message goes there.
    link: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
