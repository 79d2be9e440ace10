"""End to end: the real hostcrm with the plugin on a localhost HTTP port, driven by qbsim's Web Connector.

The administrator's steps are the CLI commands the README gives; QuickBooks and QBWC are qbsim.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.settings_registry import definition
from onecrm_finance_qb.settings_store import get_setting, set_setting
from onecrm_finance_qb.webconnector import set_run_driver, tickets
from onecrm_finance_qb.webconnector.credentials import current_credential
from onecrm_finance_qb.webconnector.driver import IdentificationDriver
from tests.crm import load_plugin, new_crm
from tests.serving import served

qbsim = pytest.importorskip('qbsim')
from qbsim import Company  # noqa: E402
from qbsim.webconnector import run_update  # noqa: E402

pytestmark = pytest.mark.slow

PASSWORD = 'a long sync password for QBWC'


@pytest.fixture
def crm(tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """hostcrm with the plugin, migrated, served on a free localhost port; yields (app, service URL)."""
    app = load_plugin(new_crm(tmp_path))
    # Identity and pairing are under test here, so every run does the baseline driver's work only.
    set_run_driver(app, IdentificationDriver())
    try:
        with served(app) as base_url:
            yield app, f'{base_url}/finance-qb/qbwc'
    finally:
        with app.app_context():
            db.engine.dispose()


def cli(app: Flask, *args: str, input: str | None = None) -> str:
    result = app.test_cli_runner().invoke(args=['finance-qb', *args], input=input)
    assert result.exit_code == 0, result.output
    return result.output


def servers(app: Flask) -> list[QBServer]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(QBServer).order_by(QBServer.id)))
        db.session.expunge_all()
        return rows


def last_run(app: Flask) -> SyncRun:
    with app.app_context():
        run = db.session.scalars(sa.select(SyncRun).order_by(SyncRun.id.desc())).first()
        db.session.expunge_all()
        return run


@pytest.fixture
def paired(crm, tmp_path):
    """The credential set and the .qwc written through the CLI; the first company file accepted."""
    app, url = crm
    cli(app, 'credentials', 'set', '--username', 'qbsync', '--password-stdin', input=PASSWORD + '\n')
    qwc = tmp_path / 'finance-qb.qwc'
    cli(app, 'qwc', '--out', str(qwc), '--url', url)
    first = tmp_path / 'rock castle.qbw'
    Company.create(first).close()

    result = run_update(qwc, PASSWORD, first)
    assert not result.completed
    assert 'not accepted yet' in (result.last_error_text or '')
    [candidate] = servers(app)
    assert not candidate.is_primary
    assert candidate.attempt_at is not None
    assert last_run(app).result == 'aborted'

    assert 'is now primary' in cli(app, 'servers', 'accept')
    result = run_update(qwc, PASSWORD, first)
    assert result.completed, (result.outcome, result.error, result.last_error_text)
    assert last_run(app).result == 'success'
    return app, qwc, first


def test_wrong_password_and_lockout(paired):
    _app, qwc, first = paired
    for _ in range(3):
        assert run_update(qwc, 'not the password', first).outcome == 'invalid-user'
    # Locked out now: even the right password is refused until the delay has passed.
    assert run_update(qwc, PASSWORD, first).outcome == 'invalid-user'


def test_second_file_is_an_unrecognised_attempt_and_primary_keeps_working(paired, tmp_path):
    app, qwc, first = paired
    second = tmp_path / 'other company.qbw'
    Company.create(second, edition='CA').close()
    result = run_update(qwc, PASSWORD, second)
    assert not result.completed
    assert 'not the one the CRM synchronises with' in (result.last_error_text or '')
    assert 'attempt' in cli(app, 'servers', 'list')
    # Take no action: the attempt stays, the primary keeps syncing normally.
    cli(app, 'servers', 'resolve', '--action', 'none')
    assert run_update(qwc, PASSWORD, first).completed
    assert any(s.attempt_at for s in servers(app))


def test_ignore(paired, tmp_path):
    app, qwc, first = paired
    second = tmp_path / 'other company.qbw'
    Company.create(second).close()
    run_update(qwc, PASSWORD, second)
    cli(app, 'servers', 'resolve', '--action', 'ignore')
    assert not any(s.attempt_at for s in servers(app))
    primary = next(s for s in servers(app) if s.is_primary)
    assert primary.company_file.endswith('rock castle.qbw')
    assert run_update(qwc, PASSWORD, first).completed
    # Ignoring is not accepting: the file is still refused next time.
    assert not run_update(qwc, PASSWORD, second).completed


def test_update_moved_file_keeps_state(paired, tmp_path):
    app, qwc, first = paired
    primary_id = next(s for s in servers(app) if s.is_primary).id
    with app.app_context():
        set_setting(db.session, 'batch.accounts_import', 77, primary_id)
        db.session.commit()
    moved = tmp_path / 'moved' / 'rock castle renamed.qbw'
    moved.parent.mkdir()
    shutil.move(first, moved)
    assert not run_update(qwc, PASSWORD, moved).completed
    cli(app, 'servers', 'resolve', '--action', 'update')
    [primary] = servers(app)
    assert primary.id == primary_id
    assert primary.company_file.endswith('rock castle renamed.qbw')
    with app.app_context():
        assert get_setting(db.session, 'batch.accounts_import', primary_id) == 77
    assert run_update(qwc, PASSWORD, moved).completed


def test_replace_and_come_back(paired, tmp_path):
    app, qwc, first = paired
    old_id = next(s for s in servers(app) if s.is_primary).id
    with app.app_context():
        set_setting(db.session, 'batch.accounts_import', 77, old_id)
        db.session.commit()
    second = tmp_path / 'new company.qbw'
    Company.create(second).close()
    run_update(qwc, PASSWORD, second)
    cli(app, 'servers', 'resolve', '--action', 'replace')
    new_primary = next(s for s in servers(app) if s.is_primary)
    assert new_primary.id != old_id
    with app.app_context():
        # A fresh state for the new file, the old one kept.
        default = definition('batch.accounts_import').default
        assert get_setting(db.session, 'batch.accounts_import', new_primary.id) == default
        assert get_setting(db.session, 'batch.accounts_import', old_id) == 77
    assert run_update(qwc, PASSWORD, second).completed
    # The old file reconnects: an attempt; choosing it again restores its state.
    assert not run_update(qwc, PASSWORD, first).completed
    cli(app, 'servers', 'resolve', '--action', 'replace')
    restored = next(s for s in servers(app) if s.is_primary)
    assert restored.id == old_id
    assert run_update(qwc, PASSWORD, first).completed


def test_busy_while_another_run_is_in_progress(paired):
    app, qwc, first = paired
    with app.app_context():
        primary = next(s for s in servers(app) if s.is_primary)
        holder, _ = tickets.open_session(db.session, current_credential(db.session), None, '127.0.0.1', utc_now())
        holder.lock_key = tickets.company_file_key(primary.company_file)
        expires = utc_now() + timedelta(minutes=5)
        assert tickets.acquire_lock(db.session, holder.lock_key, holder.id, expires, utc_now())
        db.session.commit()
    result = run_update(qwc, PASSWORD, first)
    assert result.outcome == 'busy'
    assert result.postpone_seconds == 60
