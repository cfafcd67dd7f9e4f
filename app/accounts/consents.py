"""Consent to the privacy notice (PIPL): which version of /privacy a person agreed to, and when.

The notice's version is config (PRIVACY_NOTICE_VERSION); its text is the template of that page.
Rows are append-only: a new version asks again and adds a row, the old ones stay as the record of
what was agreed before. Sign-up records the current version; anyone signed in whose latest row is
not the current version is asked again (app/accounts/consent_views.py)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.audit import services as audit
from app.errors import InvalidInput
from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class PrivacyConsent(db.Model):
    __tablename__ = "privacy_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(sa.String(20))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def current_version() -> str:
    return current_app.config["PRIVACY_NOTICE_VERSION"]


def latest(user) -> PrivacyConsent | None:
    return db.session.scalar(sa.select(PrivacyConsent).where(PrivacyConsent.user_id == user.id)
                             .order_by(PrivacyConsent.consented_at.desc(), PrivacyConsent.id.desc()).limit(1))


def history(user) -> list[PrivacyConsent]:
    return list(db.session.scalars(sa.select(PrivacyConsent).where(PrivacyConsent.user_id == user.id)
                                   .order_by(PrivacyConsent.consented_at, PrivacyConsent.id)))


def has_current(user) -> bool:
    return db.session.scalar(sa.select(PrivacyConsent.id).where(
        PrivacyConsent.user_id == user.id, PrivacyConsent.version == current_version()).limit(1)) is not None


def record(user, version: str | None = None) -> PrivacyConsent:
    """`user` agrees to `version` (the current notice unless said) now."""
    row = PrivacyConsent(user_id=user.id, version=version or current_version(), consented_at=utcnow())
    db.session.add(row)
    return row


AGREE_FIRST = _l("Please read the privacy notice and tick the box to agree to it.")


def require_agreement(agreed) -> None:
    if not agreed:
        raise InvalidInput(fields={"consent": AGREE_FIRST})


def agree(user, agreed) -> PrivacyConsent:
    """A signed-in person answering the consent page: agreeing records the current version."""
    require_agreement(agreed)
    row = record(user)
    audit.record(user, "privacy.consent", user, version=row.version)
    return row
