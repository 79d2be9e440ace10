"""The words the tab shows for stored codes: sync statuses, first-sync values, QuickBooks types, run counts.

Codes stay in the database; labels are looked up at render time so each user sees their language.
"""

from __future__ import annotations

from babel.support import LazyProxy

from onecrm_finance_qb.i18n import lazy_gettext
from onecrm_finance_qb.models.links import FirstSync, LinkStatus
from onecrm_finance_qb.models.mappings import ListKind

STATUS_LABELS: dict[str, LazyProxy] = {
    LinkStatus.ENABLED: lazy_gettext('Enabled'),
    LinkStatus.DISABLED: lazy_gettext('Disabled'),
    LinkStatus.PENDING_IMPORT: lazy_gettext('Pending Import'),
    LinkStatus.PENDING_EXPORT: lazy_gettext('Pending Export'),
    LinkStatus.PENDING_UPDATE: lazy_gettext('Pending Update'),
    LinkStatus.PENDING_DELETE: lazy_gettext('Pending Delete'),
    LinkStatus.IMPORT_BLOCKED: lazy_gettext('Import Blocked'),
    LinkStatus.EXPORT_BLOCKED: lazy_gettext('Export Blocked'),
    LinkStatus.UPDATE_BLOCKED: lazy_gettext('Update Blocked'),
    LinkStatus.IMPORT_ERROR: lazy_gettext('Import Error'),
    LinkStatus.EXPORT_ERROR: lazy_gettext('Export Error'),
    LinkStatus.UPDATE_ERROR: lazy_gettext('Update Error'),
    LinkStatus.DELETE_ERROR: lazy_gettext('Delete Error'),
    LinkStatus.REGISTERED_ONLY: lazy_gettext('Registered Only'),
    LinkStatus.IN_FLIGHT: lazy_gettext('Sent, awaiting confirmation'),
    LinkStatus.HELD: lazy_gettext('Held for review'),
}

FIRST_SYNC_LABELS: dict[str, LazyProxy] = {
    FirstSync.NOT_SYNCED: lazy_gettext('Not Synced'),
    FirstSync.IMPORTED: lazy_gettext('Imported'),
    FirstSync.EXPORTED: lazy_gettext('Exported'),
    FirstSync.DELETED: lazy_gettext('Deleted'),
}

#: QuickBooks object types as QuickBooks' own screens name them.
QB_TYPE_LABELS: dict[str, LazyProxy] = {
    'Customer': lazy_gettext('Customer'),
    'Vendor': lazy_gettext('Vendor'),
    'Employee': lazy_gettext('Employee'),
    'OtherName': lazy_gettext('Other Name'),
    'ItemInventory': lazy_gettext('Inventory Part'),
    'ItemNonInventory': lazy_gettext('Non-inventory Part'),
    'ItemInventoryAssembly': lazy_gettext('Inventory Assembly'),
    'ItemGroup': lazy_gettext('Group'),
    'ItemDiscount': lazy_gettext('Discount'),
    'ItemSalesTax': lazy_gettext('Sales Tax Item'),
    'ItemSalesTaxGroup': lazy_gettext('Sales Tax Group'),
    'ItemSubtotal': lazy_gettext('Subtotal'),
    'ItemOtherCharge': lazy_gettext('Other Charge'),
    'ItemService': lazy_gettext('Service'),
    'ItemFixedAsset': lazy_gettext('Fixed Asset'),
    'ItemPayment': lazy_gettext('Payment Item'),
    'Estimate': lazy_gettext('Estimate'),
    'Invoice': lazy_gettext('Invoice'),
    'CreditMemo': lazy_gettext('Credit Memo'),
    'Bill': lazy_gettext('Bill'),
    'ReceivePayment': lazy_gettext('Payment Received'),
    'BillPaymentCheck': lazy_gettext('Bill Payment (Check)'),
    'BillPaymentCreditCard': lazy_gettext('Bill Payment (Credit Card)'),
    'Check': lazy_gettext('Check'),
    'ARRefundCreditCard': lazy_gettext('Credit Card Refund'),
}

#: CRM record kinds, as the Linkages column names them.
CRM_KIND_LABELS: dict[str, LazyProxy] = {
    'account': lazy_gettext('Account'),
    'contact': lazy_gettext('Contact'),
    'product': lazy_gettext('Product'),
    'assembly': lazy_gettext('Assembly'),
    'discount': lazy_gettext('Discount'),
    'tax_rate': lazy_gettext('Tax Rate'),
    'quote': lazy_gettext('Quote'),
    'invoice': lazy_gettext('Invoice'),
    'credit_note': lazy_gettext('Credit Note'),
    'bill': lazy_gettext('Bill'),
    'payment': lazy_gettext('Payment'),
}

#: The object families a run's counts are kept by (``SyncRun.counts`` keys are ``<family>.<event>``), in the
#: engine's order, which is the order the run's page lists them in.
FAMILY_LABELS: dict[str, LazyProxy] = {
    'lists': lazy_gettext('Setup Lists'),
    'registered_items': lazy_gettext('Other QuickBooks Items'),
    'standard_items': lazy_gettext('Standard Items'),
    'products': lazy_gettext('Products'),
    'discounts': lazy_gettext('Discounts'),
    'assemblies': lazy_gettext('Assemblies'),
    'customers': lazy_gettext('Customers'),
    'vendors': lazy_gettext('Vendors'),
}

#: What a run counted of a family's records, in the order of a record's way through the sync.
EVENT_LABELS: dict[str, LazyProxy] = {
    'registered': lazy_gettext('Registered'),
    'changed': lazy_gettext('Changed in the CRM'),
    'imported': lazy_gettext('Imported'),
    'updated_in_crm': lazy_gettext('Updated in the CRM'),
    'linked': lazy_gettext('Linked by name'),
    'exported': lazy_gettext('Exported'),
    'verified': lazy_gettext('Exported, confirmed after a lost answer'),
    'updated_in_qb': lazy_gettext('Updated in QuickBooks'),
    'conflicts': lazy_gettext('Changed on both sides'),
    'retried': lazy_gettext('To be retried'),
    'blocked': lazy_gettext('Blocked'),
    'errored': lazy_gettext('Errored'),
    'deleted_in_qb': lazy_gettext('Deleted in QuickBooks'),
}

#: The setup lists, as the wizard names them: ``lists.<kind>`` counts the elements of a list read from QuickBooks.
LIST_KIND_LABELS: dict[str, LazyProxy] = {
    ListKind.CURRENCY: lazy_gettext('Currencies'),
    ListKind.TAX_CODE: lazy_gettext('Tax Codes'),
    ListKind.SALES_TAX_ITEM: lazy_gettext('Tax Rates'),
    ListKind.ACCOUNT: lazy_gettext('Accounts'),
    ListKind.CUSTOMER_TYPE: lazy_gettext('Customer Types'),
    ListKind.TERMS: lazy_gettext('Payment Terms'),
    ListKind.PAYMENT_METHOD: lazy_gettext('Payment Methods'),
    ListKind.SHIP_METHOD: lazy_gettext('Shipping Methods'),
    ListKind.EXPENSE_CATEGORY: lazy_gettext('Expense Categories'),
}


def family_events(family: str) -> dict[str, LazyProxy]:
    """The events counted for ``family``: the setup lists also count their elements per list."""
    return {**LIST_KIND_LABELS, **EVENT_LABELS} if family == 'lists' else EVENT_LABELS


def label(table: dict[str, LazyProxy], code: str | None) -> str:
    """The label of ``code``, or the code itself when the table does not know it."""
    if code is None:
        return ''
    found = table.get(code)
    return str(found) if found is not None else code
