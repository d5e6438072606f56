"""near-duplicate signatures and band keys of cases, family band keys, collapsed threads

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_signatures',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_signatures_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_signatures'))
    )
    op.create_table('case_bands',
    sa.Column('key', sa.BigInteger(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_bands_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'case_id', name=op.f('pk_case_bands'))
    )
    with op.batch_alter_table('case_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_bands_case_id'), ['case_id'], unique=False)

    op.create_table('family_bands',
    sa.Column('key', sa.BigInteger(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_family_bands_family_id_families'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'family_id', name=op.f('pk_family_bands'))
    )
    with op.batch_alter_table('family_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_bands_family_id'), ['family_id'], unique=False)

    op.create_table('case_duplicates',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_duplicates_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_case_duplicates_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', name=op.f('pk_case_duplicates'))
    )
    with op.batch_alter_table('case_duplicates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_duplicates_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_duplicates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_duplicates_case_id'))
    op.drop_table('case_duplicates')
    with op.batch_alter_table('family_bands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_bands_family_id'))
    op.drop_table('family_bands')
    with op.batch_alter_table('case_bands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_bands_case_id'))
    op.drop_table('case_bands')
    op.drop_table('case_signatures')
