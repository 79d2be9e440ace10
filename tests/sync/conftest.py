"""Fixtures of the sync tests: hostcrm with the plugin on a localhost port, paired with a qbsim company.

``SyncBench`` is the administrator and the Web Connector in one: it runs updates through qbsim's
web connector (recording every qbXML request so the tests can validate them against Intuit's
schema), changes settings through the CLI, and edits CRM and QuickBooks records directly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db
from hostcrm.models import Account, Contact
from onecrm_finance_qb.models.links import LinkStatus, SyncLink
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.sync import outbox
from tests.crm import load_plugin, new_crm
from tests.serving import served

from . import qb

qbsim = pytest.importorskip('qbsim')
from qbsim import Company  # noqa: E402
from qbsim.webconnector import run_update  # noqa: E402
from qbsim.webconnector.result import RunResult  # noqa: E402

PASSWORD = 'a long sync password for QBWC'


@dataclass
class SyncBench:
    app: Flask
    qwc: Path
    company_path: Path
    records: Path
    server_id: int = 0
    runs: list[RunResult] = field(default_factory=list)

    def cli(self, *args: str, input: str | None = None, ok: bool = True) -> str:
        result = self.app.test_cli_runner().invoke(args=['finance-qb', *args], input=input)
        if ok:
            assert result.exit_code == 0, result.output
        return result.output

    def update(self, *faults: str) -> RunResult:
        record_dir = self.records / f'run{len(self.runs) + 1}'
        result = run_update(self.qwc, PASSWORD, self.company_path, faults=list(faults), record_dir=record_dir)
        self.runs.append(result)
        return result

    def company(self) -> Company:
        return Company.open(self.company_path)

    def qb(self, ret_type: str) -> dict[str, dict]:
        company = self.company()
        try:
            return {obj['Name']: obj for obj in company.query_objects(ret_type)}
        finally:
            company.close()

    def qb_process(self, qbxml: str) -> str:
        company = self.company()
        try:
            return company.process(qbxml)
        finally:
            company.close()

    def links(self, qb_type: str | None = None) -> dict[str, SyncLink]:
        with self.app.app_context():
            query = sa.select(SyncLink).where(SyncLink.server_id == self.server_id)
            if qb_type:
                query = query.where(SyncLink.qb_type == qb_type)
            rows = list(db.session.scalars(query))
            db.session.expunge_all()
            return {row.name: row for row in rows}

    def add_account(self, name: str, *, supplier: bool = False, **values: Any) -> str:
        contact = values.pop('contact', None)
        with self.app.app_context():
            account = Account(name=name, is_supplier=supplier, **values)
            db.session.add(account)
            if contact:
                first, last = contact
                person = Contact(first_name=first, last_name=last)
                account.contacts.append(person)
                db.session.flush()
                account.primary_contact = person
            db.session.commit()
            return account.id

    def edit_account(self, account_id: str, **values: Any) -> None:
        with self.app.app_context():
            account = db.session.get(Account, account_id)
            for key, value in values.items():
                setattr(account, key, value)
            db.session.commit()

    def account(self, account_id: str) -> Account:
        with self.app.app_context():
            account = db.session.get(Account, account_id)
            db.session.expunge(account)
            return account

    def accounts_named(self, name: str) -> list[Account]:
        with self.app.app_context():
            rows = list(db.session.scalars(sa.select(Account).where(Account.name == name, Account.deleted.is_(False))))
            db.session.expunge_all()
            return rows

    def status(self) -> dict:
        return json.loads(self.cli('sync-status', '--json'))

    def request_files(self) -> list[Path]:
        return sorted(self.records.glob('run*/*request*.xml'))


@pytest.fixture
def crm(tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """hostcrm with the plugin, migrated, served on a free localhost port; yields (app, service URL)."""
    app = load_plugin(new_crm(tmp_path))
    try:
        with served(app) as base_url:
            yield app, f'{base_url}/finance-qb/qbwc'
    finally:
        with app.app_context():
            db.engine.dispose()


def make_bench(crm: tuple[Flask, str], tmp_path: Path, edition: str, **company: Any) -> SyncBench:
    """A company of ``edition`` paired and accepted, with synchronisation switched on."""
    app, url = crm
    qwc = tmp_path / 'finance-qb.qwc'
    bench = SyncBench(app, qwc, tmp_path / f'{edition} company.qbw', tmp_path / 'records')
    bench.cli('credentials', 'set', '--username', 'qbsync', '--password-stdin', input=PASSWORD + '\n')
    bench.cli('qwc', '--out', str(qwc), '--url', url)
    Company.create(bench.company_path, edition=edition, **company).close()
    run_update(qwc, PASSWORD, bench.company_path)
    bench.cli('servers', 'accept')
    with app.app_context():
        bench.server_id = db.session.scalars(sa.select(QBServer.id).where(QBServer.is_primary.is_(True))).one()
    bench.cli('config', 'set', 'sync.allowed', 'true')
    return bench


@pytest.fixture(params=['US', 'CA', 'UK'])
def bench(request: pytest.FixtureRequest, crm: tuple[Flask, str], tmp_path: Path) -> SyncBench:
    return make_bench(crm, tmp_path, request.param)


@pytest.fixture
def us_bench(crm: tuple[Flask, str], tmp_path: Path) -> SyncBench:
    return make_bench(crm, tmp_path, 'US')


@pytest.fixture
def poison(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``poison(name)``: QuickBooks cannot read the request of the record ``name`` (an unknown element in it)."""

    def poison_record(name: str) -> None:
        spelled = outbox._country_spelling

        def poisoned(xml: str, ctx: Any) -> str:
            return spelled(xml, ctx).replace(f'<Name>{name}</Name>', f'<Name>{name}</Name><Bogus/>')

        monkeypatch.setattr(outbox, '_country_spelling', poisoned)

    return poison_record


def sync_two_customers(bench: SyncBench) -> SyncBench:
    """One customer exported (Globex, id in ``bench.globex``) and one imported (Acme), all settled."""
    qb.add(bench, 'Customer', '<Name>Acme Widgets</Name><Phone>555-0100</Phone>')
    bench.globex = bench.add_account('Globex Corporation', phone_office='555-0199')
    assert bench.update().completed
    assert bench.links('Customer')['Globex Corporation'].status == LinkStatus.ENABLED
    return bench
