"""organisations: the registry of companies, universities, host companies, agencies and partner regions

Revision ID: ee14aa11bb22
Revises: dd13ee67ff89
Create Date: 2026-12-06 15:30:00.000000

One table for every kind; a university's 引才合作站 and a host company's 见习基地 are columns of
their own. A merged duplicate stays, pointing at the organisation kept (merged_into_id); its
status changes are in status_changes like other stateful models.
"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'ee14aa11bb22'
down_revision = 'dd13ee67ff89'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organisations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_key', sa.String(length=200), nullable=False),
        sa.Column('uscc', sa.String(length=18), nullable=True),
        sa.Column('district', sa.String(length=60), nullable=False),
        sa.Column('in_minhang', sa.Boolean(), nullable=False),
        sa.Column('industries', sa.JSON(), nullable=False),
        sa.Column('size', sa.String(length=10), nullable=True),
        sa.Column('contact_name', sa.String(length=60), nullable=False),
        sa.Column('contact_phone', sa.String(length=30), nullable=False),
        sa.Column('contact_email', sa.String(length=120), nullable=False),
        sa.Column('station_signed_on', sa.Date(), nullable=True),
        sa.Column('station_contact', sa.String(length=120), nullable=False),
        sa.Column('base_approved_on', sa.Date(), nullable=True),
        sa.Column('base_places_per_year', sa.Integer(), nullable=True),
        sa.Column('base_status', sa.String(length=10), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.Column('updated_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['merged_into_id'], ['organisations.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_uscc'), ['uscc'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_status'))
        batch_op.drop_index(batch_op.f('ix_organisations_uscc'))
        batch_op.drop_index(batch_op.f('ix_organisations_name_key'))
        batch_op.drop_index(batch_op.f('ix_organisations_kind'))
    op.drop_table('organisations')
