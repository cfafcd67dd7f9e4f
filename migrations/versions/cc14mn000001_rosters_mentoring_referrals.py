"""rosters (mentors, ambassadors, recruiting officers), mentoring pairings and sessions, referral codes

Revision ID: cc14mn000001
Revises: bb14ln000001
Create Date: 2026-12-06 17:00:00.000000

A person holds one current appointment per kind (a partial unique index over the rows not ended);
a founder has one active mentor per cohort (likewise). Registrations and camp applications carry
the referral code they came through, as plain data.
"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'cc14mn000001'
down_revision = 'bb14ln000001'
branch_labels = None
depends_on = None

NOT_ENDED = sa.text("status <> 'ended'")
ACTIVE = sa.text("status = 'active'")


def upgrade():
    op.create_table(
        'roster_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('expertise', sa.String(length=200), nullable=False),
        sa.Column('term_from', sa.Date(), nullable=False),
        sa.Column('term_to', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('referral_code', sa.String(length=12), nullable=True),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('end_note', sa.String(length=300), nullable=False),
        sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('referral_code'),
    )
    op.create_index('ix_roster_members_kind', 'roster_members', ['kind'])
    op.create_index('ix_roster_members_user_id', 'roster_members', ['user_id'])
    op.create_index('uq_roster_members_current', 'roster_members', ['kind', 'user_id'], unique=True,
                    postgresql_where=NOT_ENDED, sqlite_where=NOT_ENDED)

    op.create_table(
        'mentor_pairings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=False),
        sa.Column('founder_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('end_note', sa.String(length=300), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['mentor_id'], ['roster_members.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['founder_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_mentor_pairings_cohort_id', 'mentor_pairings', ['cohort_id'])
    op.create_index('ix_mentor_pairings_mentor_id', 'mentor_pairings', ['mentor_id'])
    op.create_index('ix_mentor_pairings_founder_id', 'mentor_pairings', ['founder_id'])
    op.create_index('uq_mentor_pairings_active_founder', 'mentor_pairings', ['cohort_id', 'founder_id'],
                    unique=True, postgresql_where=ACTIVE, sqlite_where=ACTIVE)

    op.create_table(
        'mentoring_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pairing_id', sa.Integer(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('topic', sa.String(length=200), nullable=False),
        sa.Column('minutes', sa.Text(), nullable=False),
        sa.Column('follow_up', sa.Text(), nullable=False),
        sa.Column('logged_by_id', sa.Integer(), nullable=True),
        sa.Column('logged_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=True),
        sa.Column('rating_comment', sa.String(length=500), nullable=False),
        sa.Column('rated_at', app.timeutil.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['pairing_id'], ['mentor_pairings.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['logged_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_mentoring_sessions_pairing_id', 'mentoring_sessions', ['pairing_id'])

    for table in ('registrations', 'applications'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('referral_code', sa.String(length=12), nullable=True))
            batch_op.create_index(f'ix_{table}_referral_code', ['referral_code'], unique=False)


def downgrade():
    for table in ('applications', 'registrations'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_referral_code')
            batch_op.drop_column('referral_code')
    op.drop_index('ix_mentoring_sessions_pairing_id', table_name='mentoring_sessions')
    op.drop_table('mentoring_sessions')
    for name in ('uq_mentor_pairings_active_founder', 'ix_mentor_pairings_founder_id', 'ix_mentor_pairings_mentor_id',
                 'ix_mentor_pairings_cohort_id'):
        op.drop_index(name, table_name='mentor_pairings')
    op.drop_table('mentor_pairings')
    for name in ('uq_roster_members_current', 'ix_roster_members_user_id', 'ix_roster_members_kind'):
        op.drop_index(name, table_name='roster_members')
    op.drop_table('roster_members')
