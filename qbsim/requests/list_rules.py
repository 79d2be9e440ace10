"""Business rules and computed fields per list kind, applied on Add and Mod.

Each rule takes the document being written (Ret-shaped, refs already resolved) and either fills
in what QuickBooks computes or refuses the write with QuickBooks' status code
(qbxml-semantics.md section 6.2).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from qbsim.errors import RequestError
from qbsim.kinds import MULTICURRENCY
from qbsim.requests.context import Context

CENT = Decimal('0.01')


def money(value: str | None) -> str:
    """An AMTTYPE as QuickBooks writes it: two decimals."""
    return str(Decimal(value or '0').quantize(CENT))


def missing(element: str) -> RequestError:
    return RequestError(3150, f'There is a missing element: "{element}".')


def _require(doc: dict, *path: str) -> None:
    node: object = doc
    for step in path:
        if not isinstance(node, dict) or not node.get(step):
            raise missing(step)
        node = node[step]


def _balances(ctx: Context, doc: dict, is_add: bool) -> None:
    """Customers and accounts: the opening balance is both Balance and TotalBalance at first."""
    if is_add:
        balance = money(doc.pop('OpenBalance', None))
        doc['Balance'] = balance
        doc['TotalBalance'] = balance
    _home_currency(ctx, doc, is_add)


def _vendor(ctx: Context, doc: dict, is_add: bool) -> None:
    if is_add:
        doc['Balance'] = money(doc.pop('OpenBalance', None))
    _home_currency(ctx, doc, is_add)


def _home_currency(ctx: Context, doc: dict, is_add: bool) -> None:
    """With multi-currency on, a new name or account is in the home currency unless told otherwise."""
    if is_add and ctx.feature_on(MULTICURRENCY) and 'CurrencyRef' not in doc:
        home = ctx.store.get_meta('home_currency')
        if home:
            doc['CurrencyRef'] = home


def _sales_or_purchase(ctx: Context, doc: dict, is_add: bool) -> None:
    if 'SalesOrPurchase' in doc:
        _require(doc, 'SalesOrPurchase', 'AccountRef')
    if 'SalesAndPurchase' in doc:
        _require(doc, 'SalesAndPurchase', 'IncomeAccountRef')
        _require(doc, 'SalesAndPurchase', 'ExpenseAccountRef')


def _inventory(ctx: Context, doc: dict, is_add: bool) -> None:
    for account in ('IncomeAccountRef', 'COGSAccountRef', 'AssetAccountRef'):
        _require(doc, account)
    if is_add:
        quantity = Decimal(doc.get('QuantityOnHand') or '0')
        value = doc.pop('TotalValue', None)
        doc.pop('InventoryDate', None)
        doc['QuantityOnHand'] = str(quantity)
        if value and quantity:
            doc['AverageCost'] = str((Decimal(value) / quantity).quantize(Decimal('0.00001')))
        else:
            doc['AverageCost'] = doc.get('PurchaseCost') or '0.00'
        doc['QuantityOnOrder'] = '0'
        doc['QuantityOnSalesOrder'] = '0'


def _discount(ctx: Context, doc: dict, is_add: bool) -> None:
    _require(doc, 'AccountRef')


def _sales_tax(ctx: Context, doc: dict, is_add: bool) -> None:
    if Decimal(doc.get('TaxRate') or '0') != 0 and not doc.get('TaxVendorRef'):
        raise missing('TaxVendorRef')


RULES: dict[str, Callable[[Context, dict, bool], None]] = {
    'Customer': _balances,
    'Vendor': _vendor,
    'Account': _balances,
    'ItemService': _sales_or_purchase,
    'ItemNonInventory': _sales_or_purchase,
    'ItemOtherCharge': _sales_or_purchase,
    'ItemInventory': _inventory,
    'ItemInventoryAssembly': _inventory,
    'ItemDiscount': _discount,
    'ItemSalesTax': _sales_tax,
}

# Refs whose targets differ from the general table for one kind.
REF_OVERRIDES: dict[str, dict[str, tuple[str, ...]]] = {
    'ItemSalesTaxGroup': {'ItemSalesTaxRef': ('ItemSalesTaxRet',)},
}
