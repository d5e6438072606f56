"""the slow pass's readings of case comments, apart from their analyses

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 02:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'refinements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(length=60), nullable=False),
        sa.Column('classifier_version', sa.String(length=60), nullable=False),
        sa.Column('sentiment', sa.String(length=10), nullable=False),
        sa.Column('sentiment_score', sa.Float(), nullable=False),
        sa.Column('emotion', sa.String(length=20), nullable=False),
        sa.Column('intensity', sa.Float(), nullable=False),
        sa.Column('refined_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['comment_id'], ['comments.id'], name=op.f('fk_refinements_comment_id_comments'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refinements')),
        sa.UniqueConstraint('comment_id', name=op.f('uq_refinements_comment_id')),
    )
    with op.batch_alter_table('refinements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refinements_version'), ['version'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('refinements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refinements_version'))
    op.drop_table('refinements')
