"""satisfaction surveys: templates per kind of occasion, one survey per person and occasion, answers as asked

Revision ID: ff17sa000001
Revises: ee16rc000001
Create Date: 2026-12-07 03:17:05.014554

"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'ff17sa000001'
down_revision = 'ee16rc000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('satisfaction_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_satisfaction_templates_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_templates')),
    sa.UniqueConstraint('kind', 'version', name='uq_satisfaction_templates_kind_version')
    )
    op.create_table('satisfaction_surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('ended_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.Column('closes_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.Column('answered_at', app.timeutil.UTCDateTime(), nullable=True),
    sa.Column('rating_sum', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rating_count', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_satisfaction_surveys_event_id_events')),
    sa.ForeignKeyConstraint(['template_id'], ['satisfaction_templates.id'], name=op.f('fk_satisfaction_surveys_template_id_satisfaction_templates')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_satisfaction_surveys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_surveys')),
    sa.UniqueConstraint('user_id', 'event_id', name='uq_satisfaction_surveys_person_event')
    )
    with op.batch_alter_table('satisfaction_surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfaction_surveys_ended_at'), ['ended_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_satisfaction_surveys_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_satisfaction_surveys_template_id'), ['template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_satisfaction_surveys_user_id'), ['user_id'], unique=False)

    op.create_table('satisfaction_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.Column('rating', sa.SmallInteger(), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['satisfaction_surveys.id'], name=op.f('fk_satisfaction_answers_survey_id_satisfaction_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_answers'))
    )
    with op.batch_alter_table('satisfaction_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfaction_answers_survey_id'), ['survey_id'], unique=False)



def downgrade():
    with op.batch_alter_table('satisfaction_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfaction_answers_survey_id'))

    op.drop_table('satisfaction_answers')
    with op.batch_alter_table('satisfaction_surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfaction_surveys_user_id'))
        batch_op.drop_index(batch_op.f('ix_satisfaction_surveys_template_id'))
        batch_op.drop_index(batch_op.f('ix_satisfaction_surveys_event_id'))
        batch_op.drop_index(batch_op.f('ix_satisfaction_surveys_ended_at'))

    op.drop_table('satisfaction_surveys')
    op.drop_table('satisfaction_templates')
