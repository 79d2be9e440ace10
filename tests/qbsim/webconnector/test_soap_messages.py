"""The SOAP envelopes QBWC sends, checked against Intuit's WSDL, and reading answers."""

from __future__ import annotations

import pytest
from lxml import etree

from qbsim.webconnector.errors import MalformedResponseError, SoapFaultError
from qbsim.webconnector.soap import (
    OPERATIONS,
    QBWC_NS,
    SOAP_ENV,
    build_request,
    parse_int_result,
    parse_string_array_result,
    parse_string_result,
    soap_action,
)
from tests.qbsim.webconnector.service import WSDL_OPERATIONS, wsdl_schema

SAMPLE_VALUES = {'qbXMLMajorVers': 13, 'qbXMLMinorVers': 0, 'response': '<a>&amp;</a>'}


def _body(envelope: bytes) -> etree._Element:
    return etree.fromstring(envelope).find(f'{{{SOAP_ENV}}}Body')[0]


@pytest.mark.parametrize('operation', sorted(WSDL_OPERATIONS))
def test_every_wsdl_operation_validates_against_the_wsdl_schema(operation, qbwc_wsdl_path):
    schema = wsdl_schema(qbwc_wsdl_path)
    params = {name: SAMPLE_VALUES.get(name, 'x') for name in OPERATIONS[operation]}

    call = _body(build_request(operation, params))

    assert schema.validate(call), schema.error_log
    assert call.tag == f'{{{QBWC_NS}}}{operation}'
    assert [etree.QName(child).localname for child in call] == list(OPERATIONS[operation])


def test_wsdl_declares_the_soap_actions_used(qbwc_wsdl_path):
    wsdl = qbwc_wsdl_path.read_text()
    for operation in WSDL_OPERATIONS:
        assert f'soapAction="{soap_action(operation)[1:-1]}"' in wsdl


def test_server_version_is_sent_without_parameters():
    assert len(_body(build_request('serverVersion'))) == 0


def test_empty_strings_are_empty_elements_and_none_is_left_out():
    call = _body(build_request('receiveResponseXML', {'ticket': 't', 'response': '', 'hresult': None, 'message': ''}))

    assert [etree.QName(child).localname for child in call] == ['ticket', 'response', 'message']
    assert call[1].text is None


def test_text_is_escaped_not_mangled():
    call = _body(build_request('receiveResponseXML', {'ticket': 't', 'response': '<QBXML a="&"/>',
                                                      'hresult': '', 'message': ''}))
    assert call[1].text == '<QBXML a="&"/>'


def test_wrong_parameters_are_a_programming_error():
    with pytest.raises(ValueError, match='authenticate takes'):
        build_request('authenticate', {'strUserName': 'u'})


def _answer(inner: str) -> bytes:
    return (f'<soap:Envelope xmlns:soap="{SOAP_ENV}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<soap:Body>{inner}</soap:Body></soap:Envelope>').encode()


def test_string_results():
    assert parse_string_result('getLastError', _answer(
        f'<getLastErrorResponse xmlns="{QBWC_NS}"><getLastErrorResult>NoOp</getLastErrorResult>'
        '</getLastErrorResponse>')) == 'NoOp'
    assert parse_string_result('getLastError', _answer(f'<getLastErrorResponse xmlns="{QBWC_NS}"/>')) is None
    assert parse_string_result('getLastError', _answer(
        f'<getLastErrorResponse xmlns="{QBWC_NS}"><getLastErrorResult xsi:nil="true"/></getLastErrorResponse>')) is None
    assert parse_string_result('getLastError', _answer(
        f'<getLastErrorResponse xmlns="{QBWC_NS}"><getLastErrorResult/></getLastErrorResponse>')) == ''


def test_array_of_string_keeps_empty_and_nil_elements():
    answer = _answer(
        f'<authenticateResponse xmlns="{QBWC_NS}"><authenticateResult><string>T</string><string/>'
        '<string xsi:nil="true"/><string>30</string></authenticateResult></authenticateResponse>')

    assert parse_string_array_result('authenticate', answer) == ['T', '', '', '30']


def test_int_result():
    answer = _answer(f'<receiveResponseXMLResponse xmlns="{QBWC_NS}"><receiveResponseXMLResult> -1 '
                     '</receiveResponseXMLResult></receiveResponseXMLResponse>')
    assert parse_int_result('receiveResponseXML', answer) == -1
    with pytest.raises(MalformedResponseError):
        parse_int_result('receiveResponseXML', _answer(
            f'<receiveResponseXMLResponse xmlns="{QBWC_NS}"><receiveResponseXMLResult>half'
            '</receiveResponseXMLResult></receiveResponseXMLResponse>'))


def test_fault_is_raised():
    with pytest.raises(SoapFaultError) as caught:
        parse_string_result('closeConnection', _answer(
            '<soap:Fault><faultcode>soap:Client</faultcode><faultstring>bad ticket</faultstring></soap:Fault>'))
    assert (caught.value.faultcode, caught.value.faultstring) == ('soap:Client', 'bad ticket')


def test_answer_in_the_wrong_namespace_is_malformed():
    with pytest.raises(MalformedResponseError):
        parse_string_result('closeConnection', _answer(
            '<closeConnectionResponse><closeConnectionResult>OK</closeConnectionResult></closeConnectionResponse>'))
