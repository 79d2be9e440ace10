"""Run-time access to the structure tables: content models, simple types, Ret element order.

The tables come from ``tables.json`` (derived from Intuit's US XSD by ``derive_tables``) plus two
hand-written adjustments for the non-US editions, whose schemas are not available here
(qbxml-semantics.md section 8.2, and 1CRM's address mapping): the ``TaxCode`` list, and addresses
that carry ``Province`` (Canada, Australia) or ``County`` (UK) where the US has ``State``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLES_PATH = Path(__file__).with_name('tables.json')
UNBOUNDED = -1
REGION_ELEMENT = {'CA': 'Province', 'AU': 'Province', 'UK': 'County'}

Particle = list


@dataclass(frozen=True)
class SimpleType:
    """A leaf value's base type and facets."""

    base: str
    max_length: int | None = None
    enum: tuple[str, ...] | None = None
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class ComplexType:
    """An element with children (``content``) or with simple content (``text``) and attributes."""

    content: Particle | None
    text: SimpleType | None
    attributes: dict[str, tuple[SimpleType, bool]]


class Tables:
    """The loaded tables, with methods that hide the index-based layout."""

    def __init__(self, raw: dict, edition: str = 'US') -> None:
        self._types: list[dict] = list(raw['types'])
        self.requests: dict[str, int] = dict(raw['requests'])
        self.responses: dict[str, int] = dict(raw['responses'])
        self.rets: dict[str, int] = dict(raw['rets'])
        self.known_requests = frozenset(raw['known_requests'])
        self.envelope_attributes = {name: (self.simple(index), required)
                                    for name, (index, required) in raw['envelope_attributes'].items()}
        self._add_tax_code_list()
        if edition != 'US':
            self._rename_state(REGION_ELEMENT[edition])

    def is_simple(self, index: int) -> bool:
        return 's' in self._types[index]

    def simple(self, index: int) -> SimpleType:
        raw = self._types[index]
        enum = tuple(raw['enum']) if 'enum' in raw else None
        return SimpleType(raw['s'], raw.get('max'), enum, raw.get('lo'), raw.get('hi'))

    def complex(self, index: int) -> ComplexType:
        raw = self._types[index]
        attributes = {name: (self.simple(attr_index), required) for name, (attr_index, required) in raw['a'].items()}
        text = self.simple(raw['t']) if 't' in raw else None
        return ComplexType(raw.get('c'), text, attributes)

    def child_types(self, index: int) -> dict[str, int]:
        """Child element name -> type index in schema order (how a Ret is written); first declaration wins."""
        return _child_types(self, index)

    def repeated_children(self, index: int) -> frozenset[str]:
        """Children that may occur more than once (kept as lists in stored documents)."""
        return _repeated(self, index)

    def _append(self, definition: dict) -> int:
        self._types.append(definition)
        return len(self._types) - 1

    def _rename_state(self, region: str) -> None:
        """Addresses (types with City, State and PostalCode) name their region the edition's way."""
        for index, definition in enumerate(self._types):
            names = [particle[1] for particle in walk(definition.get('c')) if particle[0] == 'e']
            if {'City', 'State', 'PostalCode'} <= set(names):
                self._types[index] = json.loads(json.dumps(definition).replace('["e", "State",', f'["e", "{region}",'))

    def _add_tax_code_list(self) -> None:
        """Non-US TaxCode Add/Query/Ret, shaped like SalesTaxCode with the rate fields 1CRM reads."""
        sales_tax_ret = self.child_types(self.rets['SalesTaxCodeRet'])
        string_31 = self._append({'s': 'STRTYPE', 'max': 31})
        name = self._append({'s': 'STRTYPE', 'max': 6})
        boolean = sales_tax_ret['IsActive']
        percent = self._append({'s': 'PERCENTTYPE'})
        rate_fields = [['e', 'Tax1Rate', percent, 0, 1], ['e', 'Tax2Rate', percent, 0, 1],
                       ['e', 'IsTax1Exempt', boolean, 0, 1], ['e', 'IsTax2Exempt', boolean, 0, 1],
                       ['e', 'IsPiggybackRate', boolean, 0, 1], ['e', 'IsECVatCode', boolean, 0, 1]]
        add = self._append({'a': {}, 'c': ['s', 1, 1, [['e', 'Name', name, 1, 1], ['e', 'IsActive', boolean, 0, 1],
                                                       ['e', 'Desc', string_31, 0, 1], *rate_fields]]})
        ret_head = [['e', field, sales_tax_ret[field], 1 if field in ('ListID', 'Name') else 0, 1]
                    for field in ('ListID', 'TimeCreated', 'TimeModified', 'EditSequence', 'Name', 'IsActive')]
        ret = self._append({'a': {}, 'c': ['s', 1, 1, [*ret_head, ['e', 'Desc', string_31, 0, 1], *rate_fields]]})
        add_rq = self._types[self.requests['SalesTaxCodeAdd']]
        include = [p for p in add_rq['c'][3] if p[1] == 'IncludeRetElement']
        self.requests['TaxCodeAdd'] = self._append({'a': add_rq['a'], 'c': ['s', 1, 1, [['e', 'TaxCodeAdd', add, 1, 1],
                                                                                        *include]]})
        self.requests['TaxCodeQuery'] = self.requests['SalesTaxCodeQuery']
        self.rets['TaxCodeRet'] = ret
        add_rs = self._types[self.responses['SalesTaxCodeAdd']]
        self.responses['TaxCodeAdd'] = self._append({'a': add_rs['a'], 'c': ['e', 'TaxCodeRet', ret, 0, 1]})
        query_rs = self._types[self.responses['SalesTaxCodeQuery']]
        self.responses['TaxCodeQuery'] = self._append({'a': query_rs['a'], 'c': ['e', 'TaxCodeRet', ret, 0, -1]})


def walk(particle: Particle | None):
    """Every particle inside ``particle`` (depth first, document order)."""
    if not particle:
        return
    yield particle
    if particle[0] in ('s', 'c'):
        for child in particle[3]:
            yield from walk(child)


@cache
def _child_types(tables: Tables, index: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for particle in walk(tables.complex(index).content):
        if particle[0] == 'e':
            found.setdefault(particle[1], particle[2])
    return found


@cache
def _repeated(tables: Tables, index: int) -> frozenset[str]:
    names: set[str] = set()

    def visit(particle: Particle, repeated_above: bool) -> None:
        repeats = repeated_above or particle[-1 if particle[0] == 'e' else 2] != 1
        if particle[0] == 'e':
            if repeats:
                names.add(particle[1])
            return
        for child in particle[3]:
            visit(child, repeats)

    content = tables.complex(index).content
    if content:
        visit(content, False)
    return frozenset(names)


@cache
def tables(edition: str = 'US') -> Tables:
    """The process-wide tables of an edition (read once)."""
    return Tables(json.loads(TABLES_PATH.read_text(encoding='utf-8')), edition)
