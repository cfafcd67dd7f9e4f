"""followup surveys (留在闵行) and each programme's chosen months

Revision ID: ee16fu000001
Revises: ee16vc000001
Create Date: 2026-12-06 23:30:00

"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'ee16fu000001'
down_revision = 'ee16vc000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('followup_surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('programme_kind', sa.String(length=12), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('founder', sa.Boolean(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=False),
    sa.Column('months_after', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.Column('sent_at', app.timeutil.UTCDateTime(), nullable=True),
    sa.Column('answered_at', app.timeutil.UTCDateTime(), nullable=True),
    sa.Column('working', sa.String(length=24), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('funding_wan', sa.Integer(), nullable=True),
    sa.Column('team_size', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_followup_surveys_event_id_events')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_followup_surveys_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_followup_surveys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_surveys')),
    sa.UniqueConstraint('user_id', 'programme_kind', 'programme_id', 'months_after', name='uq_followup_surveys_person_programme_months')
    )
    with op.batch_alter_table('followup_surveys', schema=None) as batch_op:
        batch_op.create_index('ix_followup_surveys_programme', ['programme_kind', 'programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_surveys_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_surveys_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_surveys_user_id'), ['user_id'], unique=False)

    op.create_table('followup_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_kind', sa.String(length=12), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_followup_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_settings')),
    sa.UniqueConstraint('programme_kind', 'programme_id', name='uq_followup_settings_programme')
    )


def downgrade():
    op.drop_table('followup_settings')
    with op.batch_alter_table('followup_surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followup_surveys_user_id'))
        batch_op.drop_index(batch_op.f('ix_followup_surveys_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_followup_surveys_event_id'))
        batch_op.drop_index('ix_followup_surveys_programme')
    op.drop_table('followup_surveys')
