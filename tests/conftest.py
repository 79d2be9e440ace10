"""Fixtures shared by every test area: Intuit's schema files and real database servers.

Each area (hostcrm, loader, plugin, qbsim, webconnector, sync...) keeps its own fixtures in its
folder's conftest.py.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / 'shared'


def _required_dir(env_var: str, default: Path, what: str) -> Path:
    path = Path(os.environ.get(env_var, default))
    if not path.is_dir():
        pytest.skip(f'{what} not found at {path} (set {env_var}); CI always has it')
    return path


@pytest.fixture(scope='session')
def qbxml_xsd_dir() -> Path:
    """Intuit's qbXML 13.0 schema folder (qbxmlops130.xsd and what it includes)."""
    return _required_dir('QBXML_XSD_DIR', SHARED_DIR / 'qbxml', "Intuit's qbXML schema")


@pytest.fixture(scope='session')
def qbwc_wsdl_path() -> Path:
    """Intuit's document/literal QBWebConnectorSvc.wsdl."""
    return _required_dir('QBWC_WSDL_DIR', SHARED_DIR / 'qbwc', "Intuit's QBWC WSDL") / 'QBWebConnectorSvc.wsdl'


def _databases_required() -> bool:
    return os.environ.get('FINANCE_QB_REQUIRE_DATABASES') == '1'


def _server_url(env_var: str, default: str) -> sa.URL:
    return make_url(os.environ.get(env_var, default))


def _reachable(url: sa.URL) -> str | None:
    """None when the server answers, else the reason it does not."""
    engine = sa.create_engine(url, connect_args={'connect_timeout': 3})
    try:
        with engine.connect():
            return None
    except sa.exc.DBAPIError as exc:
        return f'{url.render_as_string(hide_password=True)} unreachable: {exc.__class__.__name__}: {exc}'
    finally:
        engine.dispose()


@pytest.fixture(scope='session')
def fresh_database() -> Iterator[object]:
    """Factory: ``fresh_database('postgresql')`` or ``('mariadb')`` -> URL of a new, empty database.

    Each call creates a uniquely named database (so parallel runs never collide) and the
    session drops them all at the end. Skips when the server is unreachable, unless
    FINANCE_QB_REQUIRE_DATABASES=1 (CI), where it fails instead.
    """
    servers = {
        'postgresql': _server_url('TEST_POSTGRES_URL', 'postgresql+psycopg://postgres@127.0.0.1:5432/postgres'),
        'mariadb': _server_url('TEST_MARIADB_URL', 'mysql+pymysql://root@127.0.0.1:3306/test'),
    }
    created: list[tuple[sa.URL, str]] = []

    def make(kind: str) -> sa.URL:
        server = servers[kind]
        problem = _reachable(server)
        if problem:
            if _databases_required():
                pytest.fail(problem)
            pytest.skip(problem)
        name = f'fqb_test_{uuid.uuid4().hex[:12]}'
        _admin_execute(server, f'CREATE DATABASE {name}')
        created.append((server, name))
        return server.set(database=name)

    yield make
    for server, name in created:
        _admin_execute(server, f'DROP DATABASE IF EXISTS {name}')


def _admin_execute(server: sa.URL, statement: str) -> None:
    engine = sa.create_engine(server, isolation_level='AUTOCOMMIT')
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(statement))
    finally:
        engine.dispose()
