"""Give links an insert sentinel, so that SQLite inserts a page of new links in one statement.

SQLite cannot return the ids of a multi-row INSERT in the order of its rows; with a sentinel
column numbering them, the session can insert many links at once and still match each new id
to its link. The column is NULL for rows inserted one at a time and means nothing afterwards.

Revision ID: 4b8e2d6f9c13
Revises: bce2bc5e506f
Create Date: 2026-11-26 17:00:00+00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4b8e2d6f9c13'
down_revision = 'bce2bc5e506f'
branch_labels = None
depends_on = None


# A plain ALTER TABLE on every database: a batch operation would rebuild the table on SQLite,
# and copying rows into the rebuilt table fails on its generated column (``modified_sort``).


def upgrade() -> None:
    op.add_column('qb_links', sa.Column('insert_sentinel', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column('qb_links', 'insert_sentinel')
