"""Fixtures of the Web Connector tests: a small Flask app with a fake host and the plugin loaded.

The fake host implements only what the service and its pages use (the database, the admin
check, the base template, the tab, the locale); the end-to-end tests use the real hostcrm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import zeep
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from onecrm_finance_qb import migrating
from onecrm_finance_qb.plugin import FinanceQB
from onecrm_finance_qb.settings_store import set_setting
from onecrm_finance_qb.webconnector import set_run_driver
from onecrm_finance_qb.webconnector.credentials import set_credential
from onecrm_finance_qb.webconnector.driver import IdentificationDriver
from onecrm_finance_qb.webconnector.service import WebConnectorService

from .hcp_samples import OWNER_ID

USERNAME = 'qbsync'
PASSWORD = 'correct horse battery staple'
SERVICE_PATH = '/finance-qb/qbwc'


@dataclass
class FakeHost:
    """Just enough of the host contract for the Web Connector."""

    db: SQLAlchemy
    admin: bool = True
    locale: str = 'en'
    api_version: int = 1
    version: str = 'test'
    base_template: str = 'base.html'
    tabs: list[tuple[Any, ...]] = field(default_factory=list)

    def is_admin(self) -> bool:
        return self.admin

    def register_tab(self, *args: Any) -> None:
        self.tabs.append(args)

    def current_locale(self) -> str:
        return self.locale

    def gettext(self, message: str) -> str:
        return message


def build_app(tmp_path: Path, database_url: str | None = None) -> tuple[Flask, FakeHost]:
    templates = tmp_path / 'host_templates'
    templates.mkdir(exist_ok=True)
    (templates / 'base.html').write_text('<html><body>{% block content %}{% endblock %}</body></html>')
    app = Flask('fakehost', template_folder=str(templates))
    app.config.update(
        TESTING=True,
        SECRET_KEY='webconnector-tests',
        SQLALCHEMY_DATABASE_URI=database_url or f'sqlite:///{tmp_path / "crm.db"}',
        FINANCE_QB_SOAP_MAX_BYTES=256 * 1024,
    )
    db = SQLAlchemy()
    db.init_app(app)
    CSRFProtect().init_app(app)
    host = FakeHost(db=db)
    FinanceQB().init_app(app, host=host)
    # These tests are about the service, not the sync engine: the run's work is the baseline driver's.
    set_run_driver(app, IdentificationDriver())
    with app.app_context(), db.engine.begin() as connection:
        migrating.upgrade(connection)
    return app, host


@pytest.fixture
def app_and_host(tmp_path: Path) -> Iterator[tuple[Flask, FakeHost]]:
    app, host = build_app(tmp_path)
    with app.app_context():
        set_credential(host.db.session, USERNAME, PASSWORD)
        set_setting(host.db.session, 'webconnector.owner_id', OWNER_ID)
        host.db.session.commit()
    yield app, host
    with app.app_context():
        host.db.engine.dispose()


@pytest.fixture
def app(app_and_host: tuple[Flask, FakeHost]) -> Flask:
    return app_and_host[0]


@pytest.fixture
def host(app_and_host: tuple[Flask, FakeHost]) -> FakeHost:
    return app_and_host[1]


class Clock:
    """A settable ``now`` for the service, so expiry and lockout are tested without waiting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def call(app: Flask, host: FakeHost, clock: Clock) -> Callable[..., Any]:
    """``call('authenticate', 'u', 'p')``: one operation through the service, committed like the endpoint does."""

    def invoke(operation: str, *args: Any, ip_address: str = '10.0.0.5') -> Any:
        with app.app_context():
            service = WebConnectorService(
                host.db.session, IdentificationDriver(), max_bytes=256 * 1024, ip_address=ip_address, now=clock
            )
            method = getattr(service, operation)
            result = method(*args)
            host.db.session.commit()
            return result

    return invoke


@pytest.fixture
def soap_client(app: Flask, qbwc_wsdl_path: Path) -> zeep.Client:
    """zeep with Intuit's WSDL, talking to the app through Flask's test client."""
    return make_zeep_client(app, str(qbwc_wsdl_path))


class FlaskTransport(zeep.Transport):
    """zeep's transport over Flask's test client: no sockets, same HTTP semantics."""

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.client = app.test_client()

    def post(self, address: str, message: bytes, headers: dict[str, str]):
        response = self.client.post(address, data=message, headers=headers)
        return _RequestsLikeResponse(response)


class _RequestsLikeResponse:
    def __init__(self, response: Any) -> None:
        self.status_code = response.status_code
        self.headers = dict(response.headers)
        self.content = response.data
        self.encoding = 'utf-8'


def make_zeep_client(app: Flask, wsdl: str) -> zeep.Client:
    client = zeep.Client(wsdl, transport=FlaskTransport(app))
    return client.create_service('{http://developer.intuit.com/}QBWebConnectorSvcSoap', f'http://localhost{SERVICE_PATH}')
