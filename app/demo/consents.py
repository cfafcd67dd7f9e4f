"""Demo accounts agree to the privacy notice in force, as people signing up do: otherwise every
demo login would first be asked to (app/accounts/consent_views.py)."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.consents import PrivacyConsent, current_version
from app.accounts.models import User
from app.extensions import db
from app.timeutil import utcnow


def load_consents(echo) -> int:
    version = current_version()
    missing = list(db.session.scalars(sa.select(User.id).where(~sa.exists().where(
        PrivacyConsent.user_id == User.id, PrivacyConsent.version == version)).order_by(User.id)))
    now = utcnow()
    db.session.add_all(PrivacyConsent(user_id=user_id, version=version, consented_at=now) for user_id in missing)
    db.session.commit()
    if missing:
        echo(f"demo: {len(missing)} accounts agreed to privacy notice {version}")
    return len(missing)
