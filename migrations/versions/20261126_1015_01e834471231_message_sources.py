"""Keep the source of link and run messages (msgid, plural, arguments), so each reader sees their language.

Existing rows get no source and keep showing their message as it was written.

Revision ID: 01e834471231
Revises: 3e7b1c9d4a26
Create Date: 2026-11-26 10:15:00+00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '01e834471231'
down_revision = '3e7b1c9d4a26'
branch_labels = None
depends_on = None

TABLES = ('qb_links', 'qb_runs')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('message_key', sa.Text(), nullable=True))
            batch.add_column(sa.Column('message_plural', sa.Text(), nullable=True))
            batch.add_column(sa.Column('message_args', sa.Text(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('message_args')
            batch.drop_column('message_plural')
            batch.drop_column('message_key')
