"""Create the settings table.

Revision ID: f761345d717d
Revises:
Create Date: 2026-11-26 06:49:00+00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = 'f761345d717d'
down_revision = None
branch_labels = None
depends_on = None

#: Databases with partial indexes, which keep global settings (server_id NULL) unique.
PARTIAL_INDEX_DIALECTS = ('postgresql', 'sqlite')


def upgrade() -> None:
    op.create_table(
        'qb_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=True),
        sa.Column('category', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column(
            'date_modified',
            sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb'),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qb_settings')),
        sa.UniqueConstraint('server_id', 'category', 'name', name=op.f('uq_qb_settings_server_id_category_name')),
    )
    if op.get_bind().dialect.name in PARTIAL_INDEX_DIALECTS:
        op.create_index(
            'uq_qb_settings_global',
            'qb_settings',
            ['category', 'name'],
            unique=True,
            postgresql_where=sa.text('server_id IS NULL'),
            sqlite_where=sa.text('server_id IS NULL'),
        )


def downgrade() -> None:
    if op.get_bind().dialect.name in PARTIAL_INDEX_DIALECTS:
        op.drop_index('uq_qb_settings_global', table_name='qb_settings')
    op.drop_table('qb_settings')
