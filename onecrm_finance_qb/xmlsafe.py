"""Hardened parsing of XML that comes from outside: SOAP envelopes and qbXML from QuickBooks.

Every document the plugin receives crosses a network or a third-party program, so it is parsed
without DTDs, entity expansion, network access or libxml2's huge-tree mode, under a size limit,
and refused outright when it carries a DOCTYPE: neither QBWC nor QuickBooks ever sends one, so
its presence can only mean an XXE or entity-expansion attempt.
"""

from __future__ import annotations

from typing import IO

from lxml import etree

#: Default ceiling for one document, in bytes; callers with a tighter budget pass their own.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024


#: ``<!DOCTYPE`` in the encodings a document may arrive in. Looked for before parsing, so libxml2 never
#: sees a DTD; markup in text content is escaped and cannot match, so only CDATA could be a false alarm.
_DOCTYPE_MARKERS = tuple('<!DOCTYPE'.encode(codec) for codec in ('utf-8', 'utf-16-le', 'utf-16-be'))


class UnsafeXMLError(ValueError):
    """The document is malformed, too large, or uses a feature we refuse (DTD, entities)."""


#: The libxml2 options every parser of outside XML uses: no DTDs, entities, network or huge trees.
_HARDENED_OPTIONS = {
    'resolve_entities': False,
    'load_dtd': False,
    'dtd_validation': False,
    'no_network': True,
    'huge_tree': False,
    'remove_comments': True,
    'collect_ids': False,
}


def hardened_parser() -> etree.XMLParser:
    """A parser that never loads DTDs, never expands entities and never touches the network."""
    return etree.XMLParser(**_HARDENED_OPTIONS)


def hardened_iterparse(source: IO[bytes], events: tuple[str, ...]) -> etree.iterparse:
    """``iterparse`` over ``source`` with the same protections as :func:`hardened_parser`.

    For large documents read one element at a time; the caller still refuses a DOCTYPE event.
    """
    return etree.iterparse(source, events=events, remove_pis=True, **_HARDENED_OPTIONS)


def parse_untrusted(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse ``data`` safely and return its root element, or raise :class:`UnsafeXMLError`."""
    raw = data.encode('utf-8') if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise UnsafeXMLError(f'document larger than {max_bytes} bytes')
    if not raw.strip():
        raise UnsafeXMLError('empty document')
    if isinstance(data, str):
        raw = _without_encoding_declaration(data).encode('utf-8')
    if any(marker in raw for marker in _DOCTYPE_MARKERS):
        raise UnsafeXMLError('DOCTYPE declarations are not accepted')
    try:
        tree = etree.fromstring(raw, parser=hardened_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise UnsafeXMLError(f'malformed XML: {exc.msg}') from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeXMLError('DOCTYPE declarations are not accepted')
    if _has_entity_references(tree.getroot()):
        raise UnsafeXMLError('entity references are not accepted')
    return tree.getroot()


def _without_encoding_declaration(text: str) -> str:
    """Drop an XML declaration's encoding: a decoded str is re-encoded as UTF-8 whatever it says.

    QBWC hands us qbXML as text inside the SOAP body; its prolog may still claim another
    encoding, which would make libxml2 misread the UTF-8 bytes we feed it.
    """
    stripped = text.lstrip()
    if not stripped.startswith('<?xml'):
        return text
    end = stripped.find('?>')
    if end < 0:
        return text
    return stripped[end + 2 :]


def _has_entity_references(root: etree._Element) -> bool:
    return any(isinstance(node, etree._Entity) for node in root.iter(etree.Entity))
