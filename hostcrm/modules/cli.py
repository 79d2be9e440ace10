"""``flask modules ...``: the Module Loader on the command line, through the same service functions as the page."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from hostcrm.i18n import gettext as _
from hostcrm.modules import service
from hostcrm.modules.errors import ModuleError
from hostcrm.modules.loading import FAILED, loader_state

modules_cli = AppGroup('modules', help='Install, upgrade, roll back and uninstall CRM modules.')

_archive = click.argument('archive', type=click.Path(exists=True, dir_okay=False, path_type=Path))
_force = click.option('--force', is_flag=True, help='Accept a version that is not newer than the installed one.')


@modules_cli.command('install')
@_archive
def install_command(archive: Path) -> None:
    """Install a module from its zip archive."""
    with _reporting_errors():
        record = service.install(current_app, _read(archive))
    click.echo(_('Installed %(module)s %(version)s.', module=record.id, version=record.version))
    _echo_load_result(record.id)


@modules_cli.command('upgrade')
@_archive
@_force
def upgrade_command(archive: Path, force: bool) -> None:
    """Upgrade an installed module from a newer zip archive; the current version is kept for rollback."""
    with _reporting_errors():
        record = service.upgrade(current_app, _read(archive), force=force)
    click.echo(_('Upgraded %(module)s to %(version)s (previous version %(previous)s kept for rollback).',
                 module=record.id, version=record.version, previous=record.previous_version))


@modules_cli.command('rollback')
@click.argument('module_id', metavar='NAME')
def rollback_command(module_id: str) -> None:
    """Go back to the version a module had before its last upgrade."""
    with _reporting_errors():
        record = service.rollback(current_app, module_id)
    click.echo(_('%(module)s is back at version %(version)s.', module=record.id, version=record.version))


@modules_cli.command('uninstall')
@click.argument('module_id', metavar='NAME')
@click.option('--drop-tables/--keep-tables', default=None,
              help="Drop or keep the module's database tables (asked on a terminal, otherwise kept).")
def uninstall_command(module_id: str, drop_tables: bool | None) -> None:
    """Uninstall a module; its tables are kept unless you choose to drop them."""
    if drop_tables is None:
        drop_tables = _interactive() and click.confirm(_("Drop the module's tables?"), default=False)
    with _reporting_errors():
        service.uninstall(current_app, module_id, drop_tables=drop_tables)
    if drop_tables:
        click.echo(_('Uninstalled %(module)s and dropped its tables.', module=module_id))
    else:
        click.echo(_('Uninstalled %(module)s; its tables were kept.', module=module_id))


@modules_cli.command('list')
def list_command() -> None:
    """List installed modules with their version, status and any load error."""
    rows = service.statuses(current_app)
    if not rows:
        click.echo(_('No modules are installed.'))
        return
    for row in rows:
        line = f'{row.record.id}\t{row.record.version}\t{row.status}'
        if row.record.previous_version:
            line += '\t' + _('previous: %(version)s', version=row.record.previous_version)
        if row.error:
            line += f'\t{row.error}'
        click.echo(line)


def _interactive() -> bool:
    """Whether someone can answer a question (a terminal, not a script or a pipe)."""
    return sys.stdin.isatty()


def _read(archive: Path) -> bytes:
    with archive.open('rb') as stream:
        return service.read_upload(stream, current_app)


@contextlib.contextmanager
def _reporting_errors() -> Iterator[None]:
    """Turn a refusal or failure into the command's error message and a non-zero exit."""
    try:
        yield
    except ModuleError as exc:
        raise click.ClickException(str(exc)) from exc


def _echo_load_result(module_id: str) -> None:
    runtime = loader_state(current_app).modules.get(module_id)
    if runtime is not None and runtime.status == FAILED:
        click.echo(_('The module was installed but failed to load: %(error)s', error=runtime.error), err=True)
