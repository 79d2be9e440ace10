"""One qbXML request message in, one response message out, the way QuickBooks processes it.

Everything structural is checked first, for the whole message (envelope, version, every request
against the tables); any failure raises QBXMLParseError and nothing runs. Then the requests run in
document order inside one store transaction, each in its own savepoint, so under continueOnError
a failed request leaves no trace while the others apply; stopOnError stops after the first Error.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from qbsim.errors import QBXMLParseError, RequestError
from qbsim.requests.context import Context
from qbsim.requests.dispatch import handle
from qbsim.requests.response import Response
from qbsim.requests.values import check_request
from qbsim.schema.model import Tables
from qbsim.schema.validate import validate
from qbsim.schema.versions import REQUEST_SINCE, introduced_after, numeric_version
from qbsim.status import NOT_SUPPORTED, severity, transient
from qbsim.xmlio import parse_message

RESPONSE_DECLARATION = '<?xml version="1.0" ?>\n'
# rollbackOnError is in the schema but QuickBooks Desktop refuses it (qbxml-semantics.md section 1.1);
# qbsim refuses it for the whole message so a sender relying on rollback finds out at once.
ACCEPTED_ON_ERROR = ('continueOnError', 'stopOnError')
# Requests only the non-US vocabulary has; a US company's parser does not know them.
NON_US_REQUESTS = ('TaxCodeAdd', 'TaxCodeQuery')


def declared_version(tree: etree._ElementTree) -> str:
    for node in tree.getroot().itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction) and node.target == 'qbxml':
            version = node.get('version')
            if version:
                return version
    raise QBXMLParseError('The <?qbxml version="..."?> processing instruction is missing.')


@dataclass
class ParsedMessage:
    """A structurally valid message: its envelope, its requests in order, its numeric qbXML version."""

    messages: etree._Element
    requests: list[tuple[str, etree._Element]]
    version: str


def parse_requests(text: str, tables: Tables, edition: str, supported: list[str],
                   ascii_only: bool = False) -> ParsedMessage:
    """Check the whole message against what this company's QuickBooks (``supported`` versions) knows.

    ``ascii_only`` is the strict-encoding switch: raw non-ASCII text fails the whole message while the
    same character sent as a reference (``&#233;``) is accepted, as reported of older QuickBooks
    (qbxml-semantics.md section 1.1).
    """
    if ascii_only and not text.isascii():
        character = next(char for char in text if not char.isascii())
        raise QBXMLParseError(f'The raw character "{character}" (U+{ord(character):04X}) is not accepted; '
                              'send it as a character reference.')
    tree = parse_message(text)
    declared = declared_version(tree)
    version = numeric_version(edition, declared)
    if version is None or declared not in supported:
        raise QBXMLParseError(f'The qbXML version "{declared}" is not supported by this {edition} company file.')
    root = tree.getroot()
    if root.tag != 'QBXML' or root.attrib:
        raise QBXMLParseError(f'The root element must be "QBXML" without attributes, not "{root.tag}".')
    children = [child for child in root if isinstance(child.tag, str)]
    if len(children) != 1 or children[0].tag != 'QBXMLMsgsRq' or len(root) != 1:
        raise QBXMLParseError('"QBXML" must hold exactly one "QBXMLMsgsRq" (SignonMsgsRq is QuickBooks Online only).')
    messages = children[0]
    _check_envelope(messages, tables)
    requests = []
    for node in messages:
        if not isinstance(node.tag, str):
            raise QBXMLParseError('"QBXMLMsgsRq" holds a non-element node.')
        request_type = _request_type(node, tables, edition, version)
        if request_type in tables.requests:
            if edition != 'US' and ('iterator' in node.attrib or 'metaData' in node.attrib):
                # The non-US specifications have no iterators or metaData (section 1.2 of the
                # reference: Intuit flags them US-only), so the attribute is unknown to the parser.
                raise QBXMLParseError(f'Attribute "iterator"/"metaData" is not allowed on "{node.tag}" in the '
                                      f'{edition} edition.')
            validate(node, tables.requests[request_type], tables, version)
        requests.append((request_type, node))
    return ParsedMessage(messages, requests, version)


def _check_envelope(messages: etree._Element, tables: Tables) -> None:
    for name in messages.attrib:
        if name not in tables.envelope_attributes:
            raise QBXMLParseError(f'Attribute "{name}" is not allowed on "QBXMLMsgsRq".')
    on_error = messages.get('onError')
    if on_error is None:
        raise QBXMLParseError('Attribute "onError" is required on "QBXMLMsgsRq".')
    if on_error not in ACCEPTED_ON_ERROR:
        raise QBXMLParseError(f'The onError value "{on_error}" is not valid.')
    if messages.get('responseData', 'includeAll') not in ('includeAll', 'includeNone'):
        raise QBXMLParseError(f'The responseData value "{messages.get("responseData")}" is not valid.')


def _request_type(node: etree._Element, tables: Tables, edition: str, version: str) -> str:
    tag = node.tag
    request_type = tag.removesuffix('Rq')
    known = request_type in tables.known_requests or (request_type in NON_US_REQUESTS and edition != 'US')
    if not tag.endswith('Rq') or not known:
        raise QBXMLParseError(f'Element "{tag}" is not a qbXML request.')
    if introduced_after(REQUEST_SINCE.get(request_type), version):
        raise QBXMLParseError(f'Element "{tag}" is not available in qbXML version {version}.')
    return request_type


def run(ctx: Context, messages: etree._Element, requests: list[tuple[str, etree._Element]]) -> str:
    """Execute the parsed requests (the caller holds the transaction) and write the response message."""
    stop_on_error = messages.get('onError') == 'stopOnError'
    include_data = messages.get('responseData', 'includeAll') == 'includeAll'
    root = etree.Element('QBXML')
    responses = etree.SubElement(root, 'QBXMLMsgsRs')
    for request_type, node in requests:
        response = _run_one(ctx, request_type, node)
        responses.append(_response_element(request_type, node, response, include_data))
        if stop_on_error and severity(response.status[0]) == 'Error':
            break
    return RESPONSE_DECLARATION + etree.tostring(root, encoding='unicode', pretty_print=True)


def _run_one(ctx: Context, request_type: str, node: etree._Element) -> Response:
    fault = ctx.store.take_fault(request_type)
    if fault is not None:
        return Response(status=transient(fault, request_type))
    if request_type not in ctx.tables.requests:
        return Response(status=NOT_SUPPORTED)
    try:
        with ctx.store.savepoint():
            check_request(node, ctx.tables.requests[request_type], ctx.tables, ctx.settings.get('field_limits'))
            return handle(ctx, request_type, node)
    except RequestError as error:
        return Response(status=(error.status_code, error.message))


def _response_element(request_type: str, node: etree._Element, response: Response,
                      include_data: bool) -> etree._Element:
    element = etree.Element(f'{request_type}Rs')
    if node.get('requestID') is not None:
        element.set('requestID', node.get('requestID'))
    code, message = response.status
    element.set('statusCode', str(code))
    element.set('statusSeverity', severity(code))
    element.set('statusMessage', message)
    for name, value in response.attributes.items():
        element.set(name, value)
    if include_data:
        element.extend(response.elements)
    return element
