"""personal codes (我的码): the code authority's keys and each person's phone keys

Revision ID: ee16pc000001
Revises: ee16pr000001
Create Date: 2026-12-06 23:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'ee16pc000001'
down_revision = 'ee16pr000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('code_authority_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('private_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.Column('retired_at', app.timeutil.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_authority_keys'))
    )
    op.create_table('phone_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.Column('last_issued_at', app.timeutil.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', app.timeutil.UTCDateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=200), nullable=False),
    sa.Column('session_key', sa.String(length=43), nullable=True),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_phone_keys_revoked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_phone_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_keys')),
    sa.UniqueConstraint('public_key', name=op.f('uq_phone_keys_public_key'))
    )
    with op.batch_alter_table('phone_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phone_keys_revoked_at'), ['revoked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_phone_keys_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('phone_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phone_keys_user_id'))
        batch_op.drop_index(batch_op.f('ix_phone_keys_revoked_at'))

    op.drop_table('phone_keys')
    op.drop_table('code_authority_keys')
