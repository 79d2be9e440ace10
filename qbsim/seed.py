"""Filling a company from plain data, through the same Add requests a client would send.

Seed format (JSON): an object whose keys are list kinds (request stems such as "Account",
"Customer", "Employee", "OtherName", "ItemService") and whose values are lists of objects written
with QuickBooks field names, for example ``{"Customer": [{"Name": "Acme", "BillAddress": {"City":
"Boston"}}]}``. References use ``{"FullName": ...}``. Kinds are added in dependency order, objects
in list order, so a job can name a customer earlier in the same list as its ``ParentRef`` and an
employee a supervisor earlier in the list. An employee without ``Name`` is named after the person.
"""

from __future__ import annotations

from lxml import etree

from qbsim.schema.model import Tables
from qbsim.xmlio import doc_to_element

SEED_ORDER = ('Currency', 'Account', 'StandardTerms', 'DateDrivenTerms', 'PaymentMethod', 'ShipMethod',
              'CustomerType', 'SalesTaxCode', 'TaxCode', 'Vendor', 'Employee', 'OtherName', 'ItemSalesTax',
              'ItemSalesTaxGroup', 'ItemService', 'ItemNonInventory', 'ItemOtherCharge', 'ItemInventory',
              'ItemInventoryAssembly', 'ItemDiscount', 'ItemSubtotal', 'ItemPayment', 'ItemFixedAsset', 'ItemGroup',
              'Customer')


class SeedError(ValueError):
    """A seed object QuickBooks would refuse (the message carries its status code and text)."""


def seed_messages(seed: dict, tables: Tables, version: str) -> list[str]:
    """One request message per kind, each Add built in schema order from the seed objects."""
    unknown = set(seed) - set(SEED_ORDER)
    if unknown:
        raise SeedError(f'unknown seed kinds: {", ".join(sorted(unknown))} (known: {", ".join(SEED_ORDER)})')
    messages = []
    for kind in SEED_ORDER:
        if not seed.get(kind):
            continue
        batch = etree.Element('QBXMLMsgsRq', onError='continueOnError')
        request_type = f'{kind}Add'
        add_type = tables.child_types(tables.requests[request_type])[request_type]
        for number, obj in enumerate(seed[kind]):
            request = etree.SubElement(batch, f'{request_type}Rq', requestID=f'{kind}:{number}')
            request.append(doc_to_element(request_type, _as_text(obj), add_type, tables))
            unknown_fields = set(obj) - set(tables.child_types(add_type))
            if unknown_fields:
                raise SeedError(f'{kind} #{number}: unknown fields {", ".join(sorted(unknown_fields))}')
        root = etree.Element('QBXML')
        root.append(batch)
        messages.append(f'<?xml version="1.0"?><?qbxml version="{version}"?>'
                        + etree.tostring(root, encoding='unicode'))
    return messages


def _as_text(value: object) -> object:
    """JSON numbers and booleans as qbXML text."""
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


def check_seed_response(response: str) -> None:
    """Raise SeedError naming every seed object QuickBooks refused."""
    root = etree.fromstring(response.encode())
    failures = [f'{node.get("requestID")}: {node.get("statusCode")} {node.get("statusMessage")}'
                for node in root.iter() if node.get('statusSeverity') == 'Error']
    if failures:
        raise SeedError('; '.join(failures))
