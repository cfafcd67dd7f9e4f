"""job fairs: employers' booths at a fair (job_fair or campus_recruiting event), their positions,
job seekers' interests with the consents they gave and withdrew, outcomes, booth visits

Revision ID: dd15jf000001
Revises: dd15on000001
Create Date: 2026-12-06 20:00:00.000000

An interest is unique per booth and person; a booth number and an employer once per fair; consent
rows are never deleted (withdrawal sets withdrawn_at).
"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'dd15jf000001'
down_revision = 'dd15on000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('fair_employers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('booth', sa.String(length=20), nullable=False),
    sa.Column('booth_code', sa.String(length=43), nullable=False),
    sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_fair_employers_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_fair_employers_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_employers')),
    sa.UniqueConstraint('booth_code', name=op.f('uq_fair_employers_booth_code')),
    sa.UniqueConstraint('event_id', 'booth', name=op.f('uq_fair_employers_event_id_booth')),
    sa.UniqueConstraint('event_id', 'organisation_id', name=op.f('uq_fair_employers_event_id_organisation_id'))
    )
    with op.batch_alter_table('fair_employers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fair_employers_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fair_employers_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('fair_booth_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fair_employer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', app.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['fair_employer_id'], ['fair_employers.id'], name=op.f('fk_fair_booth_visits_fair_employer_id_fair_employers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fair_booth_visits_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_booth_visits')),
    sa.UniqueConstraint('fair_employer_id', 'user_id', name=op.f('uq_fair_booth_visits_fair_employer_id_user_id'))
    )
    with op.batch_alter_table('fair_booth_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fair_booth_visits_fair_employer_id'), ['fair_employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fair_booth_visits_user_id'), ['user_id'], unique=False)

    op.create_table('fair_interests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fair_employer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('education', sa.String(length=20), nullable=False),
    sa.Column('school', sa.String(length=120), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=True),
    sa.Column('major', sa.String(length=120), nullable=False),
    sa.Column('cv_file', sa.String(length=60), nullable=True),
    sa.Column('via', sa.String(length=20), nullable=False),
    sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['fair_employer_id'], ['fair_employers.id'], name=op.f('fk_fair_interests_fair_employer_id_fair_employers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['university_id'], ['organisations.id'], name=op.f('fk_fair_interests_university_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fair_interests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_interests')),
    sa.UniqueConstraint('fair_employer_id', 'user_id', name=op.f('uq_fair_interests_fair_employer_id_user_id'))
    )
    with op.batch_alter_table('fair_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fair_interests_fair_employer_id'), ['fair_employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fair_interests_user_id'), ['user_id'], unique=False)

    op.create_table('fair_positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fair_employer_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('openings', sa.Integer(), nullable=False),
    sa.Column('education', sa.String(length=20), nullable=False),
    sa.Column('major', sa.String(length=120), nullable=False),
    sa.Column('salary_min', sa.Integer(), nullable=True),
    sa.Column('salary_max', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['fair_employer_id'], ['fair_employers.id'], name=op.f('fk_fair_positions_fair_employer_id_fair_employers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_positions'))
    )
    with op.batch_alter_table('fair_positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fair_positions_fair_employer_id'), ['fair_employer_id'], unique=False)

    op.create_table('fair_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('wording_version', sa.String(length=20), nullable=False),
    sa.Column('includes_mobile', sa.Boolean(), nullable=False),
    sa.Column('given_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', app.timeutil.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_fair_consents_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interest_id'], ['fair_interests.id'], name=op.f('fk_fair_consents_interest_id_fair_interests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_fair_consents_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fair_consents_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_consents'))
    )
    with op.batch_alter_table('fair_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fair_consents_interest_id'), ['interest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fair_consents_user_id'), ['user_id'], unique=False)

    op.create_table('fair_interest_positions',
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['interest_id'], ['fair_interests.id'], name=op.f('fk_fair_interest_positions_interest_id_fair_interests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['position_id'], ['fair_positions.id'], name=op.f('fk_fair_interest_positions_position_id_fair_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('interest_id', 'position_id', name=op.f('pk_fair_interest_positions'))
    )
    op.create_table('fair_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('updated_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['interest_id'], ['fair_interests.id'], name=op.f('fk_fair_outcomes_interest_id_fair_interests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_outcomes')),
    sa.UniqueConstraint('interest_id', name=op.f('uq_fair_outcomes_interest_id'))
    )


def downgrade():
    op.drop_table('fair_outcomes')
    op.drop_table('fair_interest_positions')
    with op.batch_alter_table('fair_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fair_consents_user_id'))
        batch_op.drop_index(batch_op.f('ix_fair_consents_interest_id'))

    op.drop_table('fair_consents')
    with op.batch_alter_table('fair_positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fair_positions_fair_employer_id'))

    op.drop_table('fair_positions')
    with op.batch_alter_table('fair_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fair_interests_user_id'))
        batch_op.drop_index(batch_op.f('ix_fair_interests_fair_employer_id'))

    op.drop_table('fair_interests')
    with op.batch_alter_table('fair_booth_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fair_booth_visits_user_id'))
        batch_op.drop_index(batch_op.f('ix_fair_booth_visits_fair_employer_id'))

    op.drop_table('fair_booth_visits')
    with op.batch_alter_table('fair_employers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fair_employers_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_fair_employers_event_id'))

    op.drop_table('fair_employers')
