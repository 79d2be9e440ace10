"""Building a benchmark scenario: a seeded CRM, a seeded QuickBooks company, paired and live.

Half of the QuickBooks customers carry CRM account names and half of its items carry CRM part
numbers, so the initial sync links, imports and exports. A prepared scenario is kept as a
snapshot (the CRM's SQLite file and the company file) and restored before each measured run, so
every run starts from the same state at the same paths (the company file's path is part of the
QuickBooks server's identity).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from bench.crm import crm_app
from hostcrm.demo import wizard
from hostcrm.demo.commands import flask_command
from hostcrm.extensions import db
from hostcrm.models import Account, Product
from qbsim import Company
from qbsim.webconnector import RunResult, run_update

SYNC_USER = 'qbsync'
SYNC_PASSWORD = 'benchmark sync password'  # noqa: S105 - a throw-away local scenario
COMPANY_FILE = 'company.qbw'
CRM_FILE = 'crm.db'
SNAPSHOT = 'snapshot'
SQLITE_SIDE_FILES = ('-wal', '-shm', '-journal')
#: Only accounts and products are seeded, so the sizes say exactly what the CRM holds.
NO_DOCUMENTS = ('--assemblies', '0', '--quotes', '0', '--invoices', '0', '--credit-notes', '0', '--bills', '0',
                '--payments', '0')

@dataclass(frozen=True)
class ScenarioSize:
    """How much data each side starts with."""

    accounts: int
    products: int
    qb_customers: int
    qb_items: int

    @property
    def overlapping_customers(self) -> int:
        return self.qb_customers // 2

    @property
    def overlapping_items(self) -> int:
        return self.qb_items // 2


def command(app: Flask, *args: str, stdin: str | None = None) -> str:
    """An administrator's ``flask`` command, run quietly."""
    return flask_command(app, *args, stdin=stdin, echo=False, announce=False)


def prepare(folder: Path, size: ScenarioSize) -> None:
    """Seed the CRM and the company, create the plugin's tables and the sync credential; snapshot the result."""
    folder.mkdir(parents=True, exist_ok=True)
    app = crm_app(folder)
    command(app, 'init-db')
    command(app, 'seed', '--accounts', str(size.accounts), '--products', str(size.products), *NO_DOCUMENTS)
    command(app, 'finance-qb', 'db', 'upgrade')
    command(app, 'finance-qb', 'credentials', 'set', '--username', SYNC_USER, '--password-stdin',
            stdin=SYNC_PASSWORD + '\n')
    customers, part_numbers = _crm_names(app, size)
    Company.create(folder / COMPANY_FILE, seed=company_seed(size, customers, part_numbers)).close()
    release(app)


def company_seed(size: ScenarioSize, crm_customers: list[str], crm_part_numbers: list[str]) -> dict:
    """QuickBooks' own customers and items, half of them named like CRM records."""
    customers = [*crm_customers, *(f'QB Customer {number:06d}' for number in range(size.qb_customers
                                                                                   - len(crm_customers)))]
    items = [*crm_part_numbers, *(f'QB-ITEM-{number:06d}' for number in range(size.qb_items - len(crm_part_numbers)))]
    return {
        'Account': wizard.COMPANY_ACCOUNTS,
        'StandardTerms': wizard.COMPANY_TERMS,
        'Customer': [{'Name': name, 'CompanyName': name, 'Phone': '555-0100'} for name in customers],
        'ItemNonInventory': [{'Name': name, 'SalesOrPurchase': {'Desc': f'{name} from QuickBooks', 'Price': '12.50',
                                                                'AccountRef': {'FullName': 'Sales'}}}
                             for name in items],
    }


def _crm_names(app: Flask, size: ScenarioSize) -> tuple[list[str], list[str]]:
    with app.app_context():
        customers = db.session.scalars(sa.select(Account.name).where(Account.is_supplier.is_(False))
                                       .order_by(Account.name).limit(size.overlapping_customers))
        part_numbers = db.session.scalars(sa.select(Product.manufacturer_part_no).order_by(Product.name)
                                          .limit(size.overlapping_items))
        return list(customers), [number for number in part_numbers if number]


def pair(app: Flask, folder: Path, base_url: str) -> None:
    """The .qwc, the first Web Connector run, the administrator's acceptance, the wizard's choices, Go Live.

    A record whose terms are not mapped, or an item without its accounts, waits instead of being
    exported. The mappings need QuickBooks' lists, which only a live run downloads, so the first
    live run has every data type switched off and only downloads the lists; then the terms are
    mapped and the item accounts chosen, and only then are the data types switched on. The
    measured sync therefore exports every account and product, as it would for an administrator
    who finished the wizard. (CRM account types missing from QuickBooks are added to its customer
    types by the sync itself.)
    """
    write_qwc(app, folder, base_url)
    update(folder)
    command(app, 'finance-qb', 'servers', 'accept')
    wizard.switch_data_types(app, command, on=False)
    command(app, 'finance-qb', 'config', 'set', 'sync.allowed', '1')
    update(folder)
    wizard.finish_mappings(app, command)
    wizard.switch_data_types(app, command, on=True)


def write_qwc(app: Flask, folder: Path, base_url: str) -> None:
    command(app, 'finance-qb', 'qwc', '--out', str(folder / 'finance-qb.qwc'), '--url', f'{base_url}/finance-qb/qbwc')


def update(folder: Path, faults: tuple[str, ...] = ()) -> RunResult:
    """One "Update Selected" of the Web Connector."""
    return run_update(folder / 'finance-qb.qwc', SYNC_PASSWORD, folder / COMPANY_FILE, faults=list(faults))


def release(app: Flask) -> None:
    """Close the CRM database's connections, so its file can be copied or replaced."""
    with app.app_context():
        db.engine.dispose()


def snapshot(folder: Path) -> None:
    target = folder / SNAPSHOT
    target.mkdir(exist_ok=True)
    for name in (CRM_FILE, COMPANY_FILE):
        shutil.copy2(folder / name, target / name)


def restore(folder: Path) -> None:
    """Put the snapshot back; SQLite's side files of the replaced databases go, they belong to the old state."""
    for name in (CRM_FILE, COMPANY_FILE):
        for suffix in SQLITE_SIDE_FILES:
            (folder / f'{name}{suffix}').unlink(missing_ok=True)
        shutil.copy2(folder / SNAPSHOT / name, folder / name)
