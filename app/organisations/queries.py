"""What an organisation's page reads besides the organisation itself."""
from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db
from app.organisations.models import Organisation
from app.transitions import StatusChange, changes_of


def merged_into_this(organisation: Organisation) -> list[Organisation]:
    """The duplicates merged into this organisation, oldest first."""
    return list(db.session.scalars(sa.select(Organisation).where(Organisation.merged_into_id == organisation.id)
                                   .order_by(Organisation.id)))


def status_history(organisation: Organisation) -> list[StatusChange]:
    return changes_of(organisation)


def audit_trail(organisation: Organisation, limit: int = 50) -> list[AuditEntry]:
    """The audited changes of this organisation (created, edited, merges into it), newest first."""
    return list(db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.subject_type == type(organisation).__name__,
                                    AuditEntry.subject_id == organisation.id)
        .order_by(AuditEntry.id.desc()).limit(limit)))
