"""The CRM's records, one module per aggregate; importing this package maps them all."""

from hostcrm.models.accounts import Account, Contact
from hostcrm.models.assemblies import Assembly, AssemblyComponent
from hostcrm.models.base import ChangeCursor, RecordMixin, changed_since, cursor_after
from hostcrm.models.bills import Bill, BillAdjustment, BillLine, BillLineGroup
from hostcrm.models.credit_notes import CreditNote, CreditNoteAdjustment, CreditNoteLine, CreditNoteLineGroup
from hostcrm.models.currencies import Currency
from hostcrm.models.discounts import Discount, DiscountType
from hostcrm.models.documents import AdjustmentType, DocumentMixin, LineGroupType, LineType
from hostcrm.models.dropdowns import DEFAULT_OPTIONS, DropdownList, DropdownOption
from hostcrm.models.expenses import BookingClass, ExpenseCategory
from hostcrm.models.invoices import Invoice, InvoiceAdjustment, InvoiceLine, InvoiceLineGroup
from hostcrm.models.payments import Payment, PaymentAllocation, PaymentDirection
from hostcrm.models.products import Product, ProductCategory, ProductType, TrackInventory
from hostcrm.models.quotes import Quote, QuoteAdjustment, QuoteLine, QuoteLineGroup
from hostcrm.models.shipping import ShippingProvider
from hostcrm.models.taxes import TaxCode, TaxCodeRate, TaxRate
from hostcrm.models.types import ExactDecimal, UTCDateTime, new_id, utc_now
from hostcrm.models.users import User
from hostcrm.models.warehouses import Warehouse

__all__ = [
    'DEFAULT_OPTIONS',
    'Account',
    'AdjustmentType',
    'Assembly',
    'AssemblyComponent',
    'Bill',
    'BillAdjustment',
    'BillLine',
    'BillLineGroup',
    'BookingClass',
    'ChangeCursor',
    'Contact',
    'CreditNote',
    'CreditNoteAdjustment',
    'CreditNoteLine',
    'CreditNoteLineGroup',
    'Currency',
    'Discount',
    'DiscountType',
    'DocumentMixin',
    'DropdownList',
    'DropdownOption',
    'ExactDecimal',
    'ExpenseCategory',
    'Invoice',
    'InvoiceAdjustment',
    'InvoiceLine',
    'InvoiceLineGroup',
    'LineGroupType',
    'LineType',
    'Payment',
    'PaymentAllocation',
    'PaymentDirection',
    'Product',
    'ProductCategory',
    'ProductType',
    'Quote',
    'QuoteAdjustment',
    'QuoteLine',
    'QuoteLineGroup',
    'RecordMixin',
    'ShippingProvider',
    'TaxCode',
    'TaxCodeRate',
    'TaxRate',
    'TrackInventory',
    'UTCDateTime',
    'User',
    'Warehouse',
    'changed_since',
    'cursor_after',
    'new_id',
    'utc_now',
]
