"""The normal QBWC sequence against the scripted service on a real localhost port."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from qbsim.webconnector import CallEvent, run_update
from tests.qbsim.webconnector.conftest import FILE_ID, OWNER_ID
from tests.qbsim.webconnector.messages import CUSTOMER_QUERY


def test_full_update_calls_every_operation_in_order(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = (CUSTOMER_QUERY, CUSTOMER_QUERY)
    service.answers['receiveResponseXML'] = (50, 100)
    service.answers['closeConnection'] = 'All done'

    result = run_update(qwc_path, 'secret', company_path)

    assert service.problems == []
    assert service.operations == [
        'serverVersion', 'clientVersion', 'authenticate',
        'sendRequestXML', 'receiveResponseXML', 'sendRequestXML', 'receiveResponseXML', 'closeConnection',
    ]
    assert result.completed
    assert result.outcome == 'completed'
    assert result.calls == service.operations
    assert result.round_trips == 2
    assert result.messages == 2
    assert result.percents == [50, 100]
    assert result.requests_by_type == {'CustomerQuery': 2}
    assert result.close_text == 'All done'


def test_calls_carry_the_parameters_qbwc_sends(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = (CUSTOMER_QUERY, CUSTOMER_QUERY)
    service.answers['receiveResponseXML'] = (50, 100)

    run_update(qwc_path, 'secret', company_path, qbwc_version='2.3.0.207')

    assert service.params('serverVersion') == [{}]
    assert service.params('clientVersion') == [{'strVersion': '2.3.0.207'}]
    assert service.params('authenticate') == [{'strUserName': 'qbwc-user', 'strPassword': 'secret'}]
    first, second = service.params('sendRequestXML')
    assert first['ticket'] == second['ticket'] == '{TICKET-1}'
    assert first['strCompanyFileName'] == str(company_path)
    assert (first['qbXMLCountry'], first['qbXMLMajorVers'], first['qbXMLMinorVers']) == ('US', '13', '0')
    assert second['strHCPResponse'] == ''
    response = service.params('receiveResponseXML')[0]
    assert response['ticket'] == '{TICKET-1}'
    assert (response['hresult'], response['message']) == ('', '')
    assert etree.fromstring(response['response'].encode()).find('QBXMLMsgsRs/CustomerQueryRs').get('requestID') == '7'
    assert all(call.content_type == 'text/xml; charset=utf-8' for call in service.calls)


def test_first_send_request_carries_host_company_preferences(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    run_update(qwc_path, 'secret', company_path)

    hcp = etree.fromstring(service.params('sendRequestXML')[0]['strHCPResponse'].encode())
    responses = hcp.find('QBXMLMsgsRs')
    assert [(rs.tag, rs.get('requestID')) for rs in responses] == [
        ('HostQueryRs', '0'), ('CompanyQueryRs', '1'), ('PreferencesQueryRs', '2'),
    ]
    assert all(rs.get('statusCode') == '0' for rs in responses)
    assert responses.findtext('HostQueryRs/HostRet/Country') == 'US'
    file_ids = [
        ext.findtext('DataExtValue') for ext in responses.iter('DataExtRet')
        if ext.findtext('OwnerID') == OWNER_ID and ext.findtext('DataExtName') == 'FileID'
    ]
    assert file_ids == [FILE_ID]


def test_file_id_is_written_only_at_the_first_connection(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    first = run_update(qwc_path, 'secret', company_path)
    second = run_update(qwc_path, 'secret', company_path)

    assert first.file_id_written
    assert not second.file_id_written
    assert first.completed
    assert second.completed


def test_progress_reports_every_call(service, qwc_path, company_path):
    events: list[CallEvent] = []
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    run_update(qwc_path, 'secret', company_path, progress=events.append)

    assert [event.operation for event in events] == service.operations
    assert [event.number for event in events] == list(range(1, len(events) + 1))
    assert events[-1].answer == 'OK'


def test_record_writes_numbered_messages_and_the_soap_log(service, qwc_path, company_path, tmp_path: Path):
    service.answers['sendRequestXML'] = (CUSTOMER_QUERY, CUSTOMER_QUERY)
    service.answers['receiveResponseXML'] = (50, 100)
    record = tmp_path / 'record'

    run_update(qwc_path, 'secret', company_path, record_dir=record)

    names = sorted(path.name for path in record.iterdir())
    assert names == ['0001-request.xml', '0001-response.xml', '0002-request.xml', '0002-response.xml',
                     'hcp-response.xml', 'soap.log']
    assert (record / '0002-request.xml').read_text() == CUSTOMER_QUERY
    assert 'CustomerQueryRs' in (record / '0001-response.xml').read_text()
    log = (record / 'soap.log').read_text()
    assert '=== call 0001 serverVersion sent' in log
    assert '=== call 0008 closeConnection received' in log
    assert 'secret' not in log


def test_summary_names_counts_codes_and_texts(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['closeConnection'] = 'Sync finished'

    summary = run_update(qwc_path, 'secret', company_path).summary()

    assert 'Finance test service' in summary
    assert '1 sendRequestXML round trips' in summary
    assert 'CustomerQuery' in summary
    assert 'Close text:       Sync finished' in summary
    assert summary.endswith('completed (completed)')
