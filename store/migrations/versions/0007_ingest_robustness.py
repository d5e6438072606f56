"""quarantine keyed by file identity; ingest runs' worker and heartbeat

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 06:00:00
"""
from alembic import op
import sqlalchemy as sa



revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=64), server_default='', nullable=False))
        batch_op.drop_constraint('uq_quarantine_source_position', type_='unique')
        batch_op.create_unique_constraint(
            'uq_quarantine_source_origin_position', ['source_id', 'origin', 'position']
        )
    with op.batch_alter_table('ingest_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ingest_runs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('worker')
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.drop_constraint('uq_quarantine_source_origin_position', type_='unique')
        batch_op.create_unique_constraint('uq_quarantine_source_position', ['source_id', 'position'])
        batch_op.drop_column('origin')
