"""a quiz challenge under way: its answers so far, kept so a refresh resumes it

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 07:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'quiz_progress',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('shown_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_quiz_progress_campaign_id_campaigns'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_progress_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_progress')),
        sa.UniqueConstraint('campaign_id', 'user_id', name='uq_quiz_progress_campaign_user'),
    )
    with op.batch_alter_table('quiz_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_progress_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_progress_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quiz_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_progress_user_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_progress_campaign_id'))
    op.drop_table('quiz_progress')
