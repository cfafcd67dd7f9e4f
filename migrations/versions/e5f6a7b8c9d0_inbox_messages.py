"""notifications: the in-app inbox (站内消息)

Revision ID: e5f6a7b8c9d0
Revises: b7e1c4a9d2f0
Create Date: 2026-12-06 09:00:00.000000

Every notice also lands in the recipient's inbox, so people who signed up with a mobile number
only (no e-mail) read it in the app.
"""
from alembic import op
import sqlalchemy as sa

from app.timeutil import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'e5f6a7b8c9d0'
down_revision = 'b7e1c4a9d2f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'inbox_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.String(length=1000), nullable=False),
        sa.Column('link', sa.String(length=300), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('read_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_inbox_messages_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_messages')),
    )
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_inbox_messages_user_read', ['user_id', 'read_at'], unique=False)


def downgrade():
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_messages_user_read')
    op.drop_table('inbox_messages')
