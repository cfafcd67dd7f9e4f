"""traineeships: batches, places, applications and their choices, placements, months, training
days, evaluations, trainee feedback; host company contacts

Revision ID: aa14tr000001
Revises: ee14aa11bb22
Create Date: 2026-12-06 17:00:00.000000

A person holds one live placement per batch: a partial unique index on (batch_id, user_id) over
every status but 'rejected' backs the row lock the host's accept takes on the application.
"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'aa14tr000001'
down_revision = 'ee14aa11bb22'
branch_labels = None
depends_on = None

UTC = app.timeutil.UTCDateTime
LIVE = sa.text("status <> 'rejected'")


def _id():
    return sa.Column('id', sa.Integer(), nullable=False)


def upgrade():
    op.create_table(
        'organisation_contacts',
        _id(),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('added_at', UTC(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('organisation_id', 'user_id'),
    )
    op.create_index('ix_organisation_contacts_user_id', 'organisation_contacts', ['user_id'])
    op.create_table(
        'traineeship_batches',
        _id(),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('season', sa.String(length=10), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('applications_open_at', UTC(), nullable=False),
        sa.Column('applications_close_at', UTC(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('max_choices', sa.Integer(), nullable=False),
        sa.Column('eligibility', sa.JSON(), nullable=False),
        sa.Column('rubric', sa.JSON(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id']),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_id'),
    )
    op.create_index('ix_traineeship_batches_status', 'traineeship_batches', ['status'])
    op.create_table(
        'traineeship_places',
        _id(),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('host_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.String(length=120), nullable=False),
        sa.Column('openings', sa.Integer(), nullable=False),
        sa.Column('months', sa.Integer(), nullable=False),
        sa.Column('monthly_allowance', sa.Integer(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('requirements', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['traineeship_batches.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['host_id'], ['organisations.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_traineeship_places_batch_id', 'traineeship_places', ['batch_id'])
    op.create_index('ix_traineeship_places_host_id', 'traineeship_places', ['host_id'])
    op.create_table(
        'trainee_applications',
        _id(),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('university_id', sa.Integer(), nullable=True),
        sa.Column('school_name', sa.String(length=120), nullable=False),
        sa.Column('major', sa.String(length=120), nullable=False),
        sa.Column('education', sa.String(length=20), nullable=False),
        sa.Column('graduation_year', sa.Integer(), nullable=False),
        sa.Column('birth_date', sa.Date(), nullable=False),
        sa.Column('in_shanghai_household', sa.Boolean(), nullable=False),
        sa.Column('studies_in_shanghai', sa.Boolean(), nullable=False),
        sa.Column('left_school_unemployed', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['traineeship_batches.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['university_id'], ['organisations.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('batch_id', 'user_id'),
    )
    op.create_index('ix_trainee_applications_user_id', 'trainee_applications', ['user_id'])
    op.create_table(
        'application_choices',
        _id(),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('place_id', sa.Integer(), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', UTC(), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['trainee_applications.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['place_id'], ['traineeship_places.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('application_id', 'place_id'),
        sa.UniqueConstraint('application_id', 'rank'),
    )
    op.create_index('ix_application_choices_place_id', 'application_choices', ['place_id'])
    op.create_table(
        'placements',
        _id(),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('choice_id', sa.Integer(), nullable=False),
        sa.Column('place_id', sa.Integer(), nullable=False),
        sa.Column('host_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('withdrawn_reason', sa.String(length=300), nullable=False),
        sa.Column('withdrawn_at', UTC(), nullable=True),
        sa.Column('retained', sa.Boolean(), nullable=True),
        sa.Column('retained_from', sa.Date(), nullable=True),
        sa.Column('retention_decided_at', UTC(), nullable=True),
        sa.ForeignKeyConstraint(['batch_id'], ['traineeship_batches.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['application_id'], ['trainee_applications.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['choice_id'], ['application_choices.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['place_id'], ['traineeship_places.id']),
        sa.ForeignKeyConstraint(['host_id'], ['organisations.id']),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id']),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('registration_id'),
    )
    for column in ('batch_id', 'user_id', 'application_id', 'place_id', 'host_id'):
        op.create_index(f'ix_placements_{column}', 'placements', [column])
    op.create_index('uq_placements_live_batch_user', 'placements', ['batch_id', 'user_id'], unique=True,
                    postgresql_where=LIVE, sqlite_where=LIVE)
    op.create_table(
        'traineeship_months',
        _id(),
        sa.Column('placement_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('present_days', sa.Integer(), nullable=False),
        sa.Column('absent_days', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', UTC(), nullable=True),
        sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('placement_id', 'month'),
    )
    op.create_table(
        'traineeship_training_days',
        _id(),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['traineeship_batches.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['session_id'], ['event_sessions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('session_id'),
    )
    op.create_index('ix_traineeship_training_days_batch_id', 'traineeship_training_days', ['batch_id'])
    op.create_table(
        'traineeship_evaluations',
        _id(),
        sa.Column('placement_id', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=10), nullable=False),
        sa.Column('scores', sa.JSON(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('at', UTC(), nullable=False),
        sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('placement_id', 'stage'),
    )
    op.create_table(
        'trainee_feedback',
        _id(),
        sa.Column('placement_id', sa.Integer(), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('at', UTC(), nullable=False),
        sa.CheckConstraint('rating BETWEEN 1 AND 5', name='ck_trainee_feedback_rating'),
        sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('placement_id'),
    )


def downgrade():
    op.drop_table('trainee_feedback')
    op.drop_table('traineeship_evaluations')
    op.drop_table('traineeship_training_days')
    op.drop_table('traineeship_months')
    op.drop_table('placements')
    op.drop_table('application_choices')
    op.drop_table('trainee_applications')
    op.drop_table('traineeship_places')
    op.drop_table('traineeship_batches')
    op.drop_table('organisation_contacts')
