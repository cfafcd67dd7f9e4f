"""an index of certificates by subject in print order: a page of an event's certificates, from the index

Revision ID: hh19cp000001
Revises: hh19rs000001
Create Date: 2026-12-07 13:30:00

The certificates page of an event (issue 19) lists 50 of its certificates in print order (issued
on, serial): with 10,000 issued, PostgreSQL read and sorted all of them for each page. An index on
(subject type, subject, issued on, serial) hands them over in that order.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'hh19cp000001'
down_revision = 'hh19rs000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('ix_certificates_subject_order', ['subject_type', 'subject_id', 'issued_on', 'serial'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('ix_certificates_subject_order')
