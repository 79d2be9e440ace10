"""Every answer a service can give to clientVersion, authenticate, sendRequestXML and receiveResponseXML."""

from __future__ import annotations

import pytest

from qbsim.webconnector import run_update
from tests.qbsim.webconnector.messages import BROKEN_QUERY, CUSTOMER_QUERY
from tests.qbsim.webconnector.service import Fault

# -- clientVersion -------------------------------------------------------------------------------

@pytest.mark.parametrize('answer', ['', None])
def test_client_version_empty_or_null_proceeds(service, qwc_path, company_path, answer):
    service.answers['clientVersion'] = answer
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    assert run_update(qwc_path, 'pw', company_path).completed


def test_client_version_warning_is_accepted_and_noted(service, qwc_path, company_path):
    service.answers['clientVersion'] = 'W:Please upgrade soon'
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    result = run_update(qwc_path, 'pw', company_path)

    assert result.completed
    assert any('Please upgrade soon' in note for note in result.notes)


def test_client_version_error_cancels_before_authenticate(service, qwc_path, company_path):
    service.answers['clientVersion'] = 'E:This QBWC is too old'

    result = run_update(qwc_path, 'pw', company_path)

    assert service.operations == ['serverVersion', 'clientVersion']
    assert result.outcome == 'cancelled'
    assert result.error.startswith('QBWC1037')
    assert 'This QBWC is too old' in result.error


@pytest.mark.parametrize(('required', 'completed'), [('9.0.0.1', False), ('2.1.0.30', True), ('2.3.0.215', True)])
def test_client_version_o_compares_the_required_version(service, qwc_path, company_path, required, completed):
    service.answers['clientVersion'] = f'O:{required}'
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    result = run_update(qwc_path, 'pw', company_path, qbwc_version='2.3.0.215')

    assert result.completed is completed
    assert ('authenticate' in service.operations) is completed


def test_client_version_with_bad_syntax_is_qbwc1046(service, qwc_path, company_path):
    service.answers['clientVersion'] = 'please upgrade'

    result = run_update(qwc_path, 'pw', company_path)

    assert result.error.startswith('QBWC1046')
    assert service.operations == ['serverVersion', 'clientVersion']


# -- serverVersion ---------------------------------------------------------------------------------

def test_server_version_failure_does_not_stop_the_update(service, qwc_path, company_path):
    service.answers['serverVersion'] = Fault('Method not found')
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    result = run_update(qwc_path, 'pw', company_path)

    assert result.completed
    assert result.server_version is None
    assert any('backward compatibility' in note for note in result.notes)


# -- authenticate ----------------------------------------------------------------------------------

@pytest.mark.parametrize(('status', 'outcome', 'completed'), [
    ('nvu', 'invalid-user', False), ('none', 'no-work', True), ('busy', 'busy', False),
])
def test_authenticate_statuses_close_the_connection(service, qwc_path, company_path, status, outcome, completed):
    service.answers['authenticate'] = ['{T}', status, '', '']
    service.answers['closeConnection'] = 'Bye'

    result = run_update(qwc_path, 'pw', company_path)

    assert service.operations == ['serverVersion', 'clientVersion', 'authenticate', 'closeConnection']
    assert service.params('closeConnection') == [{'ticket': '{T}'}]
    assert (result.outcome, result.completed, result.close_text) == (outcome, completed, 'Bye')


def test_authenticate_with_the_open_company_path_proceeds(service, qwc_path, company_path):
    service.answers['authenticate'] = ['{T}', str(company_path), '', '']
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    result = run_update(qwc_path, 'pw', company_path)

    assert result.completed
    assert result.company_file_requested == str(company_path)
    assert 'connectionError' not in service.operations


def test_authenticate_with_another_path_calls_connection_error(service, qwc_path, company_path):
    service.answers['authenticate'] = ['{T}', 'C:\\Company\\Other.QBW', '', '']
    service.answers['connectionError'] = 'done'

    result = run_update(qwc_path, 'pw', company_path)

    assert service.operations == ['serverVersion', 'clientVersion', 'authenticate', 'connectionError',
                                  'closeConnection']
    (params,) = service.params('connectionError')
    assert params['ticket'] == '{T}'
    assert params['hresult'] == '0x8004040A'
    assert 'different from the one requested' in params['message']
    assert result.outcome == 'connection-error'
    assert result.error.startswith('QBWC1013')


def test_connection_error_answer_with_the_right_path_retries(service, qwc_path, company_path):
    service.answers['authenticate'] = ['{T}', 'C:\\Company\\Other.QBW', '', '']
    service.answers['connectionError'] = ''
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    result = run_update(qwc_path, 'pw', company_path)

    assert result.completed
    assert result.connection_error_answers == ['']
    assert service.operations[3:5] == ['connectionError', 'sendRequestXML']


def test_connection_error_retries_are_bounded(service, qwc_path, company_path):
    service.answers['authenticate'] = ['{T}', 'C:\\Company\\Other.QBW', '', '']
    service.answers['connectionError'] = 'C:\\Company\\Still-other.QBW'

    result = run_update(qwc_path, 'pw', company_path)

    assert service.operations.count('connectionError') == 3
    assert service.operations[-1] == 'closeConnection'
    assert result.outcome == 'connection-error'


@pytest.mark.parametrize('answer', [['{T}'], [], None])
def test_short_authenticate_array_fails_like_qbwc(service, qwc_path, company_path, answer):
    service.answers['authenticate'] = answer

    result = run_update(qwc_path, 'pw', company_path)

    assert result.error == ('QBWC1012: Authentication failed due to error message: '
                            'Index was outside the bounds of the array.')
    assert service.operations == ['serverVersion', 'clientVersion', 'authenticate']


def test_two_element_authenticate_array_is_enough(service, qwc_path, company_path):
    service.answers['authenticate'] = ['{T}', '']
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    result = run_update(qwc_path, 'pw', company_path)

    assert result.completed
    assert (result.postpone_seconds, result.min_run_every_seconds) == (None, None)


def test_postponement_is_reported_and_ignored_by_update_selected(service, qwc_path, company_path):
    service.answers['authenticate'] = ['{T}', '', '600', '300']
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    result = run_update(qwc_path, 'pw', company_path)

    assert result.completed
    assert (result.postpone_seconds, result.min_run_every_seconds) == (600, 300)


def test_postponement_stops_an_auto_run(service, qwc_path, company_path):
    service.answers['authenticate'] = ['{T}', '', '600', '']

    result = run_update(qwc_path, 'pw', company_path, auto_run=True)

    assert result.outcome == 'postponed'
    assert service.operations[-1] == 'closeConnection'
    assert 'sendRequestXML' not in service.operations


def test_non_numeric_postponement_is_an_authenticate_failure(service, qwc_path, company_path):
    service.answers['authenticate'] = ['{T}', '', 'soon', '']

    result = run_update(qwc_path, 'pw', company_path)

    assert result.error.startswith('QBWC1012')
    assert 'correct format' in result.error


# -- the request/response loop --------------------------------------------------------------------

def test_negative_percent_gets_last_error_then_closes(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = -1
    service.answers['getLastError'] = 'Sync failed: 3140'

    result = run_update(qwc_path, 'pw', company_path)

    assert service.operations[-3:] == ['receiveResponseXML', 'getLastError', 'closeConnection']
    assert (result.outcome, result.completed, result.last_error_text) == ('service-error', False, 'Sync failed: 3140')


def test_zero_percent_continues(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = (0, 0, 100)

    result = run_update(qwc_path, 'pw', company_path)

    assert result.percents == [0, 0, 100]
    assert result.completed


def test_empty_request_gets_last_error_and_closes(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = ''
    service.answers['getLastError'] = 'Nothing left to do'

    result = run_update(qwc_path, 'pw', company_path)

    assert service.operations[3:] == ['sendRequestXML', 'getLastError', 'closeConnection']
    assert (result.outcome, result.completed, result.last_error_text) == ('stopped', False, 'Nothing left to do')


def test_noop_pauses_and_asks_again(service, qwc_path, company_path, monkeypatch):
    pauses: list[float] = []
    monkeypatch.setattr('qbsim.webconnector.update.time.sleep', pauses.append)
    service.answers['sendRequestXML'] = ('', CUSTOMER_QUERY)
    service.answers['getLastError'] = 'NoOp'

    result = run_update(qwc_path, 'pw', company_path, noop_pause_s=0.25)

    assert service.operations[3:] == ['sendRequestXML', 'getLastError', 'sendRequestXML', 'receiveResponseXML',
                                      'closeConnection']
    assert pauses == [0.25]
    assert result.completed
    hcp_values = [params['strHCPResponse'] for params in service.params('sendRequestXML')]
    assert hcp_values[0]
    assert hcp_values[1] == ''


def test_noop_defaults_to_five_seconds(service, qwc_path, company_path, monkeypatch):
    pauses: list[float] = []
    monkeypatch.setattr('qbsim.webconnector.update.time.sleep', pauses.append)
    service.answers['sendRequestXML'] = ('', CUSTOMER_QUERY)
    service.answers['getLastError'] = 'NoOp'

    run_update(qwc_path, 'pw', company_path)

    assert pauses == [5.0]


def test_interactive_mode_rejected_by_default(service, qwc_path, company_path):
    service.answers['getLastError'] = 'Interactive mode'

    result = run_update(qwc_path, 'pw', company_path)

    assert service.operations[3:] == ['sendRequestXML', 'getLastError', 'interactiveRejected', 'closeConnection']
    assert service.params('interactiveRejected')[0]['wcTicket'] == '{TICKET-1}'
    assert result.outcome == 'interactive-rejected'


def test_interactive_mode_accepted_resumes_the_loop(service, qwc_path, company_path, monkeypatch):
    monkeypatch.setattr('qbsim.webconnector.update.time.sleep', lambda seconds: None)
    service.answers['sendRequestXML'] = ('', CUSTOMER_QUERY)
    service.answers['getLastError'] = 'Interactive mode'
    service.answers['interactiveDone'] = ('Not yet', 'Done')

    result = run_update(qwc_path, 'pw', company_path, interactive='accept')

    assert service.operations[3:] == ['sendRequestXML', 'getLastError', 'getInteractiveURL', 'interactiveDone',
                                      'interactiveDone', 'sendRequestXML', 'receiveResponseXML', 'closeConnection']
    assert result.interactive_url == 'https://localhost/interactive'
    assert service.params('getInteractiveURL')[0]['sessionID'].startswith('{')
    assert result.completed


def test_unparsable_request_reaches_the_service_as_hresult(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = BROKEN_QUERY

    result = run_update(qwc_path, 'pw', company_path)

    (params,) = service.params('receiveResponseXML')
    assert params['hresult'] == '0x80040400'
    assert params['message'].startswith('QuickBooks found an error when parsing the provided XML text stream.')
    assert not params['response']
    assert result.hresults[0][:2] == (1, '0x80040400')
    assert result.completed


def test_a_service_that_never_finishes_is_stopped(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = 10

    result = run_update(qwc_path, 'pw', company_path, max_calls=20)

    assert len(service.operations) == 20
    assert result.error.startswith('QBWC1031')
    assert not result.completed


def test_percent_above_100_is_read_as_done(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = 150

    result = run_update(qwc_path, 'pw', company_path)

    assert result.completed
    assert any('150' in note for note in result.notes)
