"""One hardened lxml parser for everything that reaches the web connector from outside.

The .qwc file, the service's SOAP answers and the qbXML the service asks QuickBooks to run are
all untrusted: the company half's parser settings (no entity expansion, no DTD, no network
access, no huge trees) apply, and a DOCTYPE is refused outright.
"""

from __future__ import annotations

from lxml import etree

from qbsim.xmlio import hardened_parser

#: Larger documents are refused before parsing; QBWC itself has no documented limit, but a run of
#: the simulator should never swallow gigabytes because a service misbehaves.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


class UnsafeXMLError(ValueError):
    """The document is not well-formed, too large, or declares a DTD."""


def parse_xml(data: bytes | str) -> etree._Element:
    """Parse untrusted XML and return its root element.

    Raises UnsafeXMLError for malformed input and for any DOCTYPE: none of the formats the web
    connector reads (.qwc, SOAP 1.1, qbXML) needs one, and refusing it closes the entity attacks.
    """
    raw = data.encode('utf-8') if isinstance(data, str) else data
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise UnsafeXMLError(f'document larger than {MAX_DOCUMENT_BYTES} bytes')
    try:
        root = etree.fromstring(raw, hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeXMLError(str(exc)) from exc
    if root.getroottree().docinfo.doctype:
        raise UnsafeXMLError('a DOCTYPE is not allowed')
    return root
