"""Index the stored requests by server and state, which every run's start asks for.

A run starts by dropping the requests an earlier run left queued and marking the ones it left
sent as unknown. Those are a handful, but the table keeps every request ever sent, and without
this index both statements read all of it: 140 ms at 100,000 synced records, on every update.
It replaces the index on the server alone, which it covers.

Revision ID: 9d1f3a7c5e28
Revises: 4b8e2d6f9c13
Create Date: 2026-11-27 01:00:00+00:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = '9d1f3a7c5e28'
down_revision = '4b8e2d6f9c13'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_qb_requests_server_state', 'qb_requests', ['server_id', 'state'])
    op.drop_index('ix_qb_requests_server_id', table_name='qb_requests')


def downgrade() -> None:
    op.create_index('ix_qb_requests_server_id', 'qb_requests', ['server_id'])
    op.drop_index('ix_qb_requests_server_state', table_name='qb_requests')
