"""``flask finance-qb ...``: the plugin's commands, registered on the host's ``app.cli``."""

from __future__ import annotations

import click
from alembic import command
from flask.cli import AppGroup

from onecrm_finance_qb import migrating
from onecrm_finance_qb.state import get_host

cli = AppGroup('finance-qb', help='Finance (QB): QuickBooks synchronisation.')


@cli.group('db')
def db_group() -> None:
    """Create, upgrade or remove the plugin's tables (back up the database first)."""


@db_group.command('upgrade')
@click.argument('revision', default='head')
def upgrade_command(revision: str) -> None:
    """Upgrade the plugin's tables to REVISION (default: the newest)."""
    with get_host().db.engine.begin() as connection:
        migrating.upgrade(connection, revision)
        click.echo(f'Finance (QB) tables at revision {migrating.current_revision(connection) or "base"}.')


@db_group.command('downgrade')
@click.argument('revision')
def downgrade_command(revision: str) -> None:
    """Downgrade the plugin's tables to REVISION; "base" removes them and their data."""
    with get_host().db.engine.begin() as connection:
        migrating.downgrade(connection, revision)
        click.echo(f'Finance (QB) tables at revision {migrating.current_revision(connection) or "base"}.')


@db_group.command('current')
def current_command() -> None:
    """Show the revision the database is at and whether it is the newest."""
    with get_host().db.engine.connect() as connection:
        current = migrating.current_revision(connection)
    state = 'up to date' if current == migrating.head_revision() else f'newest is {migrating.head_revision()}'
    click.echo(f'{current or "base"} ({state})')


@db_group.command('history')
def history_command() -> None:
    """List the migrations shipped with the plugin, newest first."""
    for revision in migrating.history():
        click.echo(f'{revision.down_revision or "base"} -> {revision.revision}: {revision.message}')


@db_group.command('revision')
@click.option('-m', '--message', required=True, help='What the migration does.')
@click.option('--autogenerate', is_flag=True, help='Compare the models with the database to draft the migration.')
def revision_command(message: str, autogenerate: bool) -> None:
    """Write a new migration file for a change of the plugin's models (for developers)."""
    with get_host().db.engine.connect() as connection:
        command.revision(migrating.alembic_config(connection), message=message, autogenerate=autogenerate)
