"""``flask finance-qb config show|set`` and ``flask finance-qb sync-status``.

A sync can be set up and watched without a browser: every setting of the registry and every
list mapping is a key (``import.customers``, ``mapping.terms.Net 30``) that ``config show``
lists with its value and meaning and ``config set`` changes. Expense categories are keyed by the
CRM category and take a QuickBooks account (``mapping.expense_category.Travel "Travel Expense"``).
Settings read only by a phase the engine does not run yet are neither listed nor set
(``sync.settings_in_use``).
"""

from __future__ import annotations

import json
from collections import Counter
from gettext import NullTranslations
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.orm import Session

from onecrm_finance_qb.host import DropdownList, Host, ShippingProviderData
from onecrm_finance_qb.i18n import LOCALES, get_translations, load_translations
from onecrm_finance_qb.models.links import LinkStatus, SyncConflict, SyncLink
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.settings_registry import BILLS, SETTINGS, InvalidSettingError, SettingScope, SettingType
from onecrm_finance_qb.settings_store import get_setting, set_setting
from onecrm_finance_qb.state import get_host
from onecrm_finance_qb.stored_messages import HasStoredMessage, render_message
from onecrm_finance_qb.sync import run_counts
from onecrm_finance_qb.sync.mappings import EXPENSE_ACCOUNT_TYPES, expense_category_row, live_host_records
from onecrm_finance_qb.sync.settings_in_use import phase_built, settings_in_use
from onecrm_finance_qb.webconnector.servers import primary_server

MAPPING_PREFIX = 'mapping.'
#: ``config set mapping.<kind>.<name> +`` adds the QuickBooks value to the CRM list and maps it.
ADD_TO_LIST = '+'
_DROPDOWNS = {
    ListKind.TERMS: DropdownList.TERMS,
    ListKind.PAYMENT_METHOD: DropdownList.PAYMENT_TYPES,
    ListKind.CUSTOMER_TYPE: DropdownList.ACCOUNT_TYPES,
}
PROBLEM_STATUSES = (
    LinkStatus.IMPORT_BLOCKED,
    LinkStatus.EXPORT_BLOCKED,
    LinkStatus.UPDATE_BLOCKED,
    LinkStatus.IMPORT_ERROR,
    LinkStatus.EXPORT_ERROR,
    LinkStatus.UPDATE_ERROR,
    LinkStatus.DELETE_ERROR,
    LinkStatus.HELD,
)
RECENT_RUNS = 5
#: The JSON output's messages are English; their msgid and arguments let a consumer translate them.
ENGLISH = NullTranslations()
MAX_PROBLEMS = 200


def register_commands(group: click.Group) -> None:
    """Add the commands to the plugin's ``finance-qb`` group."""
    group.add_command(config_group)
    group.add_command(sync_status_command)


def _server(db: Session, server_id: int | None) -> QBServer:
    server = db.get(QBServer, server_id) if server_id is not None else primary_server(db)
    if server is None:
        raise click.ClickException('No such server; accept a company file first (finance-qb servers accept).')
    return server


server_option = click.option('--server', 'server_id', type=int, help='Server id (default: the primary server).')


@click.group('config', cls=AppGroup)
def config_group() -> None:
    """Read and change the sync settings and list mappings."""


@config_group.command('show')
@server_option
@click.option('--json', 'as_json', is_flag=True, help='Print every key with its value and meaning as JSON.')
def show_command(server_id: int | None, as_json: bool) -> None:
    """Every setting and mapping with its value and meaning."""
    host = get_host()
    db = host.db.session
    server = _server(db, server_id)
    entries = _settings(db, server) + _mappings(db, server)
    if phase_built(BILLS):
        entries += _expense_categories(host, db, server)
    if as_json:
        click.echo(json.dumps(entries, indent=2, default=str))
        return
    for entry in entries:
        click.echo(f'{entry["key"]} = {entry["value"]!s}    # {entry["meaning"]}')


def _settings(db: Session, server: QBServer) -> list[dict[str, Any]]:
    return [
        {
            'key': key,
            'value': get_setting(db, key, server.id if declared.scope is SettingScope.SERVER else None),
            'meaning': declared.meaning,
        }
        for key, declared in sorted(settings_in_use().items())
    ]


def _mappings(db: Session, server: QBServer) -> list[dict[str, Any]]:
    rows = db.scalars(
        sa.select(ListMapping)
        .where(
            ListMapping.server_id == server.id,
            ListMapping.deleted.is_(False),
            ListMapping.kind != ListKind.EXPENSE_CATEGORY,
        )
        .order_by(ListMapping.kind, ListMapping.name)
    )
    return [
        {
            'key': f'{MAPPING_PREFIX}{row.kind}.{row.name}',
            'value': row.crm_value,
            'meaning': f'CRM value the QuickBooks {row.kind.replace("_", " ")} "{row.name}" maps to'
            + (' (guessed)' if row.auto_mapped else '')
            + ('' if row.qb_id else ' (to export)'),
        }
        for row in rows
    ]


def _expense_categories(host: Host, db: Session, server: QBServer) -> list[dict[str, Any]]:
    """Every CRM expense category with the name of the QuickBooks account it is booked to."""
    rows = db.scalars(
        sa.select(ListMapping).where(
            ListMapping.server_id == server.id, ListMapping.kind.in_((ListKind.EXPENSE_CATEGORY, ListKind.ACCOUNT))
        )
    ).all()
    accounts = {row.qb_id: row.name for row in rows if row.kind == ListKind.ACCOUNT and row.qb_id}
    chosen = {row.crm_value: row.expense_account for row in rows if row.kind == ListKind.EXPENSE_CATEGORY}
    categories = sorted(live_host_records(host, 'expense_categories'), key=lambda category: category.name.casefold())
    return [
        {
            'key': f'{MAPPING_PREFIX}{ListKind.EXPENSE_CATEGORY}.{category.name}',
            'value': accounts.get(chosen.get(category.id) or ''),
            'meaning': f'QuickBooks account the expenses of CRM category "{category.name}" are booked to',
        }
        for category in categories
    ]


@config_group.command('set')
@server_option
@click.argument('key')
@click.argument('value')
def set_command(server_id: int | None, key: str, value: str) -> None:
    """Set KEY to VALUE; for a mapping, VALUE is the CRM id or key, '' to unmap, '+' to add it to the CRM list."""
    host = get_host()
    db = host.db.session
    server = _server(db, server_id)
    if key.startswith(MAPPING_PREFIX):
        shown = _set_mapping(host, server, key.removeprefix(MAPPING_PREFIX), value)
    else:
        declared = SETTINGS.get(key)
        if declared is None:
            raise click.ClickException(f'Unknown key {key!r}; "config show" lists them all.')
        if not phase_built(declared.read_by):
            raise click.ClickException(_not_read_yet(key, declared.read_by))
        try:
            typed = _typed(declared.type, value)
            set_setting(db, key, typed, server.id if declared.scope is SettingScope.SERVER else None)
        except InvalidSettingError as exc:
            raise click.ClickException(str(exc)) from None
        shown = typed
    db.commit()
    click.echo(f'{key} = {shown}')


def _not_read_yet(key: str, phase: str | None) -> str:
    return f'{key} is read by the {phase} sync, which this version does not run yet; it is not offered.'


def _typed(kind: SettingType, value: str) -> Any:
    if kind is SettingType.BOOL:
        lowered = value.strip().lower()
        if lowered not in ('1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'):
            raise InvalidSettingError(f'not a boolean: {value!r}')
        return lowered in ('1', 'true', 'yes', 'on')
    if kind is SettingType.INT:
        try:
            return int(value)
        except ValueError:
            raise InvalidSettingError(f'not an integer: {value!r}') from None
    return value


def _set_mapping(host: Host, server: QBServer, rest: str, value: str) -> str | None:
    kind_text, _, name = rest.partition('.')
    try:
        kind = ListKind(kind_text)
    except ValueError:
        raise click.ClickException(
            f'Unknown list {kind_text!r}; lists: {", ".join(k.value for k in ListKind)}.'
        ) from None
    if kind is ListKind.EXPENSE_CATEGORY:
        if not phase_built(BILLS):
            raise click.ClickException(_not_read_yet(f'{MAPPING_PREFIX}{kind.value}.{name}', BILLS))
        return _set_expense_category(host, server, name, value)
    db = host.db.session
    row = db.scalars(
        sa.select(ListMapping).where(
            ListMapping.server_id == server.id,
            ListMapping.kind == kind,
            sa.func.lower(ListMapping.name) == name.lower(),
        )
    ).first()
    if row is None:
        raise click.ClickException(f'QuickBooks has no {kind.value} named {name!r} (run an update to download lists).')
    if value == ADD_TO_LIST:
        value = _add_to_crm_list(host, kind, row.name)
    row.crm_value = value or None
    row.auto_mapped = False
    return row.crm_value


def _set_expense_category(host: Host, server: QBServer, name: str, value: str) -> str | None:
    """Book CRM expense category ``name`` to the QuickBooks account named (or with the ListID) ``value``."""
    found = host.expense_categories.find_by_name(name)
    if not found:
        raise click.ClickException(f'The CRM has no expense category named {name!r}.')
    db = host.db.session
    account = None
    if value:
        account = db.scalars(
            sa.select(ListMapping).where(
                ListMapping.server_id == server.id,
                ListMapping.kind == ListKind.ACCOUNT,
                ListMapping.deleted.is_(False),
                ListMapping.is_active.is_(True),
                sa.or_(ListMapping.qb_id == value, sa.func.lower(ListMapping.name) == value.lower()),
            )
        ).first()
        if account is None or json.loads(account.details or '{}').get('AccountType') not in EXPENSE_ACCOUNT_TYPES:
            raise click.ClickException(
                f'QuickBooks has no active expense account {value!r} ({", ".join(EXPENSE_ACCOUNT_TYPES)}).'
            )
    row = expense_category_row(db, server.id, found[0].id, found[0].name)
    row.expense_account = account.qb_id if account is not None else None
    row.auto_mapped = False
    return account.name if account is not None else None


def _add_to_crm_list(host: Host, kind: ListKind, name: str) -> str:
    """The original's "Add to List": create the CRM value from the QuickBooks one."""
    if kind in _DROPDOWNS:
        return host.dropdowns.add_option(_DROPDOWNS[kind], name)
    if kind is ListKind.SHIP_METHOD:
        found = host.shipping_providers.find_by_name(name)
        return found[0].id if found else host.shipping_providers.create_from_qb(ShippingProviderData(name=name))
    raise click.ClickException(f'{kind.value} values cannot be added to the CRM from here; map an existing one.')


@click.command('sync-status')
@with_appcontext
@server_option
@click.option('--json', 'as_json', is_flag=True, help='Print the status as JSON (messages in English).')
@click.option('--locale', type=click.Choice(LOCALES), help="Language of the messages; default: the CRM's.")
def sync_status_command(server_id: int | None, as_json: bool, locale: str | None) -> None:
    """Links per QuickBooks type by first sync and status, the records that need attention, the last runs."""
    host = get_host()
    db = host.db.session
    server = _server(db, server_id)
    if as_json:
        click.echo(json.dumps(sync_status(db, server), indent=2, default=str))
        return
    status = sync_status(db, server, load_translations(locale, host) if locale else get_translations())
    click.echo(f'Server {server.id}: {server.company_file}')
    for qb_type, counts in status['links'].items():
        shown = ', '.join(f'{key} {count}' for key, count in sorted(counts.items()))
        click.echo(f'  {qb_type}: {shown}')
    for problem in status['problems']:
        click.echo(f'  ! {problem["qb_type"]} "{problem["name"]}" {problem["status"]}: {problem["message"]}')
    for conflict in status['conflicts']:
        click.echo(f'  ~ conflict {conflict["qb_type"]} "{conflict["name"]}" ({conflict["policy"]})')
    for run in status['runs']:
        click.echo(f'  run {run["id"]} {run["started_at"]} {run["result"]}: {run["message"]} {run["counts"]}')


def sync_status(db: Session, server: QBServer, translations: NullTranslations = ENGLISH) -> dict[str, Any]:
    """The figures ``sync-status`` prints, as plain data, with messages in the language of ``translations``."""
    links: dict[str, Counter[str]] = {}
    grouped = db.execute(
        sa.select(SyncLink.qb_type, SyncLink.first_sync, SyncLink.status, sa.func.count())
        .where(SyncLink.server_id == server.id)
        .group_by(SyncLink.qb_type, SyncLink.first_sync, SyncLink.status)
    )
    for qb_type, first_sync, status, count in grouped:
        links.setdefault(qb_type, Counter())[f'{first_sync}/{status}'] += count
    problems = db.scalars(
        sa.select(SyncLink)
        .where(SyncLink.server_id == server.id, SyncLink.status.in_(PROBLEM_STATUSES))
        .order_by(SyncLink.qb_type, SyncLink.name)
        .limit(MAX_PROBLEMS)
    )
    conflicts = db.scalars(
        sa.select(SyncConflict)
        .where(SyncConflict.server_id == server.id)
        .order_by(SyncConflict.id.desc())
        .limit(MAX_PROBLEMS)
    )
    runs = db.scalars(
        sa.select(SyncRun).where(SyncRun.server_id == server.id).order_by(SyncRun.id.desc()).limit(RECENT_RUNS)
    )
    return {
        'server': server.id,
        'links': {qb_type: dict(counts) for qb_type, counts in sorted(links.items())},
        'problems': [
            {
                'qb_type': link.qb_type,
                'name': link.name,
                'crm_id': link.crm_id,
                'status': link.status,
                'first_sync': link.first_sync,
                **_message_fields(link, translations),
            }
            for link in problems
        ],
        'conflicts': [
            {
                'qb_type': conflict.qb_type,
                'name': conflict.name,
                'policy': conflict.policy,
                'detected_at': conflict.detected_at,
                'resolved_at': conflict.resolved_at,
            }
            for conflict in conflicts
        ],
        'runs': [_run_status(run, translations) for run in runs],
    }


def _run_status(run: SyncRun, translations: NullTranslations) -> dict[str, Any]:
    """A run's outcome with its raw counts and the figures the run history shows (imported... errored)."""
    counts = json.loads(run.counts or '{}')
    return {
        'id': run.id,
        'started_at': run.started_at,
        'result': run.result,
        **_message_fields(run, translations),
        'requests': run.requests_sent,
        'counts': counts,
        **run_counts.columns(counts),
    }


def _message_fields(row: HasStoredMessage, translations: NullTranslations) -> dict[str, Any]:
    """A link's or run's message, rendered, and its source (msgid, plural, arguments; None for plain text)."""
    return {
        'message': render_message(row, translations),
        'message_key': row.message_key,
        'message_plural': row.message_plural,
        'message_args': json.loads(row.message_args) if row.message_args else None,
    }
