"""online and hybrid events: the event's format and invited-only setting, checkpoints' kind, the
online part, online presence, university and person invitations

Revision ID: dd15on000001
Revises: cc14mn000001
Create Date: 2026-12-06 20:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'dd15on000001'
down_revision = 'cc14mn000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('format', sa.String(length=8), server_default='onsite', nullable=False))
        batch.add_column(sa.Column('invited_only', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('checkpoints') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=8), server_default='door', nullable=False))
    op.create_index('uq_checkpoints_online_event', 'checkpoints', ['event_id'], unique=True,
                    postgresql_where=sa.text("kind = 'online'"), sqlite_where=sa.text("kind = 'online'"))

    op.create_table(
        'online_parts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('stream_url', sa.String(length=500), nullable=False),
        sa.Column('access_code', sa.String(length=40), nullable=False),
        sa.Column('reveal_minutes', sa.Integer(), nullable=False),
        sa.Column('attended_minutes', sa.Integer(), nullable=False),
        sa.Column('replay_url', sa.String(length=500), nullable=False),
        sa.Column('updated_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_id'),
    )
    op.create_table(
        'online_presence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('joined_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.Column('last_seen_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.Column('seconds', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('registration_id'),
    )
    op.create_index('ix_online_presence_event_id', 'online_presence', ['event_id'])
    op.create_table(
        'online_university_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('opens', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code'),
        sa.UniqueConstraint('event_id', 'organisation_id'),
    )
    op.create_index('ix_online_university_invitations_event_id', 'online_university_invitations', ['event_id'])
    op.create_table(
        'online_person_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('university_invitation_id', sa.Integer(), nullable=True),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['university_invitation_id'], ['online_university_invitations.id'],
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_id', 'user_id'),
    )
    op.create_index('ix_online_person_invitations_event_id', 'online_person_invitations', ['event_id'])
    op.create_index('ix_online_person_invitations_user_id', 'online_person_invitations', ['user_id'])
    op.create_index('ix_online_person_invitations_university_invitation_id', 'online_person_invitations',
                    ['university_invitation_id'])


def downgrade():
    op.drop_table('online_person_invitations')
    op.drop_table('online_university_invitations')
    op.drop_table('online_presence')
    op.drop_table('online_parts')
    op.drop_index('uq_checkpoints_online_event', table_name='checkpoints')
    with op.batch_alter_table('checkpoints') as batch:
        batch.drop_column('kind')
    with op.batch_alter_table('events') as batch:
        batch.drop_column('invited_only')
        batch.drop_column('format')
