"""an index of accepted entry scans by checkpoint: each registration's first entry, from the index

Revision ID: hh19ck000001
Revises: gg18fs000001
Create Date: 2026-12-07 10:00:00

The wall, the checkpoint stats and the roster find each registration's first accepted entry at a
checkpoint, and count them, every few seconds (issue 19): a partial index of accepted entries in
(checkpoint, registration, id) order, holding the time too, serves that read alone. The ledger's
ix_scans_entries leads with the registration, so it cannot serve a read by checkpoint.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'hh19ck000001'
down_revision = 'gg18fs000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.create_index('ix_scans_first_entries', ['checkpoint_id', 'registration_id', 'id', 'scanned_at'],
                              unique=False,
                              postgresql_where=sa.text("result = 'ok' AND direction = 'in'"),
                              sqlite_where=sa.text("result = 'ok' AND direction = 'in'"))


def downgrade():
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_index('ix_scans_first_entries')
