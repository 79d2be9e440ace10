"""Fixtures of the web connector tests: the scripted service on real localhost ports, .qwc files, companies."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from qbsim import Company
from tests.qbsim.webconnector.service import ScriptedService, serving, wsdl_schema

OWNER_ID = '{57F3B9B6-86F1-4FCC-B1FF-966DE1813D20}'
FILE_ID = '{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}'


def qwc_text(app_url: str, *, support: str | None = None, extra: str = '', drop: str | None = None) -> str:
    """A .qwc for `app_url`; `drop` leaves one element out, `extra` adds elements."""
    elements = {
        'AppName': 'Finance test service',
        'AppID': '',
        'AppURL': app_url,
        'AppDescription': 'Service under test',
        'AppSupport': support or app_url.rsplit('/', 1)[0] + '/support',
        'UserName': 'qbwc-user',
        'OwnerID': OWNER_ID,
        'FileID': FILE_ID,
        'QBType': 'QBFS',
    }
    body = ''.join(f'<{name}>{value}</{name}>' for name, value in elements.items() if name != drop)
    return f'<?xml version="1.0"?>\n<QBWCXML>{body}{extra}</QBWCXML>\n'


@pytest.fixture(scope='session')
def qbwc_schema(qbwc_wsdl_path: Path) -> etree.XMLSchema:
    return wsdl_schema(qbwc_wsdl_path)


@pytest.fixture
def service(qbwc_schema: etree.XMLSchema) -> Iterator[ScriptedService]:
    """The scripted service; every call it received must have had the right SOAPAction and WSDL shape."""
    scripted = ScriptedService(schema=qbwc_schema)
    yield scripted
    assert scripted.problems == []


@pytest.fixture
def service_url(service: ScriptedService) -> Iterator[str]:
    with serving(service) as port:
        yield f'http://localhost:{port}/qbwc'


@pytest.fixture
def qwc_path(tmp_path: Path, service_url: str) -> Path:
    path = tmp_path / 'service.qwc'
    path.write_text(qwc_text(service_url), encoding='utf-8')
    return path


def new_company_file(path: Path, edition: str = 'US', **options: object) -> Path:
    """Create a qbsim company file and close it, so each run opens it as QuickBooks would."""
    Company.create(path, edition=edition, **options).close()
    return path


@pytest.fixture
def company_path(tmp_path: Path) -> Path:
    return new_company_file(tmp_path / 'company.qbsim')


@pytest.fixture(scope='session')
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and its key, made with the openssl command."""
    openssl = shutil.which('openssl')
    if openssl is None:
        pytest.skip('the openssl command is needed to make a test certificate (cryptography is not installed)')
    folder = tmp_path_factory.mktemp('tls')
    cert, key = folder / 'cert.pem', folder / 'key.pem'
    subprocess.run(
        [openssl, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
         '-addext', 'subjectAltName=DNS:localhost', '-keyout', str(key), '-out', str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


@pytest.fixture
def https_service_url(service: ScriptedService, tls_files: tuple[Path, Path]) -> Iterator[str]:
    cert, key = tls_files
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with serving(service, ssl_context=context) as port:
        yield f'https://localhost:{port}/qbwc'
