"""What the web connector does with broken answers, and HTTPS with certificate verification."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbsim.webconnector import run_update
from tests.qbsim.webconnector.conftest import qwc_text
from tests.qbsim.webconnector.messages import CUSTOMER_QUERY
from tests.qbsim.webconnector.service import Fault, Raw

GARBAGE = b'<html><body>Warning: mysql_connect() failed</body></html>'


def test_soap_fault_ends_the_run_with_the_operations_code(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = Fault('NullReferenceException in the service')

    result = run_update(qwc_path, 'pw', company_path)

    assert result.error == ('QBWC1041: SendRequestXML failed due to error message: '
                            'soap:Server: NullReferenceException in the service')
    assert service.operations[-1] == 'sendRequestXML', 'QBWC calls nothing after a failed call'
    assert result.outcome == 'error'


@pytest.mark.parametrize(('answer', 'expected'), [
    (Raw(b'not found', status=404, content_type='text/plain'), 'HTTP status 404'),
    (Raw(GARBAGE, content_type='text/html'), "content type of 'text/html'"),
    (Raw(b'PHP Notice: <?xml version="1.0"?><x/>'), 'not well-formed XML'),
    (Raw(b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
         b'<soap:Body><wrong xmlns="http://developer.intuit.com/"/></soap:Body></soap:Envelope>'),
     'receiveResponseXMLResponse'),
    (Raw(b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
         b'<soap:Body><receiveResponseXMLResponse xmlns="http://developer.intuit.com/"/></soap:Body>'
         b'</soap:Envelope>'),
     'receiveResponseXMLResult is missing'),
    (Raw(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><soap:Envelope '
         b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>'),
     'DOCTYPE'),
])
def test_malformed_answers_are_qbwc1042(service, qwc_path, company_path, answer, expected):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = answer

    result = run_update(qwc_path, 'pw', company_path)

    assert result.error.startswith('QBWC1042: ReceiveResponseXML failed due to error message: ')
    assert expected in result.error


def test_unreachable_service_fails_at_client_version(tmp_path: Path, company_path):
    qwc = tmp_path / 'dead.qwc'
    qwc.write_text(qwc_text('http://localhost:9/qbwc'))

    result = run_update(qwc, 'pw', company_path)

    assert result.calls == ['serverVersion', 'clientVersion']
    assert result.error.startswith('QBWC1036')


def test_https_with_the_ca_file_completes(service, https_service_url, tls_files, tmp_path: Path, company_path):
    cert, _ = tls_files
    qwc = tmp_path / 'tls.qwc'
    qwc.write_text(qwc_text(https_service_url))
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    result = run_update(qwc, 'pw', company_path, cafile=str(cert))

    assert result.completed
    assert result.server_version == '1.0.0'


def test_https_with_an_untrusted_certificate_is_refused(service, https_service_url, tmp_path: Path, company_path):
    qwc = tmp_path / 'tls.qwc'
    qwc.write_text(qwc_text(https_service_url))

    result = run_update(qwc, 'pw', company_path)

    assert service.calls == [], 'no SOAP call gets through an unverified TLS connection'
    assert 'Could not establish trust relationship' in result.error
    assert not result.completed
