"""Fixtures of the tab's page tests: hostcrm with the plugin, an administrator, a primary server, helpers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from hostcrm.extensions import db
from hostcrm.finance_host import make_host
from hostcrm.models import User
from onecrm_finance_qb import migrating
from onecrm_finance_qb.models.links import SyncLink
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.plugin import FinanceQB
from tests.crm import new_crm

ADMIN_ID = 'b0000000-0000-4000-8000-000000000001'
USER_ID = 'b0000000-0000-4000-8000-000000000002'
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
XSS = '<script>alert("qb")</script>'


def build_app(tmp_path: Path, database_url: str | None = None) -> Flask:
    app = new_crm(tmp_path, database_url)
    with app.app_context():
        for user_id, name, admin in ((ADMIN_ID, 'admin', True), (USER_ID, 'user', False)):
            user = User(id=user_id, user_name=name, first_name=name.title(), is_admin=admin, locale='en')
            user.set_password(f'{name}-password')
            db.session.add(user)
        db.session.commit()
    FinanceQB().init_app(app, host=make_host(app))
    with app.app_context(), db.engine.begin() as connection:
        migrating.upgrade(connection)
    return app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = build_app(tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A client logged in as the administrator."""
    client = app.test_client()
    log_in(client, ADMIN_ID)
    return client


def log_in(client: FlaskClient, user_id: str) -> None:
    with client.session_transaction() as session:
        session['_user_id'] = user_id
        session['_fresh'] = True


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match is not None, 'no CSRF token on the page'
    return match.group(1)


def add_server(app: Flask, *, company_name: str = 'Rock Castle', home_currency: str | None = None,
               multicurrency: bool = False, primary: bool = True, **fields: Any) -> int:
    details = {'company_name': company_name, 'country': 'US',
               'preferences': {'home_currency': home_currency, 'multicurrency': multicurrency}}
    with app.app_context():
        server = QBServer(company_file=fields.pop('company_file', f'C:\\QB\\{company_name}.qbw'), file_id='{F}',
                          owner_id='{O}', name='QuickBooks Pro', company_name=company_name, country='US',
                          details=json.dumps(details), is_primary=primary,
                          accepted_at=NOW if primary else None, **fields)
        db.session.add(server)
        db.session.commit()
        return server.id


def add_links(app: Flask, server_id: int, rows: list[dict[str, Any]]) -> list[int]:
    with app.app_context():
        links = [SyncLink(server_id=server_id, **{'crm_kind': 'account', 'qb_type': 'Customer', **row}) for row in rows]
        db.session.add_all(links)
        db.session.commit()
        return [link.id for link in links]


def get_link(app: Flask, link_id: int) -> SyncLink:
    with app.app_context():
        link = db.session.get(SyncLink, link_id)
        db.session.expunge(link)
        return link


@pytest.fixture
def transaction_phases(monkeypatch: pytest.MonkeyPatch) -> None:
    """An engine that also runs the transaction phases, for the pages that only those phases read."""
    from onecrm_finance_qb.settings_registry import BILLS, ESTIMATES, INVOICES, PAYMENTS
    from onecrm_finance_qb.sync import settings_in_use

    built = settings_in_use.engine_phases() | {ESTIMATES, INVOICES, BILLS, PAYMENTS}
    monkeypatch.setattr(settings_in_use, 'engine_phases', lambda: built)
