"""events.places: how an event's places are taken (open, invitation, entry), replacing invitation_only

Revision ID: cc13dd56ee78
Revises: bb13cc45dd67
Create Date: 2026-12-06 15:00:00.000000

Invitation-only events become "invitation"; the events of competition categories, whose places
were taken only through the competition's entry form, become "entry"; all others "open".
Downgrade restores the boolean (an "entry" event was never invitation-only).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cc13dd56ee78'
down_revision = 'bb13cc45dd67'
branch_labels = None
depends_on = None

events = sa.table('events', sa.column('id', sa.Integer), sa.column('places', sa.String),
                  sa.column('invitation_only', sa.Boolean))
categories = sa.table('competition_categories', sa.column('event_id', sa.Integer))


def upgrade():
    op.add_column('events', sa.Column('places', sa.String(length=12), server_default='open', nullable=False))
    op.execute(events.update().where(events.c.invitation_only.is_(True)).values(places='invitation'))
    op.execute(events.update().where(events.c.id.in_(sa.select(categories.c.event_id)))
               .values(places='entry'))
    # No batch mode: rebuilding `events` on SQLite would drop a table other rows refer to
    # (foreign keys are on); SQLite 3.35+ drops a plain column in place, as PostgreSQL does.
    op.drop_column('events', 'invitation_only')


def downgrade():
    op.add_column('events', sa.Column('invitation_only', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(events.update().where(events.c.places == 'invitation').values(invitation_only=True))
    op.drop_column('events', 'places')
