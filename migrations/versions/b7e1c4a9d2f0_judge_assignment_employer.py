"""competitions: the employer a judge is checked against is kept on their assignment

Revision ID: b7e1c4a9d2f0
Revises: c3d8f2a6e1b5
Create Date: 2026-12-02 10:00:00.000000

A judge's conflicts of interest were checked against the employer on their own (editable)
profile. The employer is now copied onto the assignment when the judge is assigned, and only the
organiser changes it. Existing assignments start from the judge's current profile.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e1c4a9d2f0'
down_revision = 'c3d8f2a6e1b5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competition_category_judges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employer', sa.String(length=120), nullable=True))
    with op.batch_alter_table('competition_categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chief_judge_employer', sa.String(length=120), nullable=True))
    op.execute("UPDATE competition_category_judges SET employer = "
               "(SELECT users.employer FROM users WHERE users.id = competition_category_judges.user_id)")
    op.execute("UPDATE competition_categories SET chief_judge_employer = "
               "(SELECT users.employer FROM users WHERE users.id = competition_categories.chief_judge_id) "
               "WHERE chief_judge_id IS NOT NULL")


def downgrade():
    with op.batch_alter_table('competition_categories', schema=None) as batch_op:
        batch_op.drop_column('chief_judge_employer')
    with op.batch_alter_table('competition_category_judges', schema=None) as batch_op:
        batch_op.drop_column('employer')
