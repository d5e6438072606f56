"""the conversation's outcome on each case, and coaches' feedback on cases

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 05:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='service'))
        batch_op.add_column(sa.Column('start', sa.String(length=20), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('need', sa.String(length=20), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('end_state', sa.String(length=20), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('cue', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('why', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('delicate', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table(
        'case_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('verdict', sa.String(length=20), nullable=False),
        sa.Column('arc', sa.String(length=20), nullable=True),
        sa.Column('said_arc', sa.String(length=20), nullable=False),
        sa.Column('said_cue', sa.String(length=200), nullable=False),
        sa.Column('raiser', sa.String(length=64), nullable=False),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_case_feedback_thread_id_threads'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_feedback')),
    )
    with op.batch_alter_table('case_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_feedback_thread_id'), ['thread_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_feedback_thread_id'))
    op.drop_table('case_feedback')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name in ('delicate', 'why', 'cue', 'end_state', 'need', 'start', 'kind'):
            batch_op.drop_column(name)
