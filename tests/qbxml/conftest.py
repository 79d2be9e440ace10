"""Fixtures of the qbXML layer's tests: Intuit's schema compiled once, and a validating helper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from onecrm_finance_qb.qbxml import BuiltRequest, pack_messages


@pytest.fixture(scope='session')
def qbxml_schema(qbxml_xsd_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(qbxml_xsd_dir / 'qbxmlops130.xsd')))


@pytest.fixture(scope='session')
def assert_valid(qbxml_schema: etree.XMLSchema) -> Callable[..., etree._Element]:
    """Wrap requests in one 13.0 message, validate it against the XSD, return the parsed message root."""

    def check(*requests: BuiltRequest) -> etree._Element:
        (message,) = pack_messages(requests, '13.0', max_requests=len(requests))
        root = etree.fromstring(message.xml.encode('ascii'))
        if not qbxml_schema.validate(root):
            errors = '\n'.join(str(error) for error in qbxml_schema.error_log)
            pytest.fail(f'schema errors:\n{errors}\n{message.xml}')
        return root

    return check
