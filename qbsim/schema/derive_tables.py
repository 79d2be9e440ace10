"""Derive qbsim's compact structure tables from Intuit's qbXML 13.0 schema.

QuickBooks knows its message structure without any XSD on the user's machine, and so must qbsim:
this script reads Intuit's schema once (``python -m qbsim.schema.derive_tables ../shared/qbxml``)
and writes ``qbsim/schema/tables.json``, our own facts table: for every request and response
reachable from the request types below, the ordered content model (sequences, choices, min/max
occurs), attributes, simple base types, enumerations and maximum lengths. Documentation is not
carried over, and identical type definitions are stored once, which keeps the table small.

Table layout (``types`` is a list, other entries point into it by index):
- simple type: ``{"s": BASE, "max": N, "enum": [...], "lo": N, "hi": N}`` (optional keys);
- complex type: ``{"c": PARTICLE, "a": {name: [type, required]}}`` or, for simple content with
  attributes, ``{"t": type, "a": {...}}``;
- particle: ``["e", name, type, min, max]``, ``["s", min, max, [particles]]`` or
  ``["c", min, max, [particles]]`` with max ``-1`` for unbounded.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lxml import etree

from qbsim.schema.model import walk

XSD = '{http://www.w3.org/2001/XMLSchema}'
TABLES_PATH = Path(__file__).with_name('tables.json')
XSD_BUILTINS = frozenset({'string', 'integer', 'boolean', 'date', 'duration', 'token'})

# Request families covered: the list, item and entity requests, and the transaction requests the
# next simulator increment adds, so the tables never need regenerating for them.
REQUEST_TYPES = (
    'HostQuery', 'CompanyQuery', 'PreferencesQuery',
    'AccountAdd', 'AccountMod', 'AccountQuery', 'CurrencyAdd', 'CurrencyQuery',
    'StandardTermsAdd', 'StandardTermsQuery', 'DateDrivenTermsAdd', 'DateDrivenTermsQuery', 'TermsQuery',
    'PaymentMethodAdd', 'PaymentMethodQuery', 'ShipMethodAdd', 'ShipMethodQuery',
    'CustomerTypeAdd', 'CustomerTypeQuery', 'SalesTaxCodeAdd', 'SalesTaxCodeMod', 'SalesTaxCodeQuery',
    'ItemSalesTaxAdd', 'ItemSalesTaxMod', 'ItemSalesTaxQuery',
    'ItemSalesTaxGroupAdd', 'ItemSalesTaxGroupMod', 'ItemSalesTaxGroupQuery',
    'ItemInventoryAdd', 'ItemInventoryMod', 'ItemInventoryQuery',
    'ItemNonInventoryAdd', 'ItemNonInventoryMod', 'ItemNonInventoryQuery',
    'ItemServiceAdd', 'ItemServiceMod', 'ItemServiceQuery',
    'ItemOtherChargeAdd', 'ItemOtherChargeMod', 'ItemOtherChargeQuery',
    'ItemDiscountAdd', 'ItemDiscountMod', 'ItemDiscountQuery',
    'ItemSubtotalAdd', 'ItemSubtotalMod', 'ItemSubtotalQuery',
    'ItemGroupAdd', 'ItemGroupMod', 'ItemGroupQuery',
    'ItemInventoryAssemblyAdd', 'ItemInventoryAssemblyMod', 'ItemInventoryAssemblyQuery',
    'ItemPaymentAdd', 'ItemPaymentMod', 'ItemPaymentQuery',
    'ItemFixedAssetAdd', 'ItemFixedAssetMod', 'ItemFixedAssetQuery', 'ItemQuery',
    'CustomerAdd', 'CustomerMod', 'CustomerQuery', 'VendorAdd', 'VendorMod', 'VendorQuery',
    'EmployeeAdd', 'EmployeeMod', 'EmployeeQuery', 'OtherNameAdd', 'OtherNameMod', 'OtherNameQuery',
    'ListDel', 'ListDeletedQuery',
    'DataExtDefAdd', 'DataExtDefQuery', 'DataExtAdd', 'DataExtMod',
    'EstimateAdd', 'EstimateMod', 'EstimateQuery', 'InvoiceAdd', 'InvoiceMod', 'InvoiceQuery',
    'CreditMemoAdd', 'CreditMemoMod', 'CreditMemoQuery',
    'ReceivePaymentAdd', 'ReceivePaymentMod', 'ReceivePaymentQuery',
    'BillAdd', 'BillMod', 'BillQuery', 'BillPaymentCheckAdd', 'BillPaymentCheckMod', 'BillPaymentCheckQuery',
    'CheckAdd', 'CheckMod', 'CheckQuery', 'ARRefundCreditCardAdd', 'ARRefundCreditCardQuery',
    'SalesReceiptAdd', 'SalesReceiptMod', 'SalesReceiptQuery', 'TxnDel', 'TxnDeletedQuery',
)


class _Deriver:
    """Walks the XSD and interns every type definition it meets."""

    def __init__(self, xsd_dir: Path) -> None:
        self.elements: dict[str, etree._Element] = {}
        self.complex_types: dict[str, etree._Element] = {}
        self.simple_types: dict[str, etree._Element] = {}
        self.groups: dict[str, etree._Element] = {}
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
        for name in ('qbxmltypes130.xsd', 'qbxml130_modified.xsd', 'qbxmlops130.xsd'):
            root = etree.parse(str(xsd_dir / name), parser).getroot()
            for child in root:
                kind = {f'{XSD}element': self.elements, f'{XSD}complexType': self.complex_types,
                        f'{XSD}simpleType': self.simple_types, f'{XSD}group': self.groups}.get(child.tag)
                if kind is not None:
                    kind[child.get('name')] = child
        self.types: list[dict] = []
        self._index: dict[str, int] = {}
        self._global_cache: dict[str, int] = {}

    def intern(self, definition: dict) -> int:
        key = json.dumps(definition, sort_keys=True)
        if key not in self._index:
            self._index[key] = len(self.types)
            self.types.append(definition)
        return self._index[key]

    def simple(self, node: etree._Element) -> dict:
        restriction = node.find(f'{XSD}restriction')
        if restriction is None:
            raise ValueError(f'unsupported simple type at line {node.sourceline}')
        definition: dict = {'s': restriction.get('base').removeprefix('xsd:')}
        for facet in restriction:
            value = facet.get('value')
            match facet.tag.removeprefix(XSD):
                case 'maxLength':
                    definition['max'] = int(value)
                case 'enumeration':
                    definition.setdefault('enum', []).append(value)
                case 'minInclusive':
                    definition['lo'] = int(value)
                case 'maxInclusive':
                    definition['hi'] = int(value)
        return definition

    def named_type(self, name: str) -> int:
        name = name.removeprefix('xsd:')
        if name in self.complex_types:
            return self.complex(self.complex_types[name])
        if name in self.simple_types and self.simple_types[name].find(f'{XSD}union') is None:
            definition = self.simple(self.simple_types[name])
            if definition['s'] in XSD_BUILTINS:
                definition['s'] = name
            return self.intern(definition)
        return self.intern({'s': name})

    def attributes(self, node: etree._Element) -> dict:
        attrs = {}
        for attr in node.findall(f'{XSD}attribute'):
            simple = attr.find(f'{XSD}simpleType')
            type_index = self.intern(self.simple(simple)) if simple is not None else self.named_type(attr.get('type'))
            attrs[attr.get('name')] = [type_index, attr.get('use') == 'required']
        return attrs

    def complex(self, node: etree._Element) -> int:
        simple_content = node.find(f'{XSD}simpleContent')
        if simple_content is not None:
            extension = simple_content.find(f'{XSD}extension')
            return self.intern({'t': self.named_type(extension.get('base')), 'a': self.attributes(extension)})
        model = None
        for child in node:
            if child.tag in (f'{XSD}sequence', f'{XSD}choice', f'{XSD}group'):
                model = self.particle(child)
        definition = {'c': model if model is not None else ['s', 1, 1, []], 'a': self.attributes(node)}
        return self.intern(definition)

    def element_type(self, node: etree._Element) -> int:
        if node.get('type'):
            return self.named_type(node.get('type'))
        complex_node = node.find(f'{XSD}complexType')
        if complex_node is not None:
            return self.complex(complex_node)
        simple_node = node.find(f'{XSD}simpleType')
        if simple_node is not None:
            return self.intern(self.simple(simple_node))
        return self.intern({'s': 'STRTYPE'})

    def global_element(self, name: str) -> int:
        if name not in self._global_cache:
            self._global_cache[name] = self.element_type(self.elements[name])
        return self._global_cache[name]

    def particle(self, node: etree._Element) -> list:
        low = int(node.get('minOccurs', '1'))
        high_text = node.get('maxOccurs', '1')
        high = -1 if high_text == 'unbounded' else int(high_text)
        tag = node.tag.removeprefix(XSD)
        if tag == 'element':
            if node.get('ref'):
                return ['e', node.get('ref'), self.global_element(node.get('ref')), low, high]
            return ['e', node.get('name'), self.element_type(node), low, high]
        if tag == 'group':
            body = next(child for child in self.groups[node.get('ref')]
                        if child.tag in (f'{XSD}sequence', f'{XSD}choice'))
            inner = self.particle(body)
            if [low, high] == [1, 1]:
                return inner
            return ['s', low, high, [inner]]
        kind = 's' if tag == 'sequence' else 'c'
        children = []
        for child in node:
            if child.tag not in (f'{XSD}element', f'{XSD}sequence', f'{XSD}choice', f'{XSD}group'):
                continue
            inner = self.particle(child)
            if kind == 's' and inner[0] == 's' and inner[1:3] == [1, 1]:
                children.extend(inner[3])
            else:
                children.append(inner)
        if len(children) == 1 and [low, high] == [1, 1] and children[0][0] != 'e':
            return children[0]
        return [kind, low, high, children]

    def message_element(self, name: str) -> int:
        """Type of an ``XxxRq``/``XxxRs`` as declared inside QBXMLMsgsRq/QBXMLMsgsRs."""
        return self.named_type(f'{name}Type')


def derive(xsd_dir: Path) -> dict:
    """Return the tables for every request in REQUEST_TYPES and its response."""
    deriver = _Deriver(xsd_dir)
    requests = {name: deriver.message_element(f'{name}Rq') for name in REQUEST_TYPES}
    responses = {name: deriver.message_element(f'{name}Rs') for name in REQUEST_TYPES}
    rets = {}
    for index in responses.values():
        for particle in walk(deriver.types[index].get('c')):
            if particle[0] == 'e' and particle[1].endswith('Ret'):
                rets[particle[1]] = particle[2]
    envelope = {name: deriver.global_element(name) for name in ('QBXMLMsgsRq',)}
    envelope_attrs = deriver.types[envelope['QBXMLMsgsRq']]['a']
    messages = deriver.elements['QBXMLMsgsRq']
    known = [child.get('name').removesuffix('Rq') for child in messages.iter(f'{XSD}element') if child is not messages]
    return {
        'known_requests': known,
        'types': deriver.types,
        'requests': requests,
        'responses': responses,
        'rets': rets,
        'envelope_attributes': envelope_attrs,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('xsd_dir', type=Path, help="folder holding Intuit's qbxmlops130.xsd and its includes")
    parser.add_argument('--output', type=Path, default=TABLES_PATH)
    args = parser.parse_args(argv)
    tables = derive(args.xsd_dir)
    args.output.write_text(json.dumps(tables, separators=(',', ':'), sort_keys=True) + '\n', encoding='utf-8')
    print(f'wrote {args.output} ({len(tables["types"])} types, {len(tables["requests"])} requests)')


if __name__ == '__main__':
    main()
