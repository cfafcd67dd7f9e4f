"""people search: trigram indexes on users' name, mobile, email and employer, and a name-prefix
btree (PostgreSQL only)

Revision ID: hh19rs000001
Revises: hh19ce000001
Create Date: 2026-12-07 10:00:00

Searching registrations, /console/people and /admin/users by any part of a name, mobile (its
last four digits), email or employer was a LIKE '%q%' scan of every person (issue 19). pg_trgm's
GIN indexes serve those for 3 characters or more; a shorter search is a name prefix, served by
the btree with pattern ops. pg_trgm is a trusted extension (PostgreSQL 13+): the database's
owner may create it. SQLite gets nothing: it scans.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'hh19rs000001'
down_revision = 'hh19ce000001'
branch_labels = None
depends_on = None

TRIGRAM_COLUMNS = ("name", "mobile", "email", "employer")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        op.create_index(f"ix_users_{column}_trgm", "users", [column], postgresql_using="gin",
                        postgresql_ops={column: "gin_trgm_ops"})
    op.create_index("ix_users_name_prefix", "users", ["name"], postgresql_ops={"name": "varchar_pattern_ops"})


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_users_name_prefix", table_name="users")
    for column in TRIGRAM_COLUMNS:
        op.drop_index(f"ix_users_{column}_trgm", table_name="users")
    # The extension stays: other databases' objects (or a later migration) may use it.
