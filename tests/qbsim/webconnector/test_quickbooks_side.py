"""What the web connector itself asks QuickBooks: schema-valid HCP and FileID messages, editions, commits."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from qbsim import Company
from qbsim.webconnector import run_update
from qbsim.webconnector.faults import FaultPlan
from qbsim.webconnector.quickbooks import RequestProcessor
from tests.qbsim.webconnector.conftest import FILE_ID, OWNER_ID, new_company_file
from tests.qbsim.webconnector.messages import CUSTOMER_ADD


class RecordingCompany:
    """A real company whose incoming messages are kept."""

    def __init__(self, company: Company) -> None:
        self._company = company
        self.messages: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self._company, name)

    def process(self, qbxml_text: str, session: object | None = None) -> str:
        self.messages.append(qbxml_text)
        return self._company.process(qbxml_text, session=session)


@pytest.fixture(scope='module')
def qbxml_schema(qbxml_xsd_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(qbxml_xsd_dir / 'qbxmlops130.xsd')))


@pytest.fixture
def recording(company_path: Path):
    company = RecordingCompany(Company.open(company_path))
    yield company
    company.close()


def test_web_connector_messages_follow_intuits_schema(recording, qbxml_schema):
    processor = RequestProcessor(recording, FaultPlan())
    assert processor.open('') is None

    processor.ensure_file_id(OWNER_ID, FILE_ID)
    processor.host_company_preferences(OWNER_ID)
    processor.close()

    kinds = []
    for text in recording.messages:
        root = etree.fromstring(text.encode())
        assert qbxml_schema.validate(root), qbxml_schema.error_log
        kinds.append([child.tag for child in root.find('QBXMLMsgsRq')])
    assert kinds == [
        ['CompanyQueryRq'], ['DataExtDefQueryRq'], ['DataExtDefAddRq', 'DataExtAddRq'],
        ['HostQueryRq', 'CompanyQueryRq', 'PreferencesQueryRq'],
    ]


def test_file_id_lands_on_the_company_under_the_owner_id(service, qwc_path, company_path):
    run_update(qwc_path, 'pw', company_path)

    company = Company.open(company_path)
    try:
        assert company.company_data_ext(OWNER_ID, 'FileID') == FILE_ID
    finally:
        company.close()


def test_an_existing_file_id_is_kept(service, qwc_path, company_path):
    company = Company.open(company_path)
    company.set_company_data_ext(OWNER_ID, 'FileID', '{00000000-0000-0000-0000-000000000001}')
    company.close()

    result = run_update(qwc_path, 'pw', company_path)

    assert not result.file_id_written
    assert '{00000000-0000-0000-0000-000000000001}' in service.params('sendRequestXML')[0]['strHCPResponse']


@pytest.mark.parametrize('edition', ['US', 'CA', 'UK', 'AU'])
def test_country_and_version_are_those_host_query_reports(service, qwc_path, tmp_path, edition):
    path = new_company_file(tmp_path / f'{edition}.qbsim', edition=edition)

    run_update(qwc_path, 'pw', path)

    first = service.params('sendRequestXML')[0]
    host = etree.fromstring(first['strHCPResponse'].encode()).find('QBXMLMsgsRs/HostQueryRs/HostRet')
    newest = host.findall('SupportedQBXMLVersion')[-1].text
    assert host.findtext('Country') == edition
    assert newest == ('13.0' if edition == 'US' else f'{edition}13.0')
    assert (first['qbXMLCountry'], first['qbXMLMajorVers'], first['qbXMLMinorVers']) == (edition, '13', '0')


def test_a_lost_response_was_committed_by_quickbooks(service, qwc_path, company_path, tmp_path):
    service.answers['sendRequestXML'] = CUSTOMER_ADD
    record = tmp_path / 'record'

    result = run_update(qwc_path, 'pw', company_path, faults=['lose-response:1'], record_dir=record)

    assert not service.params('receiveResponseXML')[0]['response']
    assert result.responses_by_status == {'CustomerAdd': {0: 1}}
    assert sorted(p.name for p in record.glob('0001-*')) == ['0001-hresult.txt', '0001-request.xml',
                                                            '0001-response.xml']
    company = Company.open(company_path)
    try:
        assert company.find('CustomerRet', 'Lost Response Ltd') is not None
    finally:
        company.close()


def test_an_hresult_message_is_not_applied(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_ADD

    run_update(qwc_path, 'pw', company_path, faults=['hresult:1'])

    company = Company.open(company_path)
    try:
        assert company.find('CustomerRet', 'Lost Response Ltd') is None
    finally:
        company.close()


def test_a_transient_code_applies_nothing_then_the_resend_works(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_ADD
    service.answers['receiveResponseXML'] = (50, 100)

    result = run_update(qwc_path, 'pw', company_path, faults=['transient:CustomerAdd:3175'])

    assert result.responses_by_status == {'CustomerAdd': {0: 1, 3175: 1}}
