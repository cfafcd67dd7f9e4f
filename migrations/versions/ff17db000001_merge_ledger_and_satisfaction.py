"""merge point: the ledger's indexes and the satisfaction surveys, both on the plans' tables (no schema change)

Revision ID: ff17db000001
Revises: ff17lg000001, ff17sa000001
Create Date: 2026-12-07 03:45:00

Branch `dash` reads both (the dashboard counts with the ledger and shows 感受度), so it needs one head.
The satisfaction migration still names ee16rc000001 (sat branched before the plans); this merge
point makes the history one line again. The integrator may replace it by re-chaining the heads.
"""


# revision identifiers, used by Alembic.
revision = 'ff17db000001'
down_revision = ('ff17lg000001', 'ff17sa000001')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
