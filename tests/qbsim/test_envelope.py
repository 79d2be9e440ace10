"""Checklist 2: requestID echo, response order, stopOnError and continueOnError, data on Warn."""

from __future__ import annotations


def _add(name: str, request_id: str) -> str:
    return f'<CustomerAddRq requestID="{request_id}"><CustomerAdd><Name>{name}</Name></CustomerAdd></CustomerAddRq>'


def test_request_ids_echoed_and_responses_in_request_order(send):
    rs = send(_add('Zeta', 'z-1'), '<HostQueryRq requestID="h"/>', _add('Alpha', 'SXRlbVF1ZXJ5fDMyNQ=='),
              '<CompanyQueryRq/>')
    assert [(node.tag, node.get('requestID')) for node in rs] == [
        ('CustomerAddRs', 'z-1'), ('HostQueryRs', 'h'), ('CustomerAddRs', 'SXRlbVF1ZXJ5fDMyNQ=='),
        ('CompanyQueryRs', None)]


def test_stop_on_error_stops_after_first_error_keeping_earlier_work(send, company):
    rs = send(_add('First', '1'), _add('first', '2'), _add('Third', '3'), on_error='stopOnError')
    assert [(node.get('requestID'), node.get('statusCode')) for node in rs] == [('1', '0'), ('2', '3100')]
    assert company.find('CustomerRet', 'First') is not None
    assert company.find('CustomerRet', 'Third') is None


def test_continue_on_error_runs_the_rest_and_failed_request_leaves_no_trace(send, company):
    rs = send(_add('First', '1'), _add('FIRST', '2'), _add('Third', '3'))
    assert [node.get('statusCode') for node in rs] == ['0', '3100', '0']
    assert rs[1].get('statusSeverity') == 'Error'
    assert len(rs[1]) == 0, 'an error response carries no Ret'
    assert company.find('CustomerRet', 'Third') is not None


def test_warn_still_returns_found_data(send):
    added = send(_add('Known', '1'))[0].find('CustomerRet/ListID').text
    rs = send(f'<CustomerQueryRq><ListID>{added}</ListID><ListID>80009999-1</ListID></CustomerQueryRq>')[0]
    assert (rs.get('statusCode'), rs.get('statusSeverity')) == ('500', 'Warn')
    assert '80009999-1' in rs.get('statusMessage')
    assert [node.findtext('Name') for node in rs] == ['Known']


def test_stop_on_error_does_not_stop_on_warn_or_info(send):
    rs = send('<CustomerQueryRq><FullName>Nobody</FullName></CustomerQueryRq>',
              '<CustomerQueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>zz</Name></NameFilter>'
              '</CustomerQueryRq>', _add('After', '3'), on_error='stopOnError')
    assert [node.get('statusCode') for node in rs] == ['500', '1', '0']


def test_response_data_include_none_returns_status_only(company, message):
    text = message(_add('Quiet', '1')).replace('onError="continueOnError"',
                                               'onError="continueOnError" responseData="includeNone"')
    response = company.process(text)
    assert 'statusCode="0"' in response
    assert '<CustomerRet>' not in response
    assert company.find('CustomerRet', 'Quiet') is not None


def test_request_id_longer_than_50_is_1060(send):
    rs = send(_add('Long Id', 'x' * 51))[0]
    assert rs.get('statusCode') == '1060'
    assert rs.get('statusSeverity') == 'Error'


def test_response_starts_like_quickbooks(company, message):
    response = company.process(message('<HostQueryRq/>'))
    assert response.startswith('<?xml version="1.0" ?>\n<QBXML>')
    assert '<?qbxml' not in response


def test_known_request_not_simulated_answers_1030(send):
    rs = send('<ClassQueryRq requestID="e"/>')[0]
    assert (rs.get('requestID'), rs.get('statusCode'), rs.get('statusSeverity')) == ('e', '1030', 'Error')
