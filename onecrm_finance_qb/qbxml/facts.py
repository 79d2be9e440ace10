"""The qbXML facts the plugin needs at run time, read once from ``schema_facts.json``.

``derive_facts`` writes that table from Intuit's schema; this module turns it into small typed
objects so the request builder can look up a child's position, type and limits without walking
JSON lists on every call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

UNBOUNDED = -1


class Leaf(NamedTuple):
    """A simple type: qbXML base (``STR``, ``AMT``, ``ENUM``...) and its facets."""

    base: str
    max_length: int | None
    enum: frozenset[str] | None
    low: int | None
    high: int | None


@dataclass(frozen=True, slots=True)
class ElementSpec:
    """One element declaration inside a content model."""

    name: str
    min_occurs: int
    max_occurs: int
    leaf: Leaf | None
    model: str | None
    deprecated: bool


@dataclass(frozen=True, slots=True)
class Group:
    """A sequence (``choice=False``) or a choice of particles."""

    choice: bool
    min_occurs: int
    max_occurs: int
    particles: tuple[ElementSpec | Group, ...]

    def names(self) -> frozenset[str]:
        found: set[str] = set()
        for particle in self.particles:
            found |= {particle.name} if isinstance(particle, ElementSpec) else particle.names()
        return frozenset(found)


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """How a request type is framed: its ``…Rq`` model and whether the fields sit in a wrapper."""

    name: str
    model: str
    wrapper: ElementSpec | None
    attributes: frozenset[str]


@cache
def _table() -> dict[str, Any]:
    text = resources.files(__package__).joinpath('schema_facts.json').read_text(encoding='utf-8')
    return json.loads(text)


@cache
def _leaves() -> tuple[Leaf, ...]:
    return tuple(
        Leaf(base, max_length, frozenset(enum) if enum else None, low, high)
        for base, max_length, enum, low, high in _table()['leaves']
    )


def _particle(raw: list) -> ElementSpec | Group:
    if raw[0] == 'e':
        _, name, low, high, kind, deprecated = raw
        if isinstance(kind, int):
            return ElementSpec(name, low, high, _leaves()[kind], None, bool(deprecated))
        return ElementSpec(name, low, high, None, kind, bool(deprecated))
    return Group(raw[0] == 'c', raw[1], raw[2], tuple(_particle(child) for child in raw[3]))


@cache
def model(key: str) -> Group:
    """The content model stored under ``key``, always as a group."""
    particle = _particle(_table()['models'][key])
    return particle if isinstance(particle, Group) else Group(False, 1, 1, (particle,))


@cache
def children(key: str) -> dict[str, ElementSpec]:
    """Every element a model may hold, by name (names are unique within each model of the table)."""
    found: dict[str, ElementSpec] = {}
    pending: list[ElementSpec | Group] = [model(key)]
    while pending:
        particle = pending.pop()
        if isinstance(particle, ElementSpec):
            found[particle.name] = particle
        else:
            pending.extend(particle.particles)
    return found


def request_types() -> tuple[str, ...]:
    """The request types the table covers, in the order the sync engine meets them."""
    return tuple(_table()['requests'])


@cache
def request(request_type: str) -> RequestSpec:
    """Framing of ``request_type`` (``CustomerAdd``); KeyError when the table does not cover it."""
    raw = _table()['requests'][request_type]
    wrapper = children(raw['model'])[request_type] if raw['wrap'] else None
    return RequestSpec(request_type, raw['model'], wrapper, frozenset(raw['attrs']))


def field(path: str) -> ElementSpec:
    """The element at a dotted path from a request type, e.g. ``CustomerAdd.BillAddress.City``."""
    head, *rest = path.split('.')
    spec = request(head)
    key = spec.wrapper.model if spec.wrapper else spec.model
    element: ElementSpec | None = None
    for name in rest:
        if key is None:
            raise KeyError(f'{path}: {element.name} holds no child elements')
        element = children(key)[name]
        key = element.model
    if element is None:
        raise KeyError(f'{path}: name a field below the request type')
    return element


def ret_type(parent: str, name: str) -> str | None:
    """The simple base of a response element, or None when the table does not know it."""
    table = _table()
    return table['ret_context'].get(f'{parent}/{name}') or table['ret_types'].get(name)


@cache
def ret_repeated() -> frozenset[str]:
    """Response elements that may repeat inside one record: always read as lists."""
    return frozenset(_table()['ret_repeated'])


@cache
def ret_aggregates() -> frozenset[str]:
    """Response elements that hold children: read as dicts even when empty."""
    return frozenset(_table()['ret_aggregates'])
