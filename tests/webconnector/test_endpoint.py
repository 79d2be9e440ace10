"""The SOAP endpoint: zeep with Intuit's WSDL and ours, raw QBWC envelopes, hostile and broken input."""

from __future__ import annotations

import io

import pytest
from lxml import etree
from zeep.exceptions import Fault

from onecrm_finance_qb.webconnector.wsdl import build_wsdl

from .conftest import PASSWORD, SERVICE_PATH, USERNAME, make_zeep_client
from .hcp_samples import COMPANY_QUERY_OK, hcp_response
from .wsdl_tools import SOAP_ENV, body_payload, embedded_schema

COMPANY_FILE = 'C:\\Company Files\\rock castle.qbw'


@pytest.fixture(params=['intuit', 'ours'])
def service(request, app, tmp_path, qbwc_wsdl_path):
    """A zeep client per WSDL: Intuit's, and the one our endpoint serves at ?wsdl."""
    if request.param == 'intuit':
        return make_zeep_client(app, str(qbwc_wsdl_path))
    served = app.test_client().get(f'{SERVICE_PATH}?wsdl')
    path = tmp_path / 'served.wsdl'
    path.write_bytes(served.data)
    return make_zeep_client(app, str(path))


def accept_first_server(service, app, host):
    from onecrm_finance_qb.webconnector.servers import accept, last_attempt

    ticket = service.authenticate(USERNAME, PASSWORD)[0]
    assert service.sendRequestXML(ticket, hcp_response(), COMPANY_FILE, 'US', 13, 0) is None
    service.closeConnection(ticket)
    with app.app_context():
        server = last_attempt(host.db.session)
        accept(host.db.session, server.id, server.first_seen)
        host.db.session.commit()


def test_every_operation_through_zeep(service, app, host):
    assert service.serverVersion().startswith('Finance (QB)')
    assert service.clientVersion('2.3.0.215') is None  # empty string: proceed
    assert service.clientVersion('1.0.0.1').startswith('E:')
    assert service.authenticate(USERNAME, 'wrong password')[1] == 'nvu'
    accept_first_server(service, app, host)
    ticket, company_file, postpone, min_run = service.authenticate(USERNAME, PASSWORD)
    assert ticket
    assert (company_file, postpone, min_run) == (None, None, None)
    assert service.authenticate(USERNAME, PASSWORD)[1] == 'busy'
    request = service.sendRequestXML(ticket, hcp_response(), COMPANY_FILE, 'US', 13, 0)
    assert '<CompanyQueryRq' in request
    assert service.receiveResponseXML(ticket, COMPANY_QUERY_OK, '', '') == 100
    assert service.getLastError(ticket)
    assert service.connectionError(ticket, '0x80040408', 'Could not start QuickBooks') == 'done'
    assert service.closeConnection(ticket)


def test_interactive_operations_through_our_wsdl(app, tmp_path):
    path = tmp_path / 'served.wsdl'
    path.write_bytes(app.test_client().get(f'{SERVICE_PATH}?wsdl').data)
    service = make_zeep_client(app, str(path))
    ticket = service.authenticate(USERNAME, PASSWORD)[0]
    assert service.getInteractiveURL(ticket, 'abc') is None
    assert service.interactiveDone(ticket) == 'Done'
    assert 'interactive' in service.interactiveRejected(ticket, 'no')


def test_wsdl_address_is_the_request_url(app):
    document = app.test_client().get(f'{SERVICE_PATH}?wsdl', base_url='https://crm.example.com').data
    assert b'location="https://crm.example.com/finance-qb/qbwc"' in document
    assert document == build_wsdl('https://crm.example.com/finance-qb/qbwc')


def raw_envelope(operation: str, children: str) -> bytes:
    """As QBWC 2.x writes them: default namespace on the operation, xsi/xsd declared on the envelope."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f'<soap:Body><{operation} xmlns="http://developer.intuit.com/">{children}</{operation}></soap:Body>'
        '</soap:Envelope>'
    ).encode()


def post(app, body: bytes, action: str | None = None, **headers):
    headers = {'Content-Type': 'text/xml; charset=utf-8', **headers}
    if action is not None:
        headers['SOAPAction'] = action
    return app.test_client().post(SERVICE_PATH, data=body, headers=headers)


@pytest.mark.parametrize(
    'action', ['"http://developer.intuit.com/authenticate"', 'http://developer.intuit.com/authenticate', None]
)
def test_raw_authenticate_quoted_and_unquoted_action(app, qbwc_wsdl_path, action):
    body = raw_envelope('authenticate', f'<strUserName>{USERNAME}</strUserName><strPassword>{PASSWORD}</strPassword>')
    response = post(app, body, action)
    assert response.status_code == 200
    payload = body_payload(response.data)
    embedded_schema(qbwc_wsdl_path).assertValid(etree.ElementTree(payload))
    strings = [s.text for s in payload.iter('{http://developer.intuit.com/}string')]
    assert len(strings) == 4
    assert len(strings[0]) >= 43


def test_raw_server_version_without_parameters(app):
    response = post(app, raw_envelope('serverVersion', ''), '"http://developer.intuit.com/serverVersion"')
    assert b'<serverVersionResult>Finance (QB)' in response.data


def test_raw_send_request_with_escaped_qbxml(app):
    credentials = f'<strUserName>{USERNAME}</strUserName><strPassword>{PASSWORD}</strPassword>'
    ticket = body_payload(post(app, raw_envelope('authenticate', credentials)).data)[0][0].text
    escaped = hcp_response(company_name='Smith &amp; Sons').replace('&', '&amp;').replace('<', '&lt;')
    body = raw_envelope(
        'sendRequestXML',
        f'<ticket>{ticket}</ticket><strHCPResponse>{escaped}</strHCPResponse>'
        f'<strCompanyFileName>{COMPANY_FILE}</strCompanyFileName><qbXMLCountry>US</qbXMLCountry>'
        '<qbXMLMajorVers>13</qbXMLMajorVers><qbXMLMinorVers>0</qbXMLMinorVers>',
    )
    assert post(app, body).status_code == 200
    last = post(app, raw_envelope('getLastError', f'<ticket>{ticket}</ticket>'))
    assert b'not accepted yet' in last.data


def assert_fault(response, code: str, status: int = 500):
    assert response.status_code == status
    root = etree.fromstring(response.data)
    fault = root.find(f'{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault')
    assert fault is not None
    assert fault.findtext('faultcode') == f'soap:{code}'
    assert b'Traceback' not in response.data
    return fault.findtext('faultstring')


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<clientVersion xmlns="http://developer.intuit.com/"><strVersion>&e;</strVersion></clientVersion>'
    b'</soap:Body></soap:Envelope>'
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<clientVersion xmlns="http://developer.intuit.com/"><strVersion>&d;</strVersion></clientVersion>'
    b'</soap:Body></soap:Envelope>'
)


@pytest.mark.parametrize('body', [XXE, LAUGHS], ids=['xxe', 'billion-laughs'])
def test_hostile_envelopes_refused_without_expansion(app, body):
    response = post(app, body)
    message = assert_fault(response, 'Client')
    assert 'DOCTYPE' in message
    assert b'root:' not in response.data
    assert b'aaaaaaaaaa' not in response.data


@pytest.mark.parametrize(
    ('body', 'fragment'),
    [
        (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>', 'malformed'),
        (b'not xml at all', 'malformed'),
        (b'', 'empty'),
        (b'<Envelope/>', 'not a SOAP 1.1 envelope'),
        (raw_envelope('dropDatabase', ''), 'Unknown operation'),
        (raw_envelope('sendRequestXML', '<ticket>x</ticket><qbXMLMajorVers>x</qbXMLMajorVers>'), 'integer'),
    ],
)
def test_malformed_envelopes_get_a_client_fault(app, body, fragment):
    assert fragment in assert_fault(post(app, body), 'Client')


def test_soap12_envelope_is_a_version_mismatch(app):
    body = b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>'
    assert_fault(post(app, body), 'VersionMismatch')


def test_oversized_body_is_413(app):
    big = raw_envelope('clientVersion', '<strVersion>' + 'x' * (300 * 1024) + '</strVersion>')
    response = post(app, big)
    assert_fault(response, 'Client', status=413)


def test_oversized_body_without_length_is_413(app):
    big = raw_envelope('clientVersion', '<strVersion>' + 'x' * (300 * 1024) + '</strVersion>')
    response = app.test_client().post(
        SERVICE_PATH, input_stream=io.BytesIO(big), headers={'Content-Type': 'text/xml'}
    )
    assert_fault(response, 'Client', status=413)


def test_internal_error_is_a_server_fault_without_trace(app, monkeypatch, caplog):
    from onecrm_finance_qb.webconnector import service as service_module

    def explode(self):
        raise RuntimeError('secret internals')

    monkeypatch.setattr(service_module.WebConnectorService, 'server_version', explode)
    response = post(app, raw_envelope('serverVersion', ''))
    message = assert_fault(response, 'Server')
    assert 'secret internals' not in response.data.decode()
    assert message
    assert 'secret internals' in caplog.text


def test_no_login_and_no_csrf_needed(app):
    """The host requires CSRF tokens on POST; the SOAP endpoint is exempt (and needs no login)."""
    app.config['WTF_CSRF_ENABLED'] = True
    app.config['TESTING'] = False
    response = post(app, raw_envelope('serverVersion', ''))
    assert response.status_code == 200


def test_get_without_wsdl_is_a_plain_note(app):
    response = app.test_client().get(SERVICE_PATH)
    assert response.status_code == 200
    assert b'Web Connector' in response.data


def test_zeep_reports_the_fault(app, qbwc_wsdl_path, monkeypatch):
    from onecrm_finance_qb.webconnector import service as service_module

    monkeypatch.setattr(service_module.WebConnectorService, 'client_version', lambda self, version: 1 / 0)
    service = make_zeep_client(app, str(qbwc_wsdl_path))
    with pytest.raises(Fault, match='could not complete'):
        service.clientVersion('2.3.0.215')
