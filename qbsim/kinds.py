"""The list kinds qbsim holds: their Ret element, name namespace, edition and feature switch.

Namespaces follow qbxml-semantics.md section 4: Customer/Vendor/Employee/OtherName share one
(``entity``), all item types share one (``item``), the two terms kinds share one (``terms``), and
every other list is its own.
"""

from __future__ import annotations

from dataclasses import dataclass

SALES_TAX = 'sales_tax'
INVENTORY = 'inventory'
MULTICURRENCY = 'multicurrency'
ESTIMATES = 'estimates'


@dataclass(frozen=True)
class ListKind:
    """One list type (``base`` is the request stem, e.g. 'ItemService')."""

    base: str
    namespace: str
    label: str
    feature: str | None = None
    us_only: bool = False
    non_us_only: bool = False

    @property
    def ret(self) -> str:
        return f'{self.base}Ret'

    def available_in(self, edition: str) -> bool:
        return not ((self.us_only and edition != 'US') or (self.non_us_only and edition == 'US'))


def _item(base: str, feature: str | None = None, us_only: bool = False) -> ListKind:
    return ListKind(base, 'item', 'Item', feature=feature, us_only=us_only)


KINDS: dict[str, ListKind] = {kind.base: kind for kind in (
    ListKind('Account', 'Account', 'Account'),
    ListKind('Currency', 'Currency', 'Currency', feature=MULTICURRENCY),
    ListKind('StandardTerms', 'terms', 'Terms'),
    ListKind('DateDrivenTerms', 'terms', 'Terms'),
    ListKind('PaymentMethod', 'PaymentMethod', 'PaymentMethod'),
    ListKind('ShipMethod', 'ShipMethod', 'ShipMethod'),
    ListKind('CustomerType', 'CustomerType', 'CustomerType'),
    ListKind('SalesTaxCode', 'SalesTaxCode', 'SalesTaxCode', feature=SALES_TAX, us_only=True),
    ListKind('TaxCode', 'TaxCode', 'TaxCode', non_us_only=True),
    _item('ItemSalesTax', SALES_TAX, us_only=True),
    _item('ItemSalesTaxGroup', SALES_TAX, us_only=True),
    _item('ItemInventory', INVENTORY),
    _item('ItemInventoryAssembly', INVENTORY),
    _item('ItemNonInventory'),
    _item('ItemService'),
    _item('ItemOtherCharge'),
    _item('ItemDiscount'),
    _item('ItemSubtotal'),
    _item('ItemGroup'),
    _item('ItemPayment'),
    _item('ItemFixedAsset'),
    ListKind('Customer', 'entity', 'Customer'),
    ListKind('Vendor', 'entity', 'Vendor'),
    ListKind('Employee', 'entity', 'Employee'),
    ListKind('OtherName', 'entity', 'OtherName'),
)}

KIND_BY_RET = {kind.ret: kind for kind in KINDS.values()}
ITEM_RETS = tuple(kind.ret for kind in KINDS.values() if kind.namespace == 'item')
TERMS_RETS = ('StandardTermsRet', 'DateDrivenTermsRet')

# Queries spanning several kinds, with the Ret types they answer. Which queries take iterators is
# structure, known from the tables (the ``iterator`` attribute exists only on those request types).
COMBINED_QUERIES: dict[str, tuple[str, ...]] = {'ItemQuery': ITEM_RETS, 'TermsQuery': TERMS_RETS}

_ACCOUNT_REFS = ('AccountRef', 'IncomeAccountRef', 'ExpenseAccountRef', 'COGSAccountRef', 'AssetAccountRef',
                 'DepositToAccountRef', 'BankAccountRef', 'ARAccountRef', 'APAccountRef', 'CreditCardAccountRef',
                 'DefaultDiscountAccountRef', 'AccumulatedDepreciationAccountRef')

# What each Ref element may point at. Refs not listed point at lists qbsim does not hold (Class,
# SalesRep, PriceLevel, BillingRate, payroll items...), which in a fresh company are empty, so they
# never resolve (3140).
REF_TARGETS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(_ACCOUNT_REFS, ('AccountRet',)),
    'TermsRef': TERMS_RETS,
    'CustomerTypeRef': ('CustomerTypeRet',),
    'PreferredPaymentMethodRef': ('PaymentMethodRet',),
    'PaymentMethodRef': ('PaymentMethodRet',),
    'ShipMethodRef': ('ShipMethodRet',),
    'CurrencyRef': ('CurrencyRet',),
    'ItemSalesTaxRef': ('ItemSalesTaxRet', 'ItemSalesTaxGroupRet'),
    'TaxVendorRef': ('VendorRet',),
    'PrefVendorRef': ('VendorRet',),
    'VendorRef': ('VendorRet',),
    'CustomerRef': ('CustomerRet',),
    'SupervisorRef': ('EmployeeRet',),
    'ItemRef': ITEM_RETS,
    'ItemInventoryRef': ('ItemInventoryRet',),
}

# Refs to tax codes follow the edition's vocabulary (section 8 of the reference).
TAX_CODE_REFS = ('SalesTaxCodeRef', 'PurchaseTaxCodeRef', 'TaxCodeRef', 'TaxCodeForSaleRef', 'TaxCodeForPurchaseRef')


def ref_targets(ref_name: str, edition: str) -> tuple[str, ...]:
    if ref_name in TAX_CODE_REFS:
        return ('SalesTaxCodeRet',) if edition == 'US' else ('TaxCodeRet',)
    return REF_TARGETS.get(ref_name, ())


def ref_label(ref_name: str, edition: str) -> str:
    """How a 3140 message names the referenced list ("Item", "Account", "Customer"...)."""
    targets = ref_targets(ref_name, edition)
    if targets:
        return KIND_BY_RET[targets[0]].label
    return ref_name.removesuffix('Ref')
