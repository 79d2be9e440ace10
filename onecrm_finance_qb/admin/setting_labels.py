"""The wizard's label for each setting it shows, in the user's language.

The registry's ``meaning`` is for the CLI and developers (English); a setting without a label
here falls back to it, so a setting the engine adds later still shows up, just untranslated.
"""

from __future__ import annotations

from babel.support import LazyProxy

from onecrm_finance_qb.i18n import lazy_gettext
from onecrm_finance_qb.settings_registry import SETTINGS

LABELS: dict[str, LazyProxy] = {
    'import.customers': lazy_gettext('Import Customers'),
    'import.vendors': lazy_gettext('Import Vendors'),
    'import.products': lazy_gettext('Import Products'),
    'import.estimates': lazy_gettext('Import Estimates'),
    'import.invoices': lazy_gettext('Import Invoices and Incoming Payments'),
    'import.bills': lazy_gettext('Import Bills and Outgoing Payments'),
    'export.customers': lazy_gettext('Export Customers'),
    'export.only_invoiced_accounts': lazy_gettext('Only customers with an invoice'),
    'export.vendors': lazy_gettext('Export Vendors'),
    'export.only_billed_accounts': lazy_gettext('Only suppliers with a bill'),
    'export.products': lazy_gettext('Export Products'),
    'export.quotes': lazy_gettext('Export Quotes'),
    'export.invoices': lazy_gettext('Export Invoices and Incoming Payments'),
    'export.bills': lazy_gettext('Export Bills and Outgoing Payments'),
    'batch.invoices_import': lazy_gettext('Invoices per import request'),
    'batch.invoices_export': lazy_gettext('Invoices per export message'),
    'batch.payments_import': lazy_gettext('Payments per import request'),
    'batch.payments_export': lazy_gettext('Payments per export message'),
    'batch.accounts_import': lazy_gettext('Accounts per import request'),
    'batch.accounts_export': lazy_gettext('Accounts per export message'),
    'batch.products_import': lazy_gettext('Products per import request'),
    'batch.products_export': lazy_gettext('Products per export message'),
    'sync.allowed': lazy_gettext('Enable synchronization between QuickBooks and the CRM'),
    'terms.default_import': lazy_gettext('Fallback Terms for Imports'),
    'payment_method.default_import': lazy_gettext('Fallback Payment Method for Imports'),
    'items.accounts_receivable': lazy_gettext('Accounts Receivable'),
    'items.accounts_payable': lazy_gettext('Accounts Payable'),
    'items.income_account': lazy_gettext('Default Product Income Account'),
    'items.cost_goods_account': lazy_gettext('Cost of Goods Sold Account'),
    'items.asset_account': lazy_gettext('Inventory Asset Account'),
    'items.expense_account': lazy_gettext('Default Expense Account'),
    'items.shipping_account': lazy_gettext('Default Shipping Income Account'),
    'items.discount_account': lazy_gettext('Default Discount Expense Account'),
    'items.checking_account': lazy_gettext('Check Payments Bank Account'),
    'items.cc_account': lazy_gettext('Credit Card Payments Bank Account'),
    'items.custom_product_partno': lazy_gettext('Part number of the custom product item'),
    'items.custom_assembly_partno': lazy_gettext('Part number of the custom assembly item'),
    'items.standard_booked_hours_partno': lazy_gettext('Part number of the booked hours item'),
    'items.standard_shipping_item_partno': lazy_gettext('Part number of the shipping item'),
    'items.standard_subtotal_item_partno': lazy_gettext('Part number of the subtotal item'),
    'items.import_category': lazy_gettext('Default Category for Imported Products'),
    'items.import_type': lazy_gettext('Default Type for Imported Products'),
    'items.inventory_warehouse': lazy_gettext('Warehouse for Inventory Items'),
    'tax_rate.slot_1': lazy_gettext('Tax rate 1'),
    'tax_rate.slot_2': lazy_gettext('Tax rate 2'),
}


def setting_label(key: str) -> str:
    """The label of setting ``key``: ours, else the registry's meaning, else the key."""
    if key in LABELS:
        return str(LABELS[key])
    declared = SETTINGS.get(key)
    return declared.meaning if declared is not None else key
