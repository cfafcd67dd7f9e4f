"""stored files: uploads and print batches in the database, in bounded chunks (app/file_store)

Revision ID: gg18fs000001
Revises: gg18jb000001
Create Date: 2026-12-07 06:50:00

"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'gg18fs000001'
down_revision = 'gg18jb000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_files',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_stored_files'))
    )
    op.create_table('stored_file_chunks',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['name'], ['stored_files.name'], name=op.f('fk_stored_file_chunks_name_stored_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('name', 'seq', name=op.f('pk_stored_file_chunks'))
    )


def downgrade():
    op.drop_table('stored_file_chunks')
    op.drop_table('stored_files')
