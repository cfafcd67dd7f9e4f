"""What the merge pages show: the counts beside each account on the compare page, the merges list."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.person.merge.models import AccountMerge
from app.person.merge.services import require_admin

# (label, table, user column): what a person holds, counted per account so staff see which is in use.
COUNTED = (
    (_l("Registrations"), "registrations", "user_id"),
    (_l("Camp applications"), "applications", "user_id"),
    (_l("Camp enrolments"), "enrolments", "user_id"),
    (_l("Competition entries"), "competition_entries", "user_id"),
    (_l("Pitch entries"), "pitch_entries", "user_id"),
    (_l("Apprenticeships"), "apprenticeships", "apprentice_id"),
    (_l("Traineeship applications"), "trainee_applications", "user_id"),
    (_l("Certificates"), "certificates", "recipient_id"),
)


def holdings(user_id: int) -> list[tuple[str, int]]:
    counts = []
    for label, name, column in COUNTED:
        table = db.metadata.tables[name]
        counts.append((str(label), db.session.scalar(
            sa.select(sa.func.count()).select_from(table).where(table.c[column] == user_id))))
    return counts


def merges(actor, limit: int = 200) -> list[AccountMerge]:
    require_admin(actor)
    # each row names both accounts and who merged them: read for the whole list at once
    return list(db.session.scalars(sa.select(AccountMerge).options(
        selectinload(AccountMerge.survivor), selectinload(AccountMerge.absorbed), selectinload(AccountMerge.merged_by))
        .order_by(AccountMerge.id.desc()).limit(limit)))
