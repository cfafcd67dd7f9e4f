"""The column a programme's row uses to point at the registry: nullable (a typed name not found in
the registry stays unlinked), indexed (an organisation's page reads back through it), and set to
NULL if the organisation row is ever deleted (merges keep rows, so that is rare)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import mapped_column


def organisation_ref():
    return mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True, nullable=True)
