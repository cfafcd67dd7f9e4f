"""the ledger's indexes: accepted entry scans, registration -> person

Revision ID: ff17lg000001
Revises: ff17pl000001
Create Date: 2026-12-07 03:40:00

The plan's figures count people from accepted entry scans (app/plans/ledger/sources/events.py):
a partial index of those scans holding every column the count reads, and one from a registration
to its person, let PostgreSQL answer from the indexes alone (bench/dashboard.py, EXPLAIN ANALYZE).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ff17lg000001'
down_revision = 'ff17pl000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.create_index('ix_scans_entries', ['registration_id', 'checkpoint_id', 'scanned_at'], unique=False,
                              postgresql_where=sa.text("result = 'ok' AND direction = 'in'"),
                              sqlite_where=sa.text("result = 'ok' AND direction = 'in'"))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_id_user', ['id', 'user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_id_user')
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_index('ix_scans_entries')
