"""SOAP 1.1 document/literal messages of Intuit's QBWebConnectorSvc WSDL, as QBWC writes and reads them.

Each call's body is one element named after the operation in the `http://developer.intuit.com/`
namespace holding the WSDL's parameters; the answer is `<op>Response` holding `<op>Result`.
QBWC is a .NET SoapHttpClientProtocol client, so an empty string is sent as an empty element, a
missing value (None) is left out, and the answer must be `text/xml` (checked by the transport).
"""

from __future__ import annotations

from lxml import etree

from .errors import MalformedResponseError, SoapFaultError
from .safexml import UnsafeXMLError, parse_xml

SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/'
QBWC_NS = 'http://developer.intuit.com/'
XSI = 'http://www.w3.org/2001/XMLSchema-instance'
XSD = 'http://www.w3.org/2001/XMLSchema'

#: Parameter names, in WSDL order, of every operation QBWC calls (the three interactive ones are
#: in the QBWC Programmer's Guide, not in the 8-operation WSDL).
OPERATIONS: dict[str, tuple[str, ...]] = {
    'serverVersion': (),
    'clientVersion': ('strVersion',),
    'authenticate': ('strUserName', 'strPassword'),
    'sendRequestXML': (
        'ticket', 'strHCPResponse', 'strCompanyFileName', 'qbXMLCountry', 'qbXMLMajorVers', 'qbXMLMinorVers',
    ),
    'receiveResponseXML': ('ticket', 'response', 'hresult', 'message'),
    'connectionError': ('ticket', 'hresult', 'message'),
    'getLastError': ('ticket',),
    'closeConnection': ('ticket',),
    'getInteractiveURL': ('wcTicket', 'sessionID'),
    'interactiveDone': ('wcTicket',),
    'interactiveRejected': ('wcTicket', 'reason'),
}


def soap_action(operation: str) -> str:
    """The SOAPAction header value of an operation, quoted as .NET sends it."""
    return f'"{QBWC_NS}{operation}"'


def build_request(operation: str, params: dict[str, str | int | None] | None = None) -> bytes:
    """The request envelope of `operation`; `params` must name exactly the WSDL's parameters."""
    names = OPERATIONS[operation]
    params = params or {}
    if set(params) != set(names):
        raise ValueError(f'{operation} takes {names}, got {sorted(params)}')
    envelope = etree.Element(f'{{{SOAP_ENV}}}Envelope', nsmap={'soap': SOAP_ENV, 'xsi': XSI, 'xsd': XSD})
    body = etree.SubElement(envelope, f'{{{SOAP_ENV}}}Body')
    call = etree.SubElement(body, f'{{{QBWC_NS}}}{operation}', nsmap={None: QBWC_NS})
    for name in names:
        value = params[name]
        if value is not None:
            etree.SubElement(call, f'{{{QBWC_NS}}}{name}').text = str(value)
    return etree.tostring(envelope, xml_declaration=True, encoding='utf-8')


def _body(data: bytes) -> etree._Element:
    try:
        root = parse_xml(data)
    except UnsafeXMLError as exc:
        raise MalformedResponseError(f'Response is not well-formed XML. {exc}') from exc
    if root.tag != f'{{{SOAP_ENV}}}Envelope':
        raise MalformedResponseError(f'Response is not a SOAP 1.1 envelope (root {root.tag}).')
    body = root.find(f'{{{SOAP_ENV}}}Body')
    if body is None:
        raise MalformedResponseError('The SOAP envelope has no Body.')
    return body


def raise_for_fault(data: bytes) -> None:
    """Raise SoapFaultError when `data` is a SOAP fault envelope; do nothing for anything else."""
    try:
        body = _body(data)
    except MalformedResponseError:
        return
    fault = body.find(f'{{{SOAP_ENV}}}Fault')
    if fault is not None:
        raise SoapFaultError((fault.findtext('faultcode') or '').strip(), (fault.findtext('faultstring') or '').strip())


def _result_element(operation: str, data: bytes) -> etree._Element | None:
    body = _body(data)
    fault = body.find(f'{{{SOAP_ENV}}}Fault')
    if fault is not None:
        raise SoapFaultError((fault.findtext('faultcode') or '').strip(), (fault.findtext('faultstring') or '').strip())
    response = body.find(f'{{{QBWC_NS}}}{operation}Response')
    if response is None:
        found = [child.tag for child in body if isinstance(child.tag, str)]
        raise MalformedResponseError(f'Expected {{{QBWC_NS}}}{operation}Response in the SOAP Body, found {found}.')
    return response.find(f'{{{QBWC_NS}}}{operation}Result')


def _is_nil(element: etree._Element) -> bool:
    return element.get(f'{{{XSI}}}nil') in ('true', '1')


def parse_string_result(operation: str, data: bytes) -> str | None:
    """The string result of an operation; None when the element is absent or nil (a .NET null)."""
    element = _result_element(operation, data)
    if element is None or _is_nil(element):
        return None
    return element.text or ''


def parse_int_result(operation: str, data: bytes) -> int:
    """The int result (receiveResponseXML); it is required by the WSDL, so absence is an error."""
    element = _result_element(operation, data)
    if element is None or _is_nil(element):
        raise MalformedResponseError(f'{operation}Result is missing; the WSDL requires an int.')
    try:
        return int((element.text or '').strip())
    except ValueError as exc:
        raise MalformedResponseError(f'{operation}Result {element.text!r} is not an int.') from exc


def parse_string_array_result(operation: str, data: bytes) -> list[str] | None:
    """The ArrayOfString result (authenticate): `<string>` children in order, nil ones as ''."""
    element = _result_element(operation, data)
    if element is None or _is_nil(element):
        return None
    return [
        '' if _is_nil(child) else (child.text or '')
        for child in element
        if isinstance(child.tag, str) and child.tag == f'{{{QBWC_NS}}}string'
    ]
