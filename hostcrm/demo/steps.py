"""The demo's steps, in the order an administrator takes them.

Build the module zip; create the CRM's database, administrator and sample data; install the
module through the Module Loader; serve the CRM over HTTPS; set the sync credential, download
the .qwc and let the Web Connector (qbsim's) pair a simulated QuickBooks company; accept it, Go
Live with the data types off so that a first update downloads QuickBooks' lists, map the terms,
choose the Item Accounts and switch the data types on; run the sync with a progress line; print
what happened.
Every step reuses what an earlier run left in the instance folder, so a second run is quick and
shows an incremental sync.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask

from hostcrm import create_app
from hostcrm.demo import crm_data, quickbooks, wizard
from hostcrm.demo.commands import CommandFailedError, flask_command, step
from hostcrm.demo.instance import DemoInstance
from hostcrm.demo.module import build_module_zip, install_module
from hostcrm.demo.progress import ProgressDisplay
from hostcrm.demo.report import UpdateOutcome, build_report, format_report, write_report
from hostcrm.demo.serving import quiet_request_log, serve_https
from hostcrm.demo.tls import ensure_certificates
from qbsim.webconnector import RunResult, run_update

ADMIN_USER = 'admin'
SYNC_USER = 'qbsync'
#: Small enough to seed in seconds, big enough to page through.
SAMPLE_SIZES = ('--accounts', '40', '--products', '40', '--quotes', '20', '--invoices', '60',
                '--credit-notes', '5', '--bills', '15', '--payments', '40')
#: How many CRM records the QuickBooks company shares by name: customers, suppliers, products.
OVERLAP = {'customers': 4, 'suppliers': 2, 'products': 3}
#: Records edited on each side before a later run, so its incremental sync has work to show.
EDITS_PER_SIDE = 3
#: QuickBooks lists whose values the CRM can take as new dropdown options ("Add to List").
ADDABLE_LISTS = ('terms', 'payment_method', 'customer_type', 'ship_method')
#: Updates per demo run at most: one, another after new mappings, more only if an update was cut at its cap.
MAX_UPDATES = 8
RESTARTED_ENV = 'HOSTCRM_DEMO_RESTARTED'


@dataclass(frozen=True)
class DemoOptions:
    instance: Path
    once: bool
    host: str
    port: int


def run_demo(options: DemoOptions) -> int:
    instance = DemoInstance(options.instance)
    archive = build_module_zip()
    app = create_app(instance.app_config())
    seeded = prepare_crm(app, instance)
    if install_module(app, archive):
        return restart()
    step('HTTPS certificate: ' + ('created' if ensure_certificates(instance.tls) else 'reused')
         + f' (CA: {instance.tls.ca_certificate})')
    with serve_https(app, instance.tls, options.host, options.port) as base_url:
        step(f'The CRM is serving {base_url}/')
        pair_company_file(app, instance, base_url)
        go_live(app, instance)
        if not seeded:
            simulate_a_day_of_work(app, instance)
        step(f'Waiting {crm_data.settle_seconds(app):.0f} s until the latest CRM changes are old enough to sync')
        crm_data.wait_until_settled(app)
        report = synchronise(app, instance, f'{base_url}/')
        print('\n' + format_report(report) + '\n', flush=True)
        if options.once:
            write_report(report, instance.report_file)
            step(f'Report written to {instance.report_file}; run the demo without ONCE=1 to look at the result '
                 f'in a browser (login: {ADMIN_USER} / {instance.admin_password}).')
            return 0 if report['succeeded'] else 1
        step(f'Open {base_url}/finance-qb/  (login: {ADMIN_USER} / {instance.admin_password}); the browser will '
             f'warn about the certificate unless it trusts {instance.tls.ca_certificate}.')
        step('Serving until Ctrl-C.')
        wait_for_interrupt()
    return 0


def prepare_crm(app: Flask, instance: DemoInstance) -> bool:
    """The CRM's database, its administrator and, on an empty CRM, the sample data; True if it was seeded now."""
    flask_command(app, 'init-db')
    flask_command(app, 'create-admin', ADMIN_USER, instance.admin_password)
    if not crm_data.crm_is_empty(app):
        step('Sample data already present.')
        return False
    flask_command(app, 'seed', *SAMPLE_SIZES)
    added = crm_data.add_awkward_records(app)
    step(f'Added {added} records whose names break QuickBooks rules on purpose')
    return True


def simulate_a_day_of_work(app: Flask, instance: DemoInstance) -> None:
    """On a later run, edit a few records on both sides, so the incremental sync has something to carry."""
    phone = f'555-{int(time.time()) % 10000:04d}'
    edited = crm_data.edit_accounts(app, EDITS_PER_SIDE, phone)
    step(f'A day of work: {edited} CRM accounts get the phone number {phone}')
    edited = quickbooks.edit_customers(instance.company_file, EDITS_PER_SIDE, phone)
    step(f'A day of work: {edited} QuickBooks customers get the phone number {phone}')


def restart() -> int:
    """Start the demo again in a fresh process, which loads the module version just installed."""
    if os.environ.get(RESTARTED_ENV):
        step('The module still needs a restart after restarting; giving up.')
        return 1
    step('Restarting, so the CRM runs the module version just installed')
    os.environ[RESTARTED_ENV] = '1'
    os.execv(sys.executable, [sys.executable, '-m', 'hostcrm.demo', *sys.argv[1:]])  # noqa: S606 - fixed program
    return 0


def pair_company_file(app: Flask, instance: DemoInstance, base_url: str) -> None:
    """Credential, .qwc, company file, and the first Web Connector run that the administrator then accepts."""
    flask_command(app, 'finance-qb', 'credentials', 'set', '--username', SYNC_USER, '--password-stdin',
                  stdin=instance.sync_password + '\n')
    flask_command(app, 'finance-qb', 'qwc', '--out', str(instance.qwc_file), '--url', f'{base_url}/finance-qb/qbwc')
    if instance.company_file.exists():
        step(f'QuickBooks company file {instance.company_file.name} already exists.')
    else:
        overlap = crm_data.overlapping_names(app, **OVERLAP)
        quickbooks.create_company(instance.company_file, overlap).close()
        step(f'Created the simulated QuickBooks company {instance.company_file.name} ({quickbooks.COMPANY_NAME})')
    if _has_primary_server(app):
        step('The company file is already the accepted QuickBooks server.')
    else:
        step('Web Connector: first update, which introduces the company file to the CRM')
        result = _update(instance, 'pairing')
        if result.last_error_text:
            step(f'The Web Connector shows: {result.last_error_text}')
        flask_command(app, 'finance-qb', 'servers', 'accept')
    flask_command(app, 'finance-qb', 'config', 'set', 'webconnector.base_url', base_url)


class DemoStepError(Exception):
    """A step the rest of the demo depends on did not happen."""


def go_live(app: Flask, instance: DemoInstance) -> None:
    """The wizard's last steps: Go Live, the terms mapping and the Item Accounts, the sync options.

    Terms and accounts are chosen from QuickBooks' lists, which only a live run downloads, so the
    first live update runs with every data type switched off; records would otherwise wait for
    their terms or item accounts. Once; later runs keep the administrator's choices. A run cut
    short before the mappings (its lists update failed, or Ctrl-C) leaves the sync live without
    Item Accounts, so the next run takes these steps again rather than syncing with nothing on.
    """
    settings = {entry['key']: entry['value'] for entry in _json_command(app, 'config', 'show', '--json')}
    if settings.get('sync.allowed') and settings.get('items.income_account'):
        step('The sync is already live.')
        return
    wizard.switch_data_types(app, flask_command, on=False)
    flask_command(app, 'finance-qb', 'config', 'set', 'sync.allowed', '1')
    step("Web Connector: a first live update with every data type off, which downloads QuickBooks' lists")
    result = _update(instance, 'lists')
    if not result.completed:
        reason = result.last_error_text or result.error or result.outcome
        raise DemoStepError(f"the update that downloads QuickBooks' lists did not complete ({reason}); "
                            'run the demo again')
    wizard.finish_mappings(app, flask_command)
    wizard.switch_data_types(app, flask_command, on=True)


def synchronise(app: Flask, instance: DemoInstance, crm_url: str) -> dict[str, Any]:
    """Run updates until the sync has nothing left to do; the report of what they did."""
    before = _json_command(app, 'sync-status', '--json')
    since_run = max((run['id'] for run in before['runs']), default=0)
    # Go Live's first update registers the standard items, unsent: only a record synced before makes
    # this run an incremental one.
    incremental = any(key.partition('/')[0] != 'not_synced' for counts in before['links'].values() for key in counts)
    updates: list[UpdateOutcome] = []
    mapped = False
    while len(updates) < MAX_UPDATES:
        step(f'Web Connector: update {len(updates) + 1}')
        result = _update(instance, f'update {len(updates) + 1}')
        updates.append(UpdateOutcome(outcome=result.outcome, completed=result.completed,
                                     round_trips=result.round_trips, requests=sum(result.requests_by_type.values()),
                                     error=result.error, last_error_text=result.last_error_text))
        if not result.completed:
            break
        latest = _json_command(app, 'sync-status', '--json')['runs']
        if latest and latest[0]['result'] == 'partial':
            continue
        if not mapped:
            mapped = True
            if add_missing_list_values(app):
                continue
        break
    status = _json_command(app, 'sync-status', '--json')
    return build_report(status, updates, since_run, crm_url, ADMIN_USER, incremental)


def add_missing_list_values(app: Flask) -> int:
    """Map unmapped QuickBooks terms, payment methods, customer types and ship methods by adding them to the CRM."""
    added = 0
    for entry in _json_command(app, 'config', 'show', '--json'):
        kind = entry['key'].split('.')[1] if entry['key'].startswith('mapping.') else None
        if kind in ADDABLE_LISTS and entry['value'] is None:
            flask_command(app, 'finance-qb', 'config', 'set', entry['key'], '+')
            added += 1
    return added


def wait_for_interrupt() -> None:
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        step('Stopped.')


def _update(instance: DemoInstance, label: str) -> RunResult:
    progress = ProgressDisplay(label)
    with quiet_request_log():
        try:
            return run_update(instance.qwc_file, instance.sync_password, instance.company_file,
                              cafile=str(instance.tls.ca_certificate), progress=progress)
        finally:
            progress.finish()


def _has_primary_server(app: Flask) -> bool:
    lines = flask_command(app, 'finance-qb', 'servers', 'list', echo=False).splitlines()
    return any(line.split('\t')[1:2] == ['primary'] for line in lines)


def _json_command(app: Flask, *args: str) -> Any:
    try:
        return json.loads(flask_command(app, 'finance-qb', *args, echo=False))
    except json.JSONDecodeError as exc:
        raise CommandFailedError(f'finance-qb {" ".join(args)} did not print JSON: {exc}') from exc
