"""facts about the store as a whole (the curation rules' revision)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 02:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'store_state',
        sa.Column('key', sa.String(length=60), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_store_state')),
    )


def downgrade() -> None:
    op.drop_table('store_state')
