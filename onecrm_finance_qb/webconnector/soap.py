"""SOAP 1.1 document/literal envelopes of the QBWC service: parsing calls, building replies and faults.

Only this module touches SOAP XML. It dispatches on the body element (the SOAPAction header is
informational: QBWC sends it quoted, some clients unquoted, and it must never decide anything),
and it parses through :mod:`onecrm_finance_qb.xmlsafe`, so hostile envelopes are refused before
anything is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

from onecrm_finance_qb.webconnector.operations import OPERATIONS, TNS, Operation
from onecrm_finance_qb.xmlsafe import UnsafeXMLError, parse_untrusted

SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/'
SOAP12_ENV = 'http://www.w3.org/2003/05/soap-envelope'
XSI = 'http://www.w3.org/2001/XMLSchema-instance'
CONTENT_TYPE = 'text/xml; charset=utf-8'

FaultCode = Literal['Client', 'Server', 'VersionMismatch']
Value = str | int | list[str]


class SoapFaultError(Exception):
    """A problem to report to the caller as a SOAP fault (HTTP 500, as SOAP 1.1 requires)."""

    def __init__(self, code: FaultCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SoapCall:
    """A decoded request: which operation, with its arguments by parameter name."""

    operation: Operation
    args: dict[str, str | int]


def parse_call(body: bytes, *, max_bytes: int) -> SoapCall:
    """Decode a request envelope, or raise :class:`SoapFaultError` saying what is wrong with it."""
    try:
        envelope = parse_untrusted(body, max_bytes=max_bytes)
    except UnsafeXMLError as exc:
        raise SoapFaultError('Client', f'Invalid request: {exc}') from None
    if envelope.tag == f'{{{SOAP12_ENV}}}Envelope':
        raise SoapFaultError('VersionMismatch', 'Only SOAP 1.1 envelopes are accepted')
    if envelope.tag != f'{{{SOAP_ENV}}}Envelope':
        raise SoapFaultError('Client', 'Invalid request: not a SOAP 1.1 envelope')
    body_element = envelope.find(f'{{{SOAP_ENV}}}Body')
    if body_element is None:
        raise SoapFaultError('Client', 'Invalid request: the envelope has no Body')
    payload = next(_element_children(body_element), None)
    if payload is None:
        raise SoapFaultError('Client', 'Invalid request: the Body is empty')
    qname = etree.QName(payload)
    operation = OPERATIONS.get(qname.localname) if qname.namespace == TNS else None
    if operation is None:
        raise SoapFaultError('Client', f'Unknown operation {qname.localname!r}')
    return SoapCall(operation, _arguments(operation, payload))


def _element_children(element: etree._Element):
    return (child for child in element if isinstance(child.tag, str))


def _arguments(operation: Operation, payload: etree._Element) -> dict[str, str | int]:
    given: dict[str, etree._Element] = {}
    for child in _element_children(payload):
        qname = etree.QName(child)
        if qname.namespace in (TNS, None):
            given.setdefault(qname.localname, child)
    args: dict[str, str | int] = {}
    for param in operation.params:
        element = given.get(param.name)
        text = '' if element is None or element.get(f'{{{XSI}}}nil') == 'true' else (element.text or '')
        if param.type == 'int':
            try:
                args[param.name] = int(text.strip())
            except ValueError:
                raise SoapFaultError('Client', f'{param.name} must be an integer') from None
        else:
            args[param.name] = text
    return args


def build_response(operation: Operation, result: Value) -> bytes:
    """The response envelope carrying ``result`` as ``<opResult>``."""
    envelope, body = _envelope()
    response = etree.SubElement(body, f'{{{TNS}}}{operation.response_element}', nsmap={None: TNS})
    result_element = etree.SubElement(response, f'{{{TNS}}}{operation.result_element}')
    if operation.result == 'ArrayOfString':
        assert isinstance(result, list)
        for item in result:
            etree.SubElement(result_element, f'{{{TNS}}}string').text = item
    else:
        result_element.text = str(result)
    return _serialise(envelope)


def build_fault(fault: SoapFaultError) -> bytes:
    """The fault envelope for ``fault``: a QName code and a one-line reason, never a traceback."""
    envelope, body = _envelope()
    element = etree.SubElement(body, f'{{{SOAP_ENV}}}Fault')
    etree.SubElement(element, 'faultcode').text = f'soap:{fault.code}'
    etree.SubElement(element, 'faultstring').text = fault.message
    return _serialise(envelope)


def _envelope() -> tuple[etree._Element, etree._Element]:
    envelope = etree.Element(f'{{{SOAP_ENV}}}Envelope', nsmap={'soap': SOAP_ENV})
    return envelope, etree.SubElement(envelope, f'{{{SOAP_ENV}}}Body')


def _serialise(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding='utf-8')
