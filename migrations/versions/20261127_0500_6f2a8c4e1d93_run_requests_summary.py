"""Keep a run's requests by type and outcome on the run, so its request rows can be pruned.

The request rows of a run are deleted 30 days after it, as the Web Connector adds thousands a
day; the run history then reads the summary stored here.

Revision ID: 6f2a8c4e1d93
Revises: 9d1f3a7c5e28
Create Date: 2026-11-27 05:00:00+00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6f2a8c4e1d93'
down_revision = '9d1f3a7c5e28'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('qb_runs') as batch:
        batch.add_column(sa.Column('requests_summary', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('qb_runs') as batch:
        batch.drop_column('requests_summary')
