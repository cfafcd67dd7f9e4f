"""organisation links: people's organisations on programme rows, events' organisations, employers

Revision ID: bb14ln000001
Revises: aa14tr000001
Create Date: 2026-12-06 17:00:00.000000

Nullable organisation ids on the rows where a person's organisation was typed (applications,
enrolments, judges, chief judges, entrants, team members, studios' masters), the events'
organisations (co-organiser, participating company, host university) and a person's employer in
the registry. A data step links the existing rows whose typed code or normalised name is found in
the registry, by the rule of app.organisations.linking (code first, then a name shared by no other
active organisation); the rest stay unlinked for staff to link.
"""
from alembic import op
import sqlalchemy as sa

import app.timeutil  # noqa: F401  (UTCDateTime columns)
from app.organisations.names import normalise_name

# revision identifiers, used by Alembic.
revision = 'bb14ln000001'
down_revision = 'aa14tr000001'
branch_labels = None
depends_on = None

# (table, organisation column, typed name column, typed code column or None)
LINKED = [
    ("applications", "organisation_id", "company_name", "uscc"),
    ("enrolments", "organisation_id", "company", None),
    ("competition_category_judges", "organisation_id", "employer", None),
    ("competition_categories", "chief_judge_organisation_id", "chief_judge_employer", None),
    ("competition_entries", "organisation_id", "employer", None),
    ("competition_team_members", "organisation_id", "employer", None),
    ("studios", "master_organisation_id", None, None),  # the master's profile employer
]
LINKABLE_KINDS = ("company", "host_company", "university", "agency")


def upgrade():
    for table, column, _name, _code in LINKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_{column}_organisations'), 'organisations',
                                        [column], ['id'], ondelete='SET NULL')
    op.create_table(
        'event_organisations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_id', 'organisation_id', 'role'),
    )
    with op.batch_alter_table('event_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organisations_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_organisations_organisation_id'), ['organisation_id'],
                              unique=False)
    op.create_table(
        'organisation_employees',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('employer', sa.String(length=120), nullable=False),
        sa.Column('linked_by_id', sa.Integer(), nullable=True),
        sa.Column('linked_at', app.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    with op.batch_alter_table('organisation_employees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_employees_organisation_id'), ['organisation_id'],
                              unique=False)
    link_existing(op.get_bind())


def link_existing(bind) -> None:
    """Links the rows typed before this revision whose organisation is in the registry."""
    by_code, by_name = {}, {}
    for row in bind.execute(sa.text("SELECT id, uscc, name_key, kind FROM organisations WHERE status = 'active' "
                                    "ORDER BY id")):
        if row.uscc:
            by_code.setdefault(row.uscc, row.id)
        if row.kind in LINKABLE_KINDS and row.name_key:
            by_name.setdefault(row.name_key, []).append(row.id)

    def find(name, code=None):
        if code and code in by_code:
            return by_code[code]
        found = by_name.get(normalise_name(name), [])
        return found[0] if len(found) == 1 else None

    if not by_code and not by_name:
        return
    for table, column, name, code in LINKED:
        if name is None:
            continue
        key = "category_id, user_id" if table == "competition_category_judges" else "id"
        picked = f"{key}, {name}" + (f", {code}" if code else "")
        for row in bind.execute(sa.text(f"SELECT {picked} FROM {table} WHERE {column} IS NULL")).mappings().all():
            found = find(row[name], row[code] if code else None)
            if found is None:
                continue
            where = " AND ".join(f"{k.strip()} = :{k.strip()}" for k in key.split(","))
            bind.execute(sa.text(f"UPDATE {table} SET {column} = :org WHERE {where}"),
                         {"org": found, **{k.strip(): row[k.strip()] for k in key.split(",")}})
    users = bind.execute(sa.text("SELECT id, employer FROM users WHERE employer IS NOT NULL AND employer != ''"))
    employers = {}
    for row in users.mappings().all():
        found = find(row["employer"])
        if found is not None:
            employers[row["id"]] = found
            bind.execute(sa.text("INSERT INTO organisation_employees (user_id, organisation_id, employer, linked_at) "
                                 "VALUES (:user, :org, :employer, :at)")
                         .bindparams(sa.bindparam("at", type_=app.timeutil.UTCDateTime())),
                         {"user": row["id"], "org": found, "employer": (row["employer"] or "")[:120],
                          "at": app.timeutil.utcnow()})
    for row in bind.execute(sa.text("SELECT id, master_id FROM studios WHERE master_organisation_id IS NULL"))\
            .mappings().all():
        if row["master_id"] in employers:
            bind.execute(sa.text("UPDATE studios SET master_organisation_id = :org WHERE id = :id"),
                         {"org": employers[row["master_id"]], "id": row["id"]})


def downgrade():
    with op.batch_alter_table('organisation_employees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_employees_organisation_id'))
    op.drop_table('organisation_employees')
    with op.batch_alter_table('event_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_organisations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_event_organisations_event_id'))
    op.drop_table('event_organisations')
    for table, column, _name, _code in reversed(LINKED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_{column}_organisations'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
            batch_op.drop_column(column)
