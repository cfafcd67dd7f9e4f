"""account merges: the merge record with its moves, users.merged_into_id

Revision ID: ee16mg000001
Revises: ee16fu000001
Create Date: 2026-12-06 23:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'ee16mg000001'
down_revision = 'ee16fu000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_merged_into_id_users'), 'users', ['merged_into_id'], ['id'], ondelete='SET NULL')

    op.create_table('account_merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survivor_id', sa.Integer(), nullable=False),
    sa.Column('absorbed_id', sa.Integer(), nullable=False),
    sa.Column('merged_by_id', sa.Integer(), nullable=True),
    sa.Column('merged_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('moves', sa.JSON(), nullable=False),
    sa.Column('contacts', sa.JSON(), nullable=False),
    sa.Column('undone_at', app.timeutil.UTCDateTime(), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['absorbed_id'], ['users.id'], name=op.f('fk_account_merges_absorbed_id_users')),
    sa.ForeignKeyConstraint(['merged_by_id'], ['users.id'], name=op.f('fk_account_merges_merged_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survivor_id'], ['users.id'], name=op.f('fk_account_merges_survivor_id_users')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_account_merges_undone_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_merges'))
    )
    with op.batch_alter_table('account_merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_merges_absorbed_id'), ['absorbed_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_merges_survivor_id'), ['survivor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_merges_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_account_merges_absorbed_id'))

    op.drop_table('account_merges')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_merged_into_id_users'), type_='foreignkey')
        batch_op.drop_column('merged_into_id')
