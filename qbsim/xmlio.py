"""Reading requests safely and converting between qbXML elements and stored documents.

A stored document is a plain JSON-friendly dict: leaf elements become strings, repeatable elements
lists, nested aggregates dicts. Writing walks the Ret's content model, so children always come out
in schema order whatever order the document holds them in.
"""

from __future__ import annotations

from lxml import etree

from qbsim.errors import QBXMLParseError
from qbsim.schema.model import Tables

MAX_MESSAGE_BYTES = 32 * 1024 * 1024


def hardened_parser() -> etree.XMLParser:
    """No entities, no DTD, no network, no huge trees: the message comes from outside."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True)


def parse_message(text: str) -> etree._ElementTree:
    """Parse a whole request message; a DTD, an entity or broken XML fails the message."""
    data = text.encode('utf-8') if isinstance(text, str) else text
    if len(data) > MAX_MESSAGE_BYTES:
        raise QBXMLParseError('The message is larger than QuickBooks accepts.')
    try:
        tree = etree.fromstring(data, hardened_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise QBXMLParseError(f'The text is not well-formed XML: {exc}.') from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise QBXMLParseError('A document type declaration is not allowed.')
    for node in tree.iter():
        if isinstance(node, etree._Entity):
            raise QBXMLParseError('Entity references are not allowed.')
    return tree


def element_to_doc(node: etree._Element, type_index: int, tables: Tables) -> dict | str:
    """Convert a validated element to a stored document (see module docstring)."""
    if tables.is_simple(type_index) or tables.complex(type_index).text is not None:
        return node.text or ''
    child_types = tables.child_types(type_index)
    repeated = tables.repeated_children(type_index)
    doc: dict = {}
    for child in node:
        value = element_to_doc(child, child_types[child.tag], tables)
        if child.tag in repeated:
            doc.setdefault(child.tag, []).append(value)
        else:
            doc[child.tag] = value
    return doc


def doc_to_element(tag: str, doc: dict | str, type_index: int, tables: Tables,
                   only: frozenset[str] | None = None) -> etree._Element:
    """Write ``doc`` as ``<tag>`` in schema order; keys the type does not know are left out.

    ``only`` restricts the top-level children (IncludeRetElement).
    """
    node = etree.Element(tag)
    if isinstance(doc, str):
        node.text = doc
        return node
    child_types = tables.child_types(type_index)
    for name, child_type in child_types.items():
        if name not in doc or (only is not None and name not in only):
            continue
        values = doc[name] if isinstance(doc[name], list) else [doc[name]]
        for value in values:
            node.append(doc_to_element(name, value, child_type, tables))
    return node
