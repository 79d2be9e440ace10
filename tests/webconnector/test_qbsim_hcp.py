"""HCP responses produced by qbsim's QuickBooks, and our first request validated against Intuit's schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from onecrm_finance_qb.webconnector.driver import company_query
from onecrm_finance_qb.webconnector.hcp import parse_hcp
from onecrm_finance_qb.webconnector.versions import QbxmlVersion, negotiate

from .hcp_samples import OWNER_ID

qbsim = pytest.importorskip('qbsim')
from qbsim import Company  # noqa: E402
from qbsim.webconnector.faults import parse_faults  # noqa: E402
from qbsim.webconnector.quickbooks import RequestProcessor  # noqa: E402

FILE_ID = '{33333333-3333-3333-3333-333333333333}'


def hcp_from_qbsim(path: Path, **company) -> str:
    created = Company.create(path, **company)
    try:
        processor = RequestProcessor(created, parse_faults([]))
        assert processor.open('') is None
        processor.ensure_file_id(OWNER_ID, FILE_ID)
        answer = processor.host_company_preferences(OWNER_ID).hcp_response
        processor.close()
        return answer
    finally:
        created.close()


def test_us_company(tmp_path):
    info = parse_hcp(
        hcp_from_qbsim(tmp_path / 'us.qbw', company_name='Acme <US>', estimates=False),
        owner_id=OWNER_ID,
        max_bytes=1 << 20,
    )
    assert info.country == 'US'
    assert info.company_name == 'Acme <US>'
    assert info.file_id == FILE_ID
    assert info.preferences.estimates is False
    assert info.preferences.sales_tax is True
    assert negotiate(info.supported_qbxml_versions, info.country).prolog_version == '13.0'


def test_ca_company(tmp_path):
    info = parse_hcp(
        hcp_from_qbsim(tmp_path / 'ca.qbw', edition='CA', multicurrency=True), owner_id=OWNER_ID, max_bytes=1 << 20
    )
    assert info.country == 'CA'
    assert info.file_id == FILE_ID
    assert info.preferences.multicurrency is True
    assert negotiate(info.supported_qbxml_versions, info.country).prolog_version.startswith('CA')


def test_first_request_is_valid_qbxml(qbxml_xsd_dir):
    schema = etree.XMLSchema(etree.parse(str(qbxml_xsd_dir / 'qbxmlops130.xsd')))
    document = company_query(QbxmlVersion(13, 0), OWNER_ID)
    root = etree.fromstring(document.encode())
    schema.assertValid(root)
    assert '<?qbxml version="13.0"?>' in document
    assert '<?qbxml version="UK13.0"?>' in company_query(QbxmlVersion(13, 0, 'UK'), OWNER_ID)
