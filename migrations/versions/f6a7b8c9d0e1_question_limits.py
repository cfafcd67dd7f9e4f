"""events: registration questions carry their own limits (text length, number range)

Revision ID: f6a7b8c9d0e1
Revises: e5f6a7b8c9d0
Create Date: 2026-12-06 09:10:00.000000

A question's help text said 200字以内 while the answer was checked against the kind's fixed
4,000 characters, and a year question took 3000. The organiser now sets the limits on the
question; the registration service enforces them and the hint under the field is made from
them. Empty means the kind's default (text) or no bound (numbers).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6a7b8c9d0e1'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_length', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('min_value', sa.Numeric(precision=20, scale=6), nullable=True))
        batch_op.add_column(sa.Column('max_value', sa.Numeric(precision=20, scale=6), nullable=True))


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('max_value')
        batch_op.drop_column('min_value')
        batch_op.drop_column('max_length')
