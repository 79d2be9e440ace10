"""Give links an insert sentinel, so that SQLite inserts a page of new links in one statement.

SQLite cannot return the ids of a multi-row INSERT in the order of its rows; with a sentinel
column numbering them, the session can insert many links at once and still match each new id
to its link. The column is NULL for rows inserted one at a time and means nothing afterwards.

Revision ID: 4b8e2d6f9c13
Revises: 7c2f4e9a1b35
Create Date: 2026-11-26 17:00:00+00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4b8e2d6f9c13'
down_revision = '7c2f4e9a1b35'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('qb_links') as batch:
        batch.add_column(sa.Column('insert_sentinel', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('qb_links') as batch:
        batch.drop_column('insert_sentinel')
