"""Structural validation of a request element against the tables, as QuickBooks' parser does it.

Element order, unknown and missing elements, attributes, enumerations and version gating are
structure: any failure raises QBXMLParseError and the whole message is refused. Value facets
(lengths, booleans, dates, amounts) are left to the per-request checks in ``qbsim.values``, which
answer with status codes instead (qbxml-semantics.md section 1.4).
"""

from __future__ import annotations

from lxml import etree

from qbsim.errors import QBXMLParseError
from qbsim.schema.model import UNBOUNDED, Particle, SimpleType, Tables
from qbsim.schema.versions import ATTRIBUTE_SINCE, ELEMENT_SINCE, introduced_after


class _Matcher:
    """Matches a list of child names against a content model, remembering the furthest miss."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.furthest = -1
        self.expected: list[str] = []

    def miss(self, position: int, name: str) -> None:
        if position > self.furthest:
            self.furthest, self.expected = position, []
        if position == self.furthest and name not in self.expected:
            self.expected.append(name)

    def once(self, particle: Particle, position: int) -> set[int]:
        kind = particle[0]
        if kind == 'e':
            if position < len(self.names) and self.names[position] == particle[1]:
                return {position + 1}
            self.miss(position, particle[1])
            return set()
        if kind == 'c':
            ends: set[int] = set()
            for child in particle[3]:
                ends |= self.match(child, position)
            return ends
        ends = {position}
        for child in particle[3]:
            ends = set().union(*(self.match(child, end) for end in ends)) if ends else set()
        return ends

    def match(self, particle: Particle, position: int) -> set[int]:
        """End positions reachable by matching ``particle`` (with its occurrence bounds) from ``position``."""
        low, high = (particle[3], particle[4]) if particle[0] == 'e' else (particle[1], particle[2])
        reached = {position} if low == 0 else set()
        frontier, visited, count = {position}, {position}, 0
        while frontier and (high == UNBOUNDED or count < high):
            count += 1
            ends = set().union(*(self.once(particle, start) for start in frontier))
            if count >= low:
                reached |= ends
            frontier = ends - visited
            visited |= ends
        return reached


def validate(node: etree._Element, type_index: int, tables: Tables, version: str) -> None:
    """Raise QBXMLParseError unless ``node`` (and everything under it) fits its type and version."""
    name = node.tag
    if introduced_after(ELEMENT_SINCE.get(name), version):
        raise QBXMLParseError(f'Element "{name}" is not available in qbXML version {version}.')
    if tables.is_simple(type_index):
        _check_leaf(node, tables.simple(type_index), {})
        return
    definition = tables.complex(type_index)
    _check_attributes(node, definition.attributes, version)
    if definition.text is not None:
        _check_leaf(node, definition.text, definition.attributes)
        return
    if node.text and node.text.strip():
        raise QBXMLParseError(f'Element "{name}" holds text where only elements are allowed.')
    children = list(node)
    for child in children:
        if not isinstance(child.tag, str):
            raise QBXMLParseError(f'Element "{name}" holds a processing instruction or other non-element node.')
        if child.tail and child.tail.strip():
            raise QBXMLParseError(f'Element "{name}" holds text where only elements are allowed.')
    names = [child.tag for child in children]
    matcher = _Matcher(names)
    if len(names) not in (matcher.match(definition.content, 0) if definition.content else {0}):
        raise QBXMLParseError(_order_message(name, names, matcher))
    child_types = tables.child_types(type_index)
    for child in children:
        validate(child, child_types[child.tag], tables, version)


def _order_message(parent: str, names: list[str], matcher: _Matcher) -> str:
    expected = ', '.join(f'"{name}"' for name in matcher.expected) or 'nothing more'
    if matcher.furthest < len(names):
        found = names[max(matcher.furthest, 0)]
        return f'Element "{found}" is not expected here in "{parent}"; expected {expected}.'
    return f'Element "{parent}" is incomplete; expected {expected}.'


def _check_attributes(node: etree._Element, allowed: dict[str, tuple[SimpleType, bool]], version: str) -> None:
    for attribute, value in node.attrib.items():
        if attribute not in allowed:
            raise QBXMLParseError(f'Attribute "{attribute}" is not allowed on "{node.tag}".')
        if introduced_after(ATTRIBUTE_SINCE.get(attribute), version):
            raise QBXMLParseError(f'Attribute "{attribute}" is not available in qbXML version {version}.')
        simple = allowed[attribute][0]
        if simple.enum is not None and value not in simple.enum:
            raise QBXMLParseError(f'Attribute "{attribute}" of "{node.tag}" has the invalid value "{value}".')
    for attribute, (_simple, required) in allowed.items():
        if required and attribute not in node.attrib:
            raise QBXMLParseError(f'Attribute "{attribute}" is required on "{node.tag}".')


def _check_leaf(node: etree._Element, simple: SimpleType, attributes: dict) -> None:
    if len(node):
        raise QBXMLParseError(f'Element "{node.tag}" must not contain elements.')
    if not attributes and node.attrib:
        raise QBXMLParseError(f'Attribute "{next(iter(node.attrib))}" is not allowed on "{node.tag}".')
    if simple.enum is not None and (node.text or '') not in simple.enum:
        raise QBXMLParseError(f'Element "{node.tag}" has the invalid value "{node.text or ""}".')
