"""Just enough qbXML for the web connector: the messages QBWC itself sends and reading what comes back.

QBWC sends qbXML of its own only for the Host/Company/Preferences queries of the first
sendRequestXML and for the FileID data extension; everything else passes through untouched and is
only inspected to count request types and status codes for the run's summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .safexml import UnsafeXMLError, parse_xml


@dataclass(frozen=True)
class Status:
    """One `...Rs` element's outcome."""

    response_type: str
    status_code: int
    status_message: str


def message(version: str, requests: list[etree._Element]) -> str:
    """A qbXML request document at `version` holding `requests`, continuing after errors."""
    root = etree.Element('QBXML')
    msgs = etree.SubElement(root, 'QBXMLMsgsRq', onError='continueOnError')
    msgs.extend(requests)
    body = etree.tostring(root, encoding='unicode')
    return f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{version}"?>\n{body}'


def request(name: str, children: list[tuple[str, str]] = (), request_id: str | None = None) -> etree._Element:
    """`<nameRq requestID=...>` with simple `(tag, text)` children in the given order (queries)."""
    element = etree.Element(f'{name}Rq')
    if request_id is not None:
        element.set('requestID', request_id)
    for tag, text in children:
        etree.SubElement(element, tag).text = text
    return element


def aggregate_request(name: str, children: list[tuple[str, str]]) -> etree._Element:
    """`<nameRq><name>...</name></nameRq>`, the shape of Add and Mod requests."""
    element = etree.Element(f'{name}Rq')
    element.append(request(name, children))
    element[0].tag = name
    return element


def _messages_element(document: str, name: str) -> etree._Element | None:
    try:
        root = parse_xml(document)
    except UnsafeXMLError:
        return None
    return root.find(name)


def request_types(document: str) -> list[str]:
    """The request names (`CustomerAdd`, ...) of a qbXML request, [] when it does not parse."""
    msgs = _messages_element(document, 'QBXMLMsgsRq')
    if msgs is None:
        return []
    return [child.tag.removesuffix('Rq') for child in msgs if isinstance(child.tag, str)]


def statuses(document: str) -> list[Status]:
    """The status of every response of a qbXML response document, [] when it does not parse."""
    msgs = _messages_element(document, 'QBXMLMsgsRs')
    if msgs is None:
        return []
    result = []
    for child in msgs:
        if not isinstance(child.tag, str):
            continue
        try:
            code = int(child.get('statusCode', ''))
        except ValueError:
            code = -1
        result.append(Status(child.tag.removesuffix('Rs'), code, child.get('statusMessage', '')))
    return result


def response_elements(document: str) -> list[etree._Element]:
    """The `...Rs` elements of a qbXML response document, [] when it does not parse."""
    msgs = _messages_element(document, 'QBXMLMsgsRs')
    return [] if msgs is None else [child for child in msgs if isinstance(child.tag, str)]
