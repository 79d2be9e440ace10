"""Injected faults: lost responses, hresults, a company that will not open, transient codes, delays, drops."""

from __future__ import annotations

import pytest

from qbsim.webconnector import FaultSpecError, parse_faults, run_update
from tests.qbsim.webconnector.messages import CUSTOMER_QUERY


def test_fault_specs_parse():
    plan = parse_faults(['lose-response:2', 'hresult:3', 'open-fail', 'transient:CustomerAddRq:3175',
                         'delay-ms:40', 'drop-connection:5', 'lose-response:4'])

    assert plan.lose_response == {2, 4}
    assert plan.hresult == {3}
    assert plan.open_fail
    assert plan.transient == [('CustomerAdd', 3175)]
    assert plan.delay_ms == 40
    assert plan.drop_connection == {5}


@pytest.mark.parametrize('spec', [
    'lose-response', 'lose-response:0', 'hresult:x', 'open-fail:1', 'transient:CustomerAdd:3100',
    'transient::3170', 'delay-ms:-1', 'drop-connection:', 'explode:1',
])
def test_bad_fault_specs_are_refused(spec):
    with pytest.raises(FaultSpecError):
        parse_faults([spec])


def test_lose_response_commits_then_reports_the_lost_connection(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = 50

    result = run_update(qwc_path, 'pw', company_path, faults=['lose-response:2'])

    assert service.operations[3:] == ['sendRequestXML', 'receiveResponseXML', 'sendRequestXML', 'receiveResponseXML',
                                      'closeConnection']
    lost = service.params('receiveResponseXML')[1]
    assert not lost['response']
    assert lost['hresult'] == '0x80010108'
    assert 'connection to QuickBooks was lost' in lost['message']
    assert result.messages == 2
    assert result.requests_by_type == {'CustomerQuery': 2}
    assert result.responses == 2, 'QuickBooks answered (committed) message 2 even though the service never saw it'
    assert result.outcome == 'connection-lost'
    assert not result.completed


def test_lose_response_with_negative_answer_still_gets_last_error(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = -1

    result = run_update(qwc_path, 'pw', company_path, faults=['lose-response:1'])

    assert service.operations[-3:] == ['receiveResponseXML', 'getLastError', 'closeConnection']
    assert result.outcome == 'connection-lost'


def test_hresult_fault_keeps_the_message_from_quickbooks(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = (50, 100)

    result = run_update(qwc_path, 'pw', company_path, faults=['hresult:1'])

    first, second = service.params('receiveResponseXML')
    assert (first['response'], first['hresult']) == ('', '0x80040402')
    assert 'CustomerQueryRs' in second['response']
    assert result.responses == 1
    assert result.hresults == [(1, '0x80040402', 'Unexpected error.')]
    assert result.completed


def test_open_fail_done_ends_the_run(service, qwc_path, company_path):
    service.answers['connectionError'] = 'done'

    result = run_update(qwc_path, 'pw', company_path, faults=['open-fail'])

    assert service.operations[3:] == ['connectionError', 'closeConnection']
    (params,) = service.params('connectionError')
    assert (params['hresult'], params['message']) == ('0x80040408', 'Could not start QuickBooks.')
    assert result.outcome == 'connection-error'


def test_open_fail_retries_on_a_path_at_most_twice(service, qwc_path, company_path):
    service.answers['connectionError'] = str(company_path)

    result = run_update(qwc_path, 'pw', company_path, faults=['open-fail'])

    assert service.operations.count('connectionError') == 3
    assert result.connection_error_answers == [str(company_path)] * 3
    assert not result.completed


def test_transient_code_is_answered_once(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = (50, 100)

    result = run_update(qwc_path, 'pw', company_path, faults=['transient:CustomerQuery:3170'])

    codes = [params['response'].split('statusCode="')[1][:4] for params in service.params('receiveResponseXML')]
    assert codes[0] == '3170'
    assert codes[1] != '3170'
    assert result.responses_by_status['CustomerQuery'][3170] == 1


def test_delay_sleeps_per_request(service, qwc_path, company_path, monkeypatch):
    delays: list[float] = []
    monkeypatch.setattr('qbsim.webconnector.quickbooks.time.sleep', delays.append)
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = (50, 100)

    run_update(qwc_path, 'pw', company_path, faults=['delay-ms:250'])

    assert delays == [0.25, 0.25]


@pytest.mark.parametrize(('call', 'operation', 'code'), [
    (3, 'authenticate', 'QBWC1012'), (4, 'sendRequestXML', 'QBWC1041'), (5, 'receiveResponseXML', 'QBWC1042'),
])
def test_dropped_connection_ends_the_run_after_the_service_handled_the_call(
        service, qwc_path, company_path, call, operation, code):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    result = run_update(qwc_path, 'pw', company_path, faults=[f'drop-connection:{call}'])

    assert service.operations[-1] == operation, 'the service received and handled the call'
    assert len(service.operations) == call
    assert result.error.startswith(code)
    assert 'closed' in result.error
    assert not result.completed
