"""Derive the plugin's qbXML facts table from Intuit's qbXML 13.0 schema.

The plugin must build requests QuickBooks accepts (children in schema order, right choices,
lengths within limits) without shipping Intuit's schema, so this script reads the schema once
and writes ``schema_facts.json`` next to it: facts only, no documentation, each content model
stored once. Run it again when the set of request types grows::

    python -m onecrm_finance_qb.qbxml.derive_facts ../shared/qbxml

Table layout:

- ``leaves``: interned simple types ``[base, max_length, enum_values, min, max]`` (``null`` when absent),
  where ``base`` is the qbXML type name without ``TYPE`` (``STR``, ``AMT``, ``PRICE``, ``BOOL``...);
- ``models``: content models by key (a named complex type, a global element, or ``owner.child`` for
  an anonymous local type); each is a particle;
- particle: ``["e", name, min, max, type, deprecated]`` with ``type`` an int (leaf index) or a str
  (model key), ``["s", min, max, [particles]]`` (sequence) or ``["c", min, max, [particles]]``
  (choice); ``max`` is ``-1`` for unbounded;
- ``requests``: per request type, ``{"model": key, "wrap": bool, "attrs": [names]}``; ``wrap`` means
  the request's fields live in a single child element named like the request (``CustomerAdd``);
- ``ret_types``: per element name met in the responses to those requests, its simple base type,
  with ``ret_context`` holding ``"Parent/Child"`` entries where the same name has another base,
  ``ret_repeated`` the names that may occur more than once inside a record (always read as lists)
  and ``ret_aggregates`` the names that hold child elements.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from lxml import etree

XSD = '{http://www.w3.org/2001/XMLSchema}'
FACTS_PATH = Path(__file__).with_name('schema_facts.json')
SCHEMA_FILES = ('qbxmltypes130.xsd', 'qbxml130_modified.xsd', 'qbxmlso130.xsd', 'qbxmlops130.xsd')
QBXML_SIMPLE_TYPES = frozenset({
    'IDTYPE', 'STRTYPE', 'BOOLTYPE', 'DATETYPE', 'DATETIMETYPE', 'TIMEINTERVALTYPE', 'AMTTYPE', 'PRICETYPE',
    'QUANTYPE', 'PERCENTTYPE', 'ENUMTYPE', 'INTTYPE', 'GUIDTYPE', 'UUIDTYPE', 'MACROTYPE', 'FLOATTYPE',
})

# What the sync engine sends: setup lists, items, entities, custom fields, deletions, transactions.
REQUEST_TYPES = (
    'HostQuery', 'CompanyQuery', 'PreferencesQuery',
    'AccountQuery', 'AccountAdd', 'AccountMod', 'CurrencyQuery', 'CurrencyAdd',
    'TermsQuery', 'StandardTermsQuery', 'StandardTermsAdd', 'DateDrivenTermsQuery', 'DateDrivenTermsAdd',
    'PaymentMethodQuery', 'PaymentMethodAdd', 'ShipMethodQuery', 'ShipMethodAdd',
    'CustomerTypeQuery', 'CustomerTypeAdd', 'SalesTaxCodeQuery', 'SalesTaxCodeAdd', 'SalesTaxCodeMod',
    'ItemSalesTaxQuery', 'ItemSalesTaxAdd', 'ItemSalesTaxMod',
    'ItemSalesTaxGroupQuery', 'ItemSalesTaxGroupAdd', 'ItemSalesTaxGroupMod',
    'ItemInventoryQuery', 'ItemInventoryAdd', 'ItemInventoryMod',
    'ItemNonInventoryQuery', 'ItemNonInventoryAdd', 'ItemNonInventoryMod',
    'ItemServiceQuery', 'ItemServiceAdd', 'ItemServiceMod',
    'ItemOtherChargeQuery', 'ItemOtherChargeAdd', 'ItemOtherChargeMod',
    'ItemDiscountQuery', 'ItemDiscountAdd', 'ItemDiscountMod',
    'ItemSubtotalQuery', 'ItemSubtotalAdd', 'ItemSubtotalMod',
    'ItemGroupQuery', 'ItemGroupAdd', 'ItemGroupMod',
    'ItemInventoryAssemblyQuery', 'ItemInventoryAssemblyAdd', 'ItemInventoryAssemblyMod',
    'ItemPaymentQuery', 'ItemPaymentAdd', 'ItemPaymentMod',
    'ItemFixedAssetQuery', 'ItemQuery',
    'CustomerQuery', 'CustomerAdd', 'CustomerMod', 'VendorQuery', 'VendorAdd', 'VendorMod',
    'ListDel', 'ListDeletedQuery',
    'DataExtDefQuery', 'DataExtDefAdd', 'DataExtDefMod', 'DataExtAdd', 'DataExtMod', 'DataExtDel',
    'EstimateQuery', 'EstimateAdd', 'EstimateMod', 'InvoiceQuery', 'InvoiceAdd', 'InvoiceMod',
    'CreditMemoQuery', 'CreditMemoAdd', 'CreditMemoMod', 'SalesReceiptQuery', 'SalesReceiptAdd', 'SalesReceiptMod',
    'ReceivePaymentQuery', 'ReceivePaymentAdd', 'ReceivePaymentMod',
    'BillQuery', 'BillAdd', 'BillMod', 'BillPaymentCheckQuery', 'BillPaymentCheckAdd', 'BillPaymentCheckMod',
    'BillPaymentCreditCardQuery', 'BillPaymentCreditCardAdd',
    'CheckQuery', 'CheckAdd', 'CheckMod', 'ARRefundCreditCardQuery', 'ARRefundCreditCardAdd',
    'TxnDel', 'TxnVoid', 'TxnDeletedQuery',
)


def _occurs(node: etree._Element, attr: str) -> int:
    value = node.get(attr, '1')
    return -1 if value == 'unbounded' else int(value)


class _Deriver:
    """Walks the schema from the request types and interns every leaf type and content model."""

    def __init__(self, xsd_dir: Path) -> None:
        self.globals: dict[str, dict[str, etree._Element]] = defaultdict(dict)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, load_dtd=False)
        for name in SCHEMA_FILES:
            root = etree.parse(str(xsd_dir / name), parser).getroot()
            for child in root:
                if isinstance(child.tag, str) and child.get('name'):
                    self.globals[etree.QName(child).localname][child.get('name')] = child
        self.leaves: list[list] = []
        self._leaf_index: dict[str, int] = {}
        self.models: dict[str, list] = {}

    # -- simple types ---------------------------------------------------------------------------

    def _leaf(self, base: str, max_length: int | None = None, enum: list[str] | None = None,
              low: int | None = None, high: int | None = None) -> int:
        entry = [base, max_length, enum, low, high]
        key = json.dumps(entry)
        if key not in self._leaf_index:
            self._leaf_index[key] = len(self.leaves)
            self.leaves.append(entry)
        return self._leaf_index[key]

    def _named_simple(self, type_name: str) -> int:
        if type_name not in QBXML_SIMPLE_TYPES:
            return self._simple_type(self.globals['simpleType'][type_name])
        if type_name == 'IDTYPE':
            return self._leaf('ID', 36)
        return self._leaf(type_name.removesuffix('TYPE'))

    def _simple_type(self, simple: etree._Element) -> int:
        restriction = simple.find(f'{XSD}restriction')
        if restriction is None:
            raise ValueError(f'unsupported simple type at line {simple.sourceline}')
        base = self._named_simple(restriction.get('base'))
        base_name = self.leaves[base][0]
        facets = {etree.QName(f).localname: f.get('value') for f in restriction if isinstance(f.tag, str)}
        enum = [f.get('value') for f in restriction.findall(f'{XSD}enumeration')] or None
        return self._leaf(
            'ENUM' if enum else base_name,
            int(facets['maxLength']) if 'maxLength' in facets else self.leaves[base][1],
            enum,
            int(facets['minInclusive']) if 'minInclusive' in facets else None,
            int(facets['maxInclusive']) if 'maxInclusive' in facets else None,
        )

    # -- elements and content models ------------------------------------------------------------

    def _element_type(self, decl: etree._Element, owner: str) -> int | str:
        """Leaf index or model key of an element declaration (global or local)."""
        name = decl.get('name')
        if decl.get('type'):
            type_name = decl.get('type')
            if type_name in self.globals['complexType']:
                return self._model(type_name, self.globals['complexType'][type_name])
            return self._named_simple(type_name)
        simple = decl.find(f'{XSD}simpleType')
        if simple is not None:
            return self._simple_type(simple)
        complex_type = decl.find(f'{XSD}complexType')
        if complex_type is None:
            return self._leaf('STR')
        content = complex_type.find(f'{XSD}simpleContent')
        if content is not None:
            return self._named_simple(content.find(f'{XSD}extension').get('base'))
        key = name if owner == '' else f'{owner}.{name}'
        return self._model(key, complex_type)

    def _model(self, key: str, complex_type: etree._Element) -> str:
        if key not in self.models:
            self.models[key] = ['s', 1, 1, []]
            content = [c for c in complex_type if isinstance(c.tag, str) and c.tag != f'{XSD}attribute']
            content = [c for c in content if c.tag != f'{XSD}annotation']
            particles = [self._particle(c, key) for c in content]
            self.models[key] = particles[0] if len(particles) == 1 else ['s', 1, 1, particles]
        return key

    def _particle(self, node: etree._Element, owner: str) -> list:
        kind = etree.QName(node).localname
        low, high = _occurs(node, 'minOccurs'), _occurs(node, 'maxOccurs')
        if kind == 'element':
            deprecated = node.findtext(f'{XSD}annotation/{XSD}appinfo') == 'DEPRECATED'
            if node.get('ref'):
                decl = self.globals['element'][node.get('ref')]
                return ['e', node.get('ref'), low, high, self._element_type(decl, ''), int(deprecated)]
            return ['e', node.get('name'), low, high, self._element_type(node, owner), int(deprecated)]
        if kind == 'group':
            group = self.globals['group'][node.get('ref')]
            inner = [c for c in group if isinstance(c.tag, str) and c.tag != f'{XSD}annotation']
            (body,) = inner
            particle = self._particle(body, owner)
            return [particle[0], low * particle[1], particle[2] if high == 1 else -1, particle[3]]
        if kind in ('sequence', 'choice'):
            children = [c for c in node if isinstance(c.tag, str) and c.tag != f'{XSD}annotation']
            return [kind[0], low, high, [self._particle(c, owner) for c in children]]
        raise ValueError(f'unsupported particle {kind} at line {node.sourceline}')

    # -- requests and responses -----------------------------------------------------------------

    def request(self, request_type: str) -> dict:
        rq_type = self.globals['complexType'][f'{request_type}RqType']
        key = self._model(f'{request_type}RqType', rq_type)
        first = self.models[key][3][0]
        wrap = first[0] == 'e' and first[1] == request_type
        attrs = sorted(a.get('name') for a in rq_type.findall(f'{XSD}attribute'))
        return {'model': key, 'wrap': wrap, 'attrs': attrs}

    def response_facts(self, request_type: str) -> tuple[dict[tuple[str, str], int], set[str], set[str]]:
        """Leaves by (parent, child), repeatable names and aggregate names of the request's response."""
        rs_type = self.globals['complexType'][f'{request_type}RsType']
        leaves: dict[tuple[str, str], int] = {}
        repeated: set[str] = set()
        aggregates: set[str] = set()
        seen: set[tuple[str, str]] = set()

        def walk(particle: list, parent: str, many: bool) -> None:
            many = many or particle[3 if particle[0] == 'e' else 2] != 1
            if particle[0] != 'e':
                for child in particle[3]:
                    walk(child, parent, many)
                return
            name, kind = particle[1], particle[4]
            if many:
                repeated.add(name)
            if isinstance(kind, int):
                leaves[(parent, name)] = kind
                return
            aggregates.add(name)
            if (kind, name) not in seen:
                seen.add((kind, name))
                walk(self.models[kind], name, False)

        walk(self.models[self._model(f'{request_type}RsType', rs_type)], f'{request_type}Rs', False)
        return leaves, repeated, aggregates


def derive(xsd_dir: Path) -> dict:
    """The facts table, as a JSON-ready dict."""
    deriver = _Deriver(xsd_dir)
    requests = {name: deriver.request(name) for name in REQUEST_TYPES}
    by_name: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    repeated: set[str] = set()
    aggregates: set[str] = set()
    for name in REQUEST_TYPES:
        leaves, many, nested = deriver.response_facts(name)
        repeated |= many
        aggregates |= nested
        for (parent, child), leaf in leaves.items():
            by_name[child][deriver.leaves[leaf][0]].add(parent)
    ret_types: dict[str, str] = {}
    ret_context: dict[str, str] = {}
    for child, bases in sorted(by_name.items()):
        ranked = sorted(bases.items(), key=lambda item: (-len(item[1]), item[0]))
        ret_types[child] = ranked[0][0]
        for base, parents in ranked[1:]:
            for parent in sorted(parents):
                ret_context[f'{parent}/{child}'] = base
    reachable = _reachable_models(deriver.models, [r['model'] for r in requests.values()])
    models = {key: deriver.models[key] for key in sorted(reachable)}
    return {
        'schema': 'qbXML 13.0',
        'leaves': deriver.leaves,
        'models': models,
        'requests': requests,
        'ret_types': ret_types,
        'ret_context': ret_context,
        'ret_repeated': sorted(repeated),
        'ret_aggregates': sorted(aggregates),
    }


def _reachable_models(models: dict[str, list], roots: list[str]) -> set[str]:
    """Keep only the request-side models: the response ones are summarised by ``ret_leaves``."""
    reachable: set[str] = set()
    pending = list(roots)
    while pending:
        key = pending.pop()
        if key in reachable:
            continue
        reachable.add(key)
        stack = [models[key]]
        while stack:
            particle = stack.pop()
            if particle[0] == 'e':
                if isinstance(particle[4], str):
                    pending.append(particle[4])
            else:
                stack.extend(particle[3])
    return reachable


def write_facts(facts: dict, path: Path = FACTS_PATH) -> None:
    """Write one model per line: compact, yet reviewable as a diff when the table is regenerated."""
    lines = ['{']
    top = [key for key in facts if key != 'models']
    for key in top[:-1]:
        lines.append(f'{json.dumps(key)}: {json.dumps(facts[key], separators=(",", ":"))},')
    lines.append('"models": {')
    items = list(facts['models'].items())
    for index, (key, model) in enumerate(items):
        comma = ',' if index < len(items) - 1 else ''
        lines.append(f'{json.dumps(key)}: {json.dumps(model, separators=(",", ":"))}{comma}')
    lines.append('},')
    lines.append(f'{json.dumps(top[-1])}: {json.dumps(facts[top[-1]], separators=(",", ":"))}')
    lines.append('}')
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('xsd_dir', type=Path, help="folder holding Intuit's qbxmlops130.xsd and its includes")
    parser.add_argument('--output', type=Path, default=FACTS_PATH, help='where to write the facts table')
    args = parser.parse_args(argv)
    write_facts(derive(args.xsd_dir), args.output)


if __name__ == '__main__':
    main()
