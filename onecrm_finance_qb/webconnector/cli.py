"""``flask finance-qb credentials|qwc|servers``: the Web Connector's administration from a shell."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.state import get_host
from onecrm_finance_qb.webconnector.credentials import CredentialError, set_credential
from onecrm_finance_qb.webconnector.pairing import build_installation_qwc
from onecrm_finance_qb.webconnector.qwc import QwcError
from onecrm_finance_qb.webconnector.servers import (
    AttemptAction,
    ServerSelectionError,
    accept,
    all_servers,
    last_attempt,
    resolve_attempt,
)

credentials_group = AppGroup('credentials', help='The user name and password the Web Connector signs in with.')
servers_group = AppGroup('servers', help='QuickBooks company files that connected, and the primary one.')


@credentials_group.command('set')
@click.option('--username', required=True, help='The sync user name (also written into the .qwc).')
@click.option('--password-stdin', is_flag=True, required=True, help='Read the password from standard input.')
def set_credentials_command(username: str, password_stdin: bool) -> None:
    """Set the sync credential; tickets issued under the old one stop working."""
    password = sys.stdin.readline().rstrip('\r\n')
    db = get_host().db
    try:
        set_credential(db.session, username, password)
    except CredentialError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f'Sync credential set for {username.strip()}.')


@click.command('qwc')
@with_appcontext
@click.option('--out', 'out', required=True, type=click.Path(dir_okay=False, path_type=Path), help='File to write.')
@click.option('--url', default=None, help='Service URL (default: the configured server address + /finance-qb/qbwc).')
@click.option('--server-id', type=int, default=None, help='Re-download the pairing of this known server.')
@click.option('--new-pairing', is_flag=True, help='Use a fresh FileID, for pairing another company file.')
@click.option(
    '--run-every-minutes',
    type=click.IntRange(min=0),
    default=None,
    help='Scheduler interval written into the file (default: the configured one; 0: none).',
)
def qwc_command(
    out: Path, url: str | None, server_id: int | None, new_pairing: bool, run_every_minutes: int | None
) -> None:
    """Write the Web Connector configuration file (.qwc)."""
    db = get_host().db
    try:
        document = build_installation_qwc(
            db.session,
            app_url=url,
            server_id=server_id,
            new_pairing=new_pairing,
            scheduler_minutes=run_every_minutes,
        )
    except QwcError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    out.write_bytes(document)
    click.echo(f'Wrote {out}.')


@servers_group.command('list')
def list_servers_command() -> None:
    """One line per server: id, role, company file, FileID, company, last connection."""
    db = get_host().db
    for server in all_servers(db.session):
        role = 'primary' if server.is_primary else ('attempt' if server.attempt_at else 'known')
        seen = server.last_connect.isoformat(timespec='seconds') if server.last_connect else '-'
        click.echo(
            f'{server.id}\t{role}\t{server.company_file}\t{server.file_id}\t{server.company_name}\t{seen}'
        )


@servers_group.command('accept')
@click.option('--id', 'server_id', type=int, default=None, help='Server to accept (default: the last attempt).')
def accept_server_command(server_id: int | None) -> None:
    """Accept a server as primary (only while there is none)."""
    db = get_host().db
    if server_id is None:
        attempt = last_attempt(db.session)
        if attempt is None:
            raise click.ClickException('No QuickBooks server has connected yet.')
        server_id = attempt.id
    try:
        server = accept(db.session, server_id, utc_now())
    except ServerSelectionError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f'Server {server.id} ({server.company_file}) is now primary.')


@servers_group.command('resolve')
@click.option(
    '--action',
    required=True,
    type=click.Choice([action.value for action in AttemptAction]),
    help='none: take no action; ignore: hide the attempt; update: same file moved or renamed; '
    'replace: a different company file becomes primary.',
)
def resolve_servers_command(action: str) -> None:
    """Answer the last unrecognised connection attempt with one of the guide's four options."""
    db = get_host().db
    try:
        primary = resolve_attempt(db.session, AttemptAction(action), utc_now())
    except ServerSelectionError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f'Primary server: {primary.id} ({primary.company_file}).' if primary else 'No primary server.')


def register_commands(group: click.Group) -> None:
    """Add the Web Connector commands to the plugin's ``finance-qb`` group."""
    for command in (credentials_group, qwc_command, servers_group):
        group.add_command(command)
