"""certificates.notified_at: when the holder was told, so a big batch's notices can be sent after
the commit, chunk by chunk, and a retried job continues where it stopped (issue 19)

Revision ID: hh19ce000001
Revises: hh19ck000001
Create Date: 2026-12-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'hh19ce000001'
down_revision = 'hh19ck000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates') as batch_op:
        batch_op.add_column(sa.Column('notified_at', app.timeutil.UTCDateTime(), nullable=True))
    # Certificates issued so far were told in the issuing transaction.
    op.execute("UPDATE certificates SET notified_at = created_at")


def downgrade():
    with op.batch_alter_table('certificates') as batch_op:
        batch_op.drop_column('notified_at')
