"""Fixtures for the company half of qbsim: fresh company files, a message builder, schema validation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from qbsim import Company

EASTERN = timezone(timedelta(hours=-5))
START = datetime(2024, 3, 1, 9, 0, 0, tzinfo=EASTERN)


def _message(*requests: str, on_error: str = 'continueOnError', version: str = '13.0') -> str:
    body = ''.join(requests)
    return (f'<?xml version="1.0"?><?qbxml version="{version}"?><QBXML><QBXMLMsgsRq onError="{on_error}">'
            f'{body}</QBXMLMsgsRq></QBXML>')


@pytest.fixture
def message() -> Callable[..., str]:
    """Wrap request elements (XML text) in a request message: ``message(*requests, on_error=, version=)``."""
    return _message


@pytest.fixture
def make_company(tmp_path: Path) -> Callable[..., Company]:
    """Factory for company files in the test's folder, each with a frozen clock at START."""
    opened: list[Company] = []

    def make(name: str = 'company.qbsim', **options) -> Company:
        options.setdefault('frozen_at', START)
        company = Company.create(tmp_path / name, **options)
        opened.append(company)
        return company

    yield make
    for company in opened:
        company.close()


@pytest.fixture
def company(make_company) -> Company:
    return make_company()


@pytest.fixture
def send(company: Company) -> Callable[..., etree._Element]:
    """Send requests to the default company; returns the parsed QBXMLMsgsRs element."""
    def run(*requests: str, target: Company | None = None, **options) -> etree._Element:
        """``send(*requests, target=other_company, on_error=..., version=...)``."""
        text = (target or company).process(_message(*requests, **options))
        return etree.fromstring(text.encode()).find('QBXMLMsgsRs')
    return run


@pytest.fixture(scope='session')
def qbxml_schema(qbxml_xsd_dir: Path) -> etree.XMLSchema:
    """Intuit's qbXML 13.0 schema, for checking every response qbsim writes."""
    return etree.XMLSchema(etree.parse(str(qbxml_xsd_dir / 'qbxmlops130.xsd')))

