"""roster versions: a random stamp per event, changed by triggers whenever the rows of its
scanners' offline roster entries change

Revision ID: hh19ro000002
Revises: hh19cp000001
Create Date: 2026-12-07 17:00:00

The checkpoint roster (issue 19) joined 10,000 registrations to 100,000 people and wrote their JSON
on every first download: 60 ms of a 75 ms answer. app.checkin.roster now keeps the entries built
for an event's stamp (app/checkin/roster_versions.py). Triggers, not the services, change the
stamp, so bulk SQL, merges and erasures cannot leave a scanner with a revoked ticket or a person
no longer admitted. Only the columns a roster entry is built from fire them. SQLite (development)
gets the table and no triggers: its rosters are built on every download.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'hh19ro000002'
down_revision = 'hh19cp000001'
branch_labels = None
depends_on = None

NE = "IS DISTINCT FROM"
REGISTRATION_CHANGED = ("OLD.event_id {ne} NEW.event_id OR OLD.user_id {ne} NEW.user_id OR OLD.status {ne} NEW.status"
                        " OR OLD.ticket_generation {ne} NEW.ticket_generation")
USER_CHANGED = "OLD.name {ne} NEW.name OR OLD.mobile {ne} NEW.mobile"
BOOKING_CHANGED = ("OLD.registration_id {ne} NEW.registration_id OR OLD.session_id {ne} NEW.session_id"
                   " OR OLD.status {ne} NEW.status")

POSTGRESQL = [
    """CREATE FUNCTION roster_touch(event integer) RETURNS void LANGUAGE sql AS $$
        INSERT INTO roster_versions (event_id, stamp) VALUES (event, (random() * 9e18)::bigint)
        ON CONFLICT (event_id) DO UPDATE SET stamp = excluded.stamp $$""",
    """CREATE FUNCTION roster_registrations_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF TG_OP <> 'INSERT' THEN PERFORM roster_touch(OLD.event_id); END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.event_id <> OLD.event_id) THEN
            PERFORM roster_touch(NEW.event_id);
        END IF;
        RETURN NULL; END $$""",
    """CREATE FUNCTION roster_users_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        PERFORM roster_touch(event_id) FROM registrations WHERE user_id = NEW.id ORDER BY event_id;
        RETURN NULL; END $$""",
    """CREATE FUNCTION roster_bookings_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM roster_touch(event_id) FROM registrations WHERE id = OLD.registration_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM roster_touch(event_id) FROM registrations WHERE id = NEW.registration_id;
        END IF;
        RETURN NULL; END $$""",
    """CREATE TRIGGER roster_registrations AFTER INSERT OR DELETE ON registrations
        FOR EACH ROW EXECUTE FUNCTION roster_registrations_touch()""",
    f"""CREATE TRIGGER roster_registrations_update
        AFTER UPDATE OF event_id, user_id, status, ticket_generation ON registrations
        FOR EACH ROW WHEN ({REGISTRATION_CHANGED.format(ne=NE)})
        EXECUTE FUNCTION roster_registrations_touch()""",
    f"""CREATE TRIGGER roster_users AFTER UPDATE OF name, mobile ON users
        FOR EACH ROW WHEN ({USER_CHANGED.format(ne=NE)}) EXECUTE FUNCTION roster_users_touch()""",
    """CREATE TRIGGER roster_bookings AFTER INSERT OR DELETE ON session_bookings
        FOR EACH ROW EXECUTE FUNCTION roster_bookings_touch()""",
    f"""CREATE TRIGGER roster_bookings_update AFTER UPDATE OF registration_id, session_id, status ON session_bookings
        FOR EACH ROW WHEN ({BOOKING_CHANGED.format(ne=NE)}) EXECUTE FUNCTION roster_bookings_touch()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER roster_bookings_update ON session_bookings", "DROP TRIGGER roster_bookings ON session_bookings",
    "DROP TRIGGER roster_users ON users", "DROP TRIGGER roster_registrations_update ON registrations",
    "DROP TRIGGER roster_registrations ON registrations", "DROP FUNCTION roster_bookings_touch()",
    "DROP FUNCTION roster_users_touch()", "DROP FUNCTION roster_registrations_touch()",
    "DROP FUNCTION roster_touch(integer)",
]


def upgrade():
    op.create_table('roster_versions',
                    sa.Column('event_id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('stamp', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_roster_versions')))
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL:
            op.execute(statement)
        # events registered for before this revision get their stamp now, so their rosters are kept too
        op.execute("INSERT INTO roster_versions (event_id, stamp) SELECT event_id, (random() * 9e18)::bigint"
                   " FROM (SELECT DISTINCT event_id FROM registrations) AS registered")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DROP:
            op.execute(statement)
    op.drop_table('roster_versions')
