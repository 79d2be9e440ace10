"""Our generated WSDL is equivalent, for a SOAP client, to Intuit's document/literal one."""

import pytest
import zeep
from lxml import etree

from onecrm_finance_qb.webconnector.operations import OPERATIONS
from onecrm_finance_qb.webconnector.soap import build_response
from onecrm_finance_qb.webconnector.wsdl import build_wsdl

from .wsdl_tools import body_payload, embedded_schema

ADDRESS = 'https://crm.example.com/finance-qb/qbwc'
INTERACTIVE = {'getInteractiveURL', 'interactiveDone', 'interactiveRejected'}


@pytest.fixture(scope='module')
def ours(tmp_path_factory):
    path = tmp_path_factory.mktemp('wsdl') / 'ours.wsdl'
    path.write_bytes(build_wsdl(ADDRESS))
    return zeep.Client(str(path))


@pytest.fixture(scope='module')
def intuit(qbwc_wsdl_path):
    return zeep.Client(str(qbwc_wsdl_path))


def signature(client, name):
    binding = client.wsdl.bindings['{http://developer.intuit.com/}QBWebConnectorSvcSoap']
    operation = binding.get(name)
    inputs = [(n, type(e.type).__name__) for n, e in operation.input.body.type.elements]
    outputs = [(n, type(e.type).__name__) for n, e in operation.output.body.type.elements]
    return operation.soapaction, inputs, outputs


def test_same_operations_plus_interactive(ours, intuit):
    theirs = set(intuit.wsdl.bindings['{http://developer.intuit.com/}QBWebConnectorSvcSoap']._operations)
    mine = set(ours.wsdl.bindings['{http://developer.intuit.com/}QBWebConnectorSvcSoap']._operations)
    assert mine == theirs | INTERACTIVE


@pytest.mark.parametrize('name', sorted(set(OPERATIONS) - INTERACTIVE))
def test_same_signature(ours, intuit, name):
    action, inputs, outputs = signature(ours, name)
    their_action, their_inputs, their_outputs = signature(intuit, name)
    assert action == their_action
    assert outputs == their_outputs
    if name == 'serverVersion':
        # Intuit's copy declares an optional strVersion that QBWC never sends.
        assert inputs == []
        assert their_inputs == [('strVersion', 'String')]
    else:
        assert inputs == their_inputs


def test_service_address_is_the_given_url(ours):
    port = ours.wsdl.services['QBWebConnectorSvc'].ports['QBWebConnectorSvcSoap']
    assert port.binding_options['address'] == ADDRESS


@pytest.mark.parametrize(
    ('name', 'result'),
    [
        ('serverVersion', '1.0'),
        ('clientVersion', ''),
        ('authenticate', ['ticket', 'nvu', '', '']),
        ('sendRequestXML', '<?xml version="1.0"?><QBXML/>'),
        ('receiveResponseXML', 100),
        ('connectionError', 'done'),
        ('getLastError', 'text'),
        ('closeConnection', 'OK'),
    ],
)
def test_responses_validate_against_intuit_schema(qbwc_wsdl_path, name, result):
    schema = embedded_schema(qbwc_wsdl_path)
    payload = body_payload(build_response(OPERATIONS[name], result))
    schema.assertValid(etree.ElementTree(payload))


@pytest.mark.parametrize('name', sorted(OPERATIONS))
def test_responses_validate_against_our_schema(name):
    schema = embedded_schema(build_wsdl(ADDRESS))
    result = ['a', 'b'] if OPERATIONS[name].result == 'ArrayOfString' else 0
    schema.assertValid(etree.ElementTree(body_payload(build_response(OPERATIONS[name], result))))
