"""The CRM side of the wizard's mapping pages: the values a QuickBooks list element can map to, and
"Add to List", which creates the CRM value from the QuickBooks one.

The values are the ones the engine reads: currencies by ISO code, tax codes, tax rates and
shipping providers by record id, dropdown lists by option key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from onecrm_finance_qb.host import (
    CurrencyData,
    DropdownList,
    Host,
    ShippingProviderData,
    TaxCodeData,
)
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.sync.mappings import live_host_records

#: The QuickBooks lists mapped to host dropdown lists.
DROPDOWNS = {
    ListKind.CUSTOMER_TYPE: DropdownList.ACCOUNT_TYPES,
    ListKind.TERMS: DropdownList.TERMS,
    ListKind.PAYMENT_METHOD: DropdownList.PAYMENT_TYPES,
}
#: The kinds whose QuickBooks values can be added to the CRM.
ADDABLE = (*DROPDOWNS, ListKind.SHIP_METHOD, ListKind.TAX_CODE, ListKind.CURRENCY)


@dataclass(frozen=True)
class CrmOption:
    """A value the CRM offers on a mapping page."""

    value: str
    label: str


def crm_options(host: Host, kind: ListKind) -> list[CrmOption]:
    """What a QuickBooks element of ``kind`` can be mapped to, in the CRM's order or by name."""
    if kind in DROPDOWNS:
        return [CrmOption(option.key, option.label) for option in host.dropdowns.options(DROPDOWNS[kind])]
    if kind is ListKind.CURRENCY:
        records = sorted(live_host_records(host, 'currencies'), key=lambda record: record.iso_code)
        try:
            base = host.currencies.base_currency()
        except LookupError:
            base = None
        return [CrmOption(record.iso_code, f'{record.name} ({record.iso_code})' + (' **' if record.iso_code == base
                                                                                  else '')) for record in records]
    if kind is ListKind.TAX_CODE:
        records = sorted(live_host_records(host, 'tax_codes'), key=lambda record: record.code.casefold())
        return [CrmOption(record.id, f'{record.name} ({record.code})') for record in records]
    if kind is ListKind.SALES_TAX_ITEM:
        records = sorted(live_host_records(host, 'tax_rates'), key=lambda record: record.name.casefold())
        return [CrmOption(record.id, f'{record.name} ({record.rate.normalize()} %)') for record in records]
    if kind is ListKind.SHIP_METHOD:
        records = sorted(live_host_records(host, 'shipping_providers'), key=lambda record: record.name.casefold())
        return [CrmOption(record.id, record.name) for record in records]
    return []


def setting_options(host: Host, key: str) -> list[CrmOption] | None:
    """The CRM records a setting of the Item Accounts step chooses among; None for any other setting.

    Product types are labelled with their category, so the one list stays readable without scripts.
    """
    if key == 'items.import_category':
        return [CrmOption(category.id, category.name) for category in host.product_categories.all()]
    if key == 'items.import_type':
        categories = {category.id: category.name for category in host.product_categories.all()}
        return [CrmOption(kind.id, f'{kind.name} ({categories[kind.category_id]})'
                          if kind.category_id in categories else kind.name) for kind in host.product_types.all()]
    if key == 'items.inventory_warehouse':
        return [CrmOption(warehouse.id, warehouse.name + (' **' if warehouse.is_main else ''))
                for warehouse in host.warehouses.all()]
    return None


def type_fits_category(host: Host, type_id: str, category_id: str) -> bool:
    """Whether product type ``type_id`` is offered within category ``category_id`` (the dependent dropdown)."""
    return any(kind.id == type_id and kind.category_id in (None, category_id) for kind in host.product_types.all())


def add_to_crm_list(host: Host, row: ListMapping) -> str:
    """Create the CRM value for QuickBooks element ``row`` (or find the one of the same name) and return it."""
    kind = ListKind(row.kind)
    details = json.loads(row.details or '{}')
    if kind in DROPDOWNS:
        return host.dropdowns.add_option(DROPDOWNS[kind], row.name)
    if kind is ListKind.SHIP_METHOD:
        found = host.shipping_providers.find_by_name(row.name)
        return found[0].id if found else host.shipping_providers.create_from_qb(ShippingProviderData(name=row.name))
    if kind is ListKind.TAX_CODE:
        found = host.tax_codes.find_by_name(row.name)
        if found:
            return found[0].id
        taxable = details.get('IsTaxable', 'True') != 'False'
        return host.tax_codes.create_from_qb(TaxCodeData(code=row.name, name=details.get('Desc') or row.name,
                                                         taxable=taxable))
    if kind is ListKind.CURRENCY:
        code = details.get('CurrencyCode') or row.name[:3].upper()
        if not host.currencies.find_by_name(code):
            host.currencies.create_from_qb(CurrencyData(iso_code=code, name=row.name))
        return code
    raise ValueError(f'{kind.value} values cannot be added to the CRM')
