"""Store the lists' "modified" sort value in a generated column, and index it by server.

The lists sort "newest first" on COALESCE(qb_modified_at, created_at). No index served that
expression, so each page sorted all of a server's links (about 210 ms at 108,000 links). The
database now computes and stores the value in ``modified_sort`` on every write, existing rows
included, and ``ix_qb_links_server_modified`` hands the rows over in order.

The column is STORED on every database: PostgreSQL 15 supports no other kind. SQLite cannot add a
stored column to an existing table, so there the batch operation rebuilds ``qb_links``. MariaDB
refuses NOT NULL on a generated column, so the column is nullable; ``created_at`` never is.

Revision ID: bce2bc5e506f
Revises: 7c2f4e9a1b35
Create Date: 2026-11-26 16:00:00+00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = 'bce2bc5e506f'
down_revision = '7c2f4e9a1b35'
branch_labels = None
depends_on = None


def _utc_datetime() -> sa.types.TypeEngine:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')


def upgrade() -> None:
    with op.batch_alter_table('qb_links') as batch:
        batch.add_column(sa.Column('modified_sort', _utc_datetime(), sa.Computed(
            'COALESCE(qb_modified_at, created_at)', persisted=True), nullable=True))
    op.create_index('ix_qb_links_server_modified', 'qb_links', ['server_id', 'modified_sort', 'id'])


def downgrade() -> None:
    op.drop_index('ix_qb_links_server_modified', table_name='qb_links')
    with op.batch_alter_table('qb_links') as batch:
        batch.drop_column('modified_sort')
