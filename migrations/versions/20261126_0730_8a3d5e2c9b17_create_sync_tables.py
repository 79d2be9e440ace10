"""Create the sync engine tables: links, conflicts, list mappings, cursors, requests.

Revision ID: 8a3d5e2c9b17
Revises: 5c1e0b7a9d42
Create Date: 2026-11-26 07:30:00+00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = '8a3d5e2c9b17'
down_revision = '5c1e0b7a9d42'
branch_labels = None
depends_on = None


def _utc_datetime() -> sa.types.TypeEngine:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')


def upgrade() -> None:
    op.create_table(
        'qb_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=False),
        sa.Column('crm_kind', sa.String(length=32), nullable=False),
        sa.Column('crm_id', sa.String(length=64), nullable=True),
        sa.Column('qb_type', sa.String(length=40), nullable=False),
        sa.Column('qb_id', sa.String(length=36), nullable=True),
        sa.Column('edit_sequence', sa.String(length=16), nullable=True),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('first_sync', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=24), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('crm_modified_at', _utc_datetime(), nullable=True),
        sa.Column('qb_modified_at', _utc_datetime(), nullable=True),
        sa.Column('last_sync_at', _utc_datetime(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', _utc_datetime(), nullable=True),
        sa.Column('last_run_id', sa.Integer(), nullable=True),
        sa.Column('status_before', sa.String(length=24), nullable=True),
        sa.Column('parent_qb_id', sa.String(length=36), nullable=True),
        sa.Column('created_at', _utc_datetime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qb_links')),
        sa.UniqueConstraint('server_id', 'qb_type', 'qb_id', name=op.f('uq_qb_links_server_id_qb_type_qb_id')),
        sa.UniqueConstraint('server_id', 'crm_kind', 'crm_id', name=op.f('uq_qb_links_server_id_crm_kind_crm_id')),
    )
    op.create_index('ix_qb_links_server_status', 'qb_links', ['server_id', 'status'])
    op.create_index(op.f('ix_qb_links_name'), 'qb_links', ['name'])
    op.create_table(
        'qb_conflicts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=False),
        sa.Column('link_id', sa.Integer(), nullable=False),
        sa.Column('qb_type', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('policy', sa.String(length=16), nullable=False),
        sa.Column('crm_modified_at', _utc_datetime(), nullable=True),
        sa.Column('qb_modified_at', _utc_datetime(), nullable=True),
        sa.Column('detected_at', _utc_datetime(), nullable=False),
        sa.Column('resolved_at', _utc_datetime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qb_conflicts')),
    )
    op.create_index(op.f('ix_qb_conflicts_server_id'), 'qb_conflicts', ['server_id'])
    op.create_index(op.f('ix_qb_conflicts_link_id'), 'qb_conflicts', ['link_id'])
    op.create_table(
        'qb_list_mappings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('qb_type', sa.String(length=40), nullable=False),
        sa.Column('qb_id', sa.String(length=36), nullable=True),
        sa.Column('edit_sequence', sa.String(length=16), nullable=True),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('details', sa.Text(), nullable=False),
        sa.Column('crm_value', sa.String(length=64), nullable=True),
        sa.Column('auto_mapped', sa.Boolean(), nullable=False),
        sa.Column('is_active', sa.Boolean(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('qb_modified_at', _utc_datetime(), nullable=True),
        sa.Column('updated_at', _utc_datetime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qb_list_mappings')),
        sa.UniqueConstraint('server_id', 'kind', 'qb_id', name=op.f('uq_qb_list_mappings_server_id_kind_qb_id')),
    )
    op.create_index('ix_qb_list_mappings_server_kind_name', 'qb_list_mappings', ['server_id', 'kind', 'name'])
    op.create_table(
        'qb_cursors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qb_cursors')),
        sa.UniqueConstraint('server_id', 'key', name=op.f('uq_qb_cursors_server_id_key')),
    )
    op.create_table(
        'qb_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.String(length=50), nullable=False),
        sa.Column('request_type', sa.String(length=48), nullable=False),
        sa.Column('family', sa.String(length=24), nullable=False),
        sa.Column('action', sa.String(length=24), nullable=False),
        sa.Column('link_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('group_key', sa.Integer(), nullable=False),
        sa.Column('xml', sa.Text(), nullable=False),
        sa.Column('context', sa.Text(), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('created_at', _utc_datetime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qb_requests')),
    )
    op.create_index('ix_qb_requests_run_state', 'qb_requests', ['run_id', 'state'])
    op.create_index(op.f('ix_qb_requests_server_id'), 'qb_requests', ['server_id'])
    op.create_index(op.f('ix_qb_requests_link_id'), 'qb_requests', ['link_id'])


def downgrade() -> None:
    op.drop_table('qb_requests')
    op.drop_table('qb_cursors')
    op.drop_table('qb_list_mappings')
    op.drop_table('qb_conflicts')
    op.drop_table('qb_links')
