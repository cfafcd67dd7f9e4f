"""background work that survives dead workers (a failure reason and a heartbeat on print batches
and report runs), and certificate template versions (a certificate is printed with the version it
was issued with; existing certificates get version 1 of their template as it stands)

Revision ID: gg18jb000001
Revises: ff17rp000001
Create Date: 2026-12-07 06:50:00

"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'gg18jb000001'
down_revision = 'ff17rp000001'
branch_labels = None
depends_on = None

FIELDS = ("kind", "title", "html", "css", "page_size", "seal_image", "signature_image", "signatory")


def upgrade():
    for table in ('certificate_print_jobs', 'plan_report_runs'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('failure', sa.String(length=20), nullable=True))
            batch_op.add_column(sa.Column('heartbeat_at', app.timeutil.UTCDateTime(), nullable=True))

    op.create_table('certificate_template_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('css', sa.Text(), nullable=False),
    sa.Column('page_size', sa.String(length=30), nullable=False),
    sa.Column('seal_image', sa.String(length=120), nullable=True),
    sa.Column('signature_image', sa.String(length=120), nullable=True),
    sa.Column('signatory', sa.String(length=60), nullable=False),
    sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_certificate_template_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['certificate_templates.id'], name='fk_certificate_template_versions_template'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_template_versions')),
    sa.UniqueConstraint('template_id', 'number', name='uq_certificate_template_versions_number')
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template_version_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_certificates_template_version',
                                    'certificate_template_versions', ['template_version_id'], ['id'])

    # Version 1 of every template as it stands; each certificate gets that of its template (or,
    # without one, of the default template of its kind, which is what printed it until now).
    conn = op.get_bind()
    columns = ", ".join(FIELDS)
    conn.execute(sa.text(
        f"INSERT INTO certificate_template_versions (template_id, number, {columns}, created_at, created_by_id) "
        f"SELECT id, 1, kind, title, html, COALESCE(css, ''), page_size, seal_image, signature_image, "
        f"COALESCE(signatory, ''), updated_at, updated_by_id FROM certificate_templates"))
    conn.execute(sa.text(
        "UPDATE certificates SET template_version_id = (SELECT v.id FROM certificate_template_versions v "
        "WHERE v.template_id = certificates.template_id AND v.number = 1) WHERE template_id IS NOT NULL"))
    conn.execute(sa.text(
        "UPDATE certificates SET template_version_id = (SELECT v.id FROM certificate_template_versions v "
        "JOIN certificate_templates t ON t.id = v.template_id WHERE t.kind = certificates.kind "
        "AND t.is_default = :yes AND v.number = 1 ORDER BY t.id LIMIT 1) "
        "WHERE template_id IS NULL"), {"yes": True})


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint('fk_certificates_template_version',
                                 type_='foreignkey')
        batch_op.drop_column('template_version_id')
    op.drop_table('certificate_template_versions')
    for table in ('certificate_print_jobs', 'plan_report_runs'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('heartbeat_at')
            batch_op.drop_column('failure')
