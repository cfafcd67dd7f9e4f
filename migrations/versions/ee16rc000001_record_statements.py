"""record statements: the printed talent records (参与证明汇总) and what they said, for their QR check

Revision ID: ee16rc000001
Revises: ee16pc000001
Create Date: 2026-12-06 23:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'ee16rc000001'
down_revision = 'ee16pc000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('record_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('issued_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('revoked_at', app.timeutil.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_record_statements_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_statements')),
    sa.UniqueConstraint('code', name=op.f('uq_record_statements_code'))
    )
    with op.batch_alter_table('record_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_statements_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('record_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_statements_user_id'))

    op.drop_table('record_statements')
