"""Create the Web Connector tables: servers, sync credential, sign-in throttle, sessions, run locks, runs.

Revision ID: 5c1e0b7a9d42
Revises: f761345d717d
Create Date: 2026-11-26 07:00:00+00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = '5c1e0b7a9d42'
down_revision = 'f761345d717d'
branch_labels = None
depends_on = None


def _utc_datetime() -> sa.types.TypeEngine:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')


def upgrade() -> None:
    op.create_table(
        'qb_servers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_file', sa.String(length=500), nullable=False),
        sa.Column('file_id', sa.String(length=64), nullable=False),
        sa.Column('owner_id', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('company_name', sa.String(length=255), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('qbxml_version', sa.String(length=16), nullable=False),
        sa.Column('ip_address', sa.String(length=45), nullable=False),
        sa.Column('details', sa.Text(), nullable=False),
        sa.Column('is_primary', sa.Boolean(), nullable=False),
        sa.Column('accepted_at', _utc_datetime(), nullable=True),
        sa.Column('attempt_at', _utc_datetime(), nullable=True),
        sa.Column('first_seen', _utc_datetime(), nullable=False),
        sa.Column('last_connect', _utc_datetime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qb_servers')),
        sa.UniqueConstraint(
            'company_file', 'file_id', 'owner_id', name=op.f('uq_qb_servers_company_file_file_id_owner_id')
        ),
    )
    op.create_table(
        'qb_sync_credentials',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=255), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('generation', sa.String(length=32), nullable=False),
        sa.Column('created_at', _utc_datetime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qb_sync_credentials')),
        sa.UniqueConstraint('username', name=op.f('uq_qb_sync_credentials_username')),
    )
    op.create_table(
        'qb_login_throttles',
        sa.Column('username', sa.String(length=255), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_until', _utc_datetime(), nullable=True),
        sa.Column('last_failure_at', _utc_datetime(), nullable=True),
        sa.PrimaryKeyConstraint('username', name=op.f('pk_qb_login_throttles')),
    )
    op.create_table(
        'qb_wc_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_hash', sa.String(length=64), nullable=False),
        sa.Column('credential_generation', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('company_file', sa.String(length=500), nullable=True),
        sa.Column('lock_key', sa.String(length=64), nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=True),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('qbxml_version', sa.String(length=16), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('connection_retries', sa.Integer(), nullable=False),
        sa.Column('ip_address', sa.String(length=45), nullable=False),
        sa.Column('created_at', _utc_datetime(), nullable=False),
        sa.Column('last_seen_at', _utc_datetime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qb_wc_sessions')),
        sa.UniqueConstraint('ticket_hash', name=op.f('uq_qb_wc_sessions_ticket_hash')),
    )
    op.create_index(op.f('ix_qb_wc_sessions_last_seen_at'), 'qb_wc_sessions', ['last_seen_at'])
    op.create_table(
        'qb_run_locks',
        sa.Column('lock_key', sa.String(length=64), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('expires_at', _utc_datetime(), nullable=True),
        sa.PrimaryKeyConstraint('lock_key', name=op.f('pk_qb_run_locks')),
    )
    op.create_table(
        'qb_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=True),
        sa.Column('company_file', sa.String(length=500), nullable=False),
        sa.Column('started_at', _utc_datetime(), nullable=False),
        sa.Column('ended_at', _utc_datetime(), nullable=True),
        sa.Column('result', sa.String(length=16), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('requests_sent', sa.Integer(), nullable=False),
        sa.Column('responses_received', sa.Integer(), nullable=False),
        sa.Column('counts', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qb_runs')),
    )
    op.create_index(op.f('ix_qb_runs_session_id'), 'qb_runs', ['session_id'])
    op.create_index(op.f('ix_qb_runs_server_id'), 'qb_runs', ['server_id'])
    op.create_index(op.f('ix_qb_runs_started_at'), 'qb_runs', ['started_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_qb_runs_started_at'), table_name='qb_runs')
    op.drop_index(op.f('ix_qb_runs_server_id'), table_name='qb_runs')
    op.drop_index(op.f('ix_qb_runs_session_id'), table_name='qb_runs')
    op.drop_table('qb_runs')
    op.drop_table('qb_run_locks')
    op.drop_index(op.f('ix_qb_wc_sessions_last_seen_at'), table_name='qb_wc_sessions')
    op.drop_table('qb_wc_sessions')
    op.drop_table('qb_login_throttles')
    op.drop_table('qb_sync_credentials')
    op.drop_table('qb_servers')
