"""each curated thread's reading (arc, situation, language), a case or not

The leader's recovery rate counts every conversation that started unhappy, not only the notable
ones kept as cases. Threads that are cases get their case's reading now; the others get theirs
at the next curation (curation revision 7 curates every thread again).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 00:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arc', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('situation', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    op.execute(
        "UPDATE threads SET"
        " arc = (SELECT cases.arc FROM cases WHERE cases.thread_id = threads.id),"
        " situation = (SELECT cases.situation FROM cases WHERE cases.thread_id = threads.id),"
        " language = (SELECT cases.language FROM cases WHERE cases.thread_id = threads.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('situation')
        batch_op.drop_column('arc')
