"""venue codes: self check-in at any checkpoint, screen or printed code, print generation

Revision ID: ee16vc000001
Revises: dd15pc000001
Create Date: 2026-12-06 23:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ee16vc000001'
down_revision = 'dd15pc000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_check_in', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('venue_code', sa.String(length=6), server_default='screen', nullable=False))
        batch_op.add_column(sa.Column('print_generation', sa.Integer(), server_default='0', nullable=False))
    # Camp lessons had their projected code before: their checkpoints keep allowing self check-in.
    op.execute("UPDATE checkpoints SET self_check_in = true "
               "WHERE session_id IN (SELECT session_id FROM lessons)")


def downgrade():
    with op.batch_alter_table('checkpoints', schema=None) as batch_op:
        batch_op.drop_column('print_generation')
        batch_op.drop_column('venue_code')
        batch_op.drop_column('self_check_in')
