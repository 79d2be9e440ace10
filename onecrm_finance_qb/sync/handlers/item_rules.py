"""What every item family needs: the item namespace, item accounts, home-currency prices, name rules.

QuickBooks keeps products, assemblies, discounts and sales tax items in one list whose names are
compared ignoring case (guide section 3.10), so they are checked together before anything is
sent. Prices go to QuickBooks in its home currency: the CRM currency mapped to it, converted with
the CRM's own rates (inventory section 7).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from onecrm_finance_qb.models.mappings import ListKind
from onecrm_finance_qb.qbxml import NameProblemKind, check_name
from onecrm_finance_qb.stored_messages import N_, Message
from onecrm_finance_qb.sync import mappings
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.handlers.records import BlockedError, NotReadyError
from onecrm_finance_qb.webconnector.servers import server_info

#: Every QuickBooks item type: their names share one namespace.
ITEM_TYPES = (
    'ItemInventory',
    'ItemNonInventory',
    'ItemService',
    'ItemOtherCharge',
    'ItemDiscount',
    'ItemSubtotal',
    'ItemGroup',
    'ItemInventoryAssembly',
    'ItemPayment',
    'ItemFixedAsset',
    'ItemSalesTax',
    'ItemSalesTaxGroup',
)
CENTS = Decimal('0.01')


def account_ref(ctx: SyncContext, key: str) -> dict[str, str]:
    """The QuickBooks account chosen for ``key`` on the Item Accounts step; the record waits while it is unset."""
    list_id = ctx.setting(key)
    if not list_id:
        raise NotReadyError(_account_missing(key))
    return {'ListID': list_id}


def _account_missing(key: str) -> Message:
    messages = {
        'items.income_account': N_('Income account not set: choose it on the Item Accounts step.'),
        'items.cost_goods_account': N_('Cost of goods sold account not set: choose it on the Item Accounts step.'),
        'items.asset_account': N_('Inventory asset account not set: choose it on the Item Accounts step.'),
        'items.expense_account': N_('Expense account not set: choose it on the Item Accounts step.'),
        'items.discount_account': N_('Discount account not set: choose it on the Item Accounts step.'),
        'items.shipping_account': N_('Shipping account not set: choose it on the Item Accounts step.'),
    }
    return messages[key]


def home_currency(ctx: SyncContext) -> str:
    """ISO code of the CRM currency standing for QuickBooks' home currency."""
    if 'items:home' not in ctx.cache:
        home = server_info(ctx.server).preferences.home_currency if ctx.multicurrency else None
        if home:
            code = mappings.crm_value(ctx, ListKind.CURRENCY, {'FullName': home})
            if code is None:
                raise NotReadyError(
                    N_('The QuickBooks home currency %(name)s is not mapped to a CRM currency.', name=home)
                )
            ctx.cache['items:home'] = code
        else:
            try:
                ctx.cache['items:home'] = ctx.host.currencies.base_currency()
            except LookupError:
                raise NotReadyError(N_('The CRM has no base currency for item prices.')) from None
    return ctx.cache['items:home']


def _rate(ctx: SyncContext, iso_code: str) -> Decimal:
    key = f'items:rate:{iso_code}'
    if key not in ctx.cache:
        found = ctx.host.currencies.find_by_name(iso_code)
        if not found or not found[0].conversion_rate:
            raise NotReadyError(N_('Currency %(code)s has no conversion rate in the CRM.', code=iso_code))
        ctx.cache[key] = found[0].conversion_rate
    return ctx.cache[key]


def to_home(ctx: SyncContext, amount: Decimal | None, currency: str | None) -> Decimal | None:
    """``amount`` in ``currency`` as QuickBooks' home currency, to the cent."""
    if amount is None:
        return None
    home = home_currency(ctx)
    if currency and currency != home:
        amount = amount / _rate(ctx, currency) * _rate(ctx, home)
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def check_item_name(ctx: SyncContext, qb_type: str, name: str, *, part_number: bool) -> None:
    """Block a name QuickBooks would refuse: 31 characters, no colon, not empty."""
    problem = check_name(qb_type, name, ctx.edition)
    if problem is None:
        return
    if part_number:
        messages = {
            NameProblemKind.EMPTY: N_("The manufacturer's part number is empty: enter one."),
            NameProblemKind.TOO_LONG: N_(
                'The manufacturer\'s part number "%(name)s" is longer than %(limit)s characters: shorten it.',
                name=name,
                limit=problem.max_length,
            ),
        }
    else:
        messages = {
            NameProblemKind.EMPTY: N_('The name is empty.'),
            NameProblemKind.TOO_LONG: N_(
                'The name "%(name)s" is longer than %(limit)s characters: shorten it.',
                name=name,
                limit=problem.max_length,
            ),
        }
    messages.update(
        {
            NameProblemKind.COLON: N_(
                '"%(name)s" contains a colon, which QuickBooks does not allow in item names: remove it.', name=name
            ),
            NameProblemKind.SURROUNDING_SPACE: N_('"%(name)s" starts or ends with a space: remove it.', name=name),
            NameProblemKind.INVALID_CHARACTERS: N_('"%(name)s" contains control characters: remove them.', name=name),
        }
    )
    raise BlockedError(messages[problem.kind])


def duplicate_item_message(name: str) -> Message:
    """Why a second product, assembly, discount or tax rate cannot take ``name``."""
    return N_(
        'Another product, assembly, discount or tax rate already uses "%(name)s" (QuickBooks item names are '
        'compared ignoring case): change one of them.',
        name=name,
    )


def money(value: object) -> Decimal | None:
    """A QuickBooks amount as Decimal (the response reader may already give one)."""
    return None if value is None else Decimal(str(value))
