"""reminders (one row per person × occasion × slot) and the channels a person chose

Revision ID: aa12bb34cc56
Revises: d4e5f6a7b8c9
Create Date: 2026-12-06 10:45:00.000000

Reminders the day before and two hours before an occasion a person holds a place at; each is a
row first (scheduled → sent | dropped) so that it can be scheduled, dropped when the place or
the time changes, and never sent twice. users.notify_mail / notify_sms: the channels a person
wants besides the inbox, which is always on.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'aa12bb34cc56'
down_revision = 'd4e5f6a7b8c9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('occasion', sa.String(length=40), nullable=False),
        sa.Column('slot', sa.String(length=4), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('dropped_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['session_id'], ['event_sessions.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'occasion', 'slot', 'starts_at', name='uq_reminders_person_occasion_slot'),
    )
    op.create_index('ix_reminders_status_due', 'reminders', ['status', 'due_at'])
    op.create_index('ix_reminders_registration_id', 'reminders', ['registration_id'])
    op.create_index('ix_reminders_event_id', 'reminders', ['event_id'])
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('notify_mail', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column('notify_sms', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('notify_sms')
        batch.drop_column('notify_mail')
    op.drop_index('ix_reminders_event_id', table_name='reminders')
    op.drop_index('ix_reminders_registration_id', table_name='reminders')
    op.drop_index('ix_reminders_status_due', table_name='reminders')
    op.drop_table('reminders')
