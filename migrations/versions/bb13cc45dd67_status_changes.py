"""status_changes: the append-only history of models without a history table of their own

Revision ID: bb13cc45dd67
Revises: aa12bb34cc56
Create Date: 2026-12-06 14:00:00.000000

Every stateful model changes its status through one `transition()` (app/transitions.py) that
writes a history row; session bookings, enrolments, entries, competitions and events write it here.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bb13cc45dd67'
down_revision = 'aa12bb34cc56'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'status_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject_type', sa.String(length=40), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('from_status', sa.String(length=20), nullable=True),
        sa.Column('to_status', sa.String(length=20), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_status_changes_subject', 'status_changes', ['subject_type', 'subject_id'])


def downgrade():
    op.drop_index('ix_status_changes_subject', table_name='status_changes')
    op.drop_table('status_changes')
