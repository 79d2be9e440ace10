"""Keep QuickBooks' version of a record held for review, to show it next to the CRM's and settle it.

Revision ID: 3e7b1c9d4a26
Revises: 8a3d5e2c9b17
Create Date: 2026-11-26 10:00:00+00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3e7b1c9d4a26'
down_revision = '8a3d5e2c9b17'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('qb_conflicts') as batch:
        batch.add_column(sa.Column('qb_version', sa.Text(), nullable=True))
        batch.add_column(sa.Column('qb_edit_sequence', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('qb_conflicts') as batch:
        batch.drop_column('qb_edit_sequence')
        batch.drop_column('qb_version')
