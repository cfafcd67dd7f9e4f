from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.privacy import mask_phone
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table

QUEUED, DEFERRED, SENT, DELIVERED = "queued", "deferred", "sent", "delivered"
FAILED, UNSENT, CAPPED = "failed", "unsent", "capped"
# Rows a delivery run may pick up (unsent: no provider was configured when it was queued).
DUE_STATUSES = (QUEUED, DEFERRED, UNSENT)


# Made with its first status (queue_sms). A due message is tried (again: a temporary failure
# goes back to queued, quiet hours defer it, no provider leaves it unsent); a sent one's receipt
# says delivered or failed, and a repeated receipt may say it again.
SMS_TRANSITIONS = transition_table({
    None: {QUEUED, DEFERRED, UNSENT, FAILED, CAPPED},
    **{due: {QUEUED, DEFERRED, UNSENT, FAILED, SENT} for due in DUE_STATUSES},
    SENT: {DELIVERED, FAILED},
    DELIVERED: {DELIVERED, FAILED},
    FAILED: {DELIVERED, FAILED},
})


class SmsMessage(Stateful, db.Model):
    """One text message to one number: the record of what was asked of the provider and what
    it answered (send result, then the delivery receipt)."""

    TRANSITIONS = SMS_TRANSITIONS

    __tablename__ = "sms_messages"
    __table_args__ = (sa.Index("ix_sms_messages_mobile_created", "mobile", "created_at"),
                      sa.Index("ix_sms_messages_status_next", "status", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    mobile: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(40))
    template_code: Mapped[str | None] = mapped_column(sa.String(40))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    urgent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(12), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provider: Mapped[str | None] = mapped_column(sa.String(12))
    # Aliyun's BizId / Tencent's SerialNo: the key delivery receipts come back with.
    provider_message_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    error_code: Mapped[str | None] = mapped_column(sa.String(80))
    error: Mapped[str | None] = mapped_column(sa.String(200))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    receipt_status: Mapped[str | None] = mapped_column(sa.String(40))
    receipt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()

    def record_transition(self, old, new, *, actor, note, at) -> None:
        """Nothing more to write: the row is its own history (attempts, next_attempt_at, sent_at,
        error, receipt_status and receipt_at)."""

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)


SMS_LABELS = {
    QUEUED: _l("Queued"),
    DEFERRED: _l("Deferred (quiet hours)"),
    SENT: _l("Sent"),
    DELIVERED: _l("Delivered"),
    FAILED: _l("Failed"),
    UNSENT: _l("Not sent (no SMS provider)"),
    CAPPED: _l("Not sent (daily limit for this number)"),
}


def sms_label(status: str) -> str:
    return str(SMS_LABELS.get(status, status))
