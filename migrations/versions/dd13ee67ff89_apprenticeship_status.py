"""studios: an apprenticeship has a status (active, ended) that changes through transition()

Revision ID: dd13ee67ff89
Revises: cc13dd56ee78
Create Date: 2026-12-06 15:00:00.000000

A pairing was active while it had no end date. It now has a status like every other stateful
model, changed only through `transition()` (which writes the status_changes row); existing rows
take it from the end date. Lessons and activities keep reading their title and times from
their agenda session, so their tables do not change.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dd13ee67ff89'
down_revision = 'cc13dd56ee78'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('apprenticeships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=True))
    op.execute("UPDATE apprenticeships SET status = CASE WHEN ended_on IS NULL THEN 'active' ELSE 'ended' END")
    with op.batch_alter_table('apprenticeships', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=10), nullable=False)


def downgrade():
    with op.batch_alter_table('apprenticeships', schema=None) as batch_op:
        batch_op.drop_column('status')
