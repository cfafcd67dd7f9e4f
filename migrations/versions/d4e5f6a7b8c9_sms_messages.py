"""notifications: sms_messages, one row per text message and its provider's answers

Revision ID: d4e5f6a7b8c9
Revises: f6a7b8c9d0e1
Create Date: 2026-12-06 09:00:00.000000

People who signed up with a mobile number only never heard from the system. Each notice now
also queues an SMS (template code + short variables) whose sending, retries and delivery
receipt are kept here.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e5f6a7b8c9'
down_revision = 'f6a7b8c9d0e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sms_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('mobile', sa.String(length=20), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('template_code', sa.String(length=40), nullable=True),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('urgent', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('provider', sa.String(length=12), nullable=True),
        sa.Column('provider_message_id', sa.String(length=64), nullable=True),
        sa.Column('error_code', sa.String(length=80), nullable=True),
        sa.Column('error', sa.String(length=200), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('receipt_status', sa.String(length=40), nullable=True),
        sa.Column('receipt_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.create_index('ix_sms_messages_mobile_created', ['mobile', 'created_at'], unique=False)
        batch_op.create_index('ix_sms_messages_status_next', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_messages_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_messages_provider_message_id'), ['provider_message_id'],
                              unique=False)


def downgrade():
    op.drop_table('sms_messages')
