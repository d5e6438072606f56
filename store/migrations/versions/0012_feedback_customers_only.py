"""daily_feedback counts customers' comments only: its rows are dropped, to be rebuilt

The summary now leaves advisors' replies out. It is derived data: the next `casebook enrich`
or the first leader page rebuilds the latest classifier version's rows from its analyses
(store.summaries.ensure_daily_feedback). Going down drops them too, for the older count.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 23:50:00
"""
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM daily_feedback")


def downgrade() -> None:
    op.execute("DELETE FROM daily_feedback")
