"""The configuration wizard's steps and the light of each, computed from what the engine will use.

A step's light is never stored: it is worked out from the server, the list mappings and the
settings every time, so it cannot disagree with what the next run does. Green is done, yellow
partial, red an error that stops the sync, grey not started (nothing to look at yet). A setting
appears on a step only when the engine reads it (``sync.settings_in_use``), and a step only when
the phase that reads it is built, so the wizard never offers a value the next run would ignore.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from babel.support import LazyProxy
from sqlalchemy.orm import Session

from onecrm_finance_qb.i18n import _, lazy_gettext, ngettext
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.settings_registry import BILLS
from onecrm_finance_qb.settings_store import get_setting
from onecrm_finance_qb.state import get_host
from onecrm_finance_qb.sync.mappings import live_host_records
from onecrm_finance_qb.sync.settings_in_use import in_use, phase_built
from onecrm_finance_qb.webconnector.servers import last_attempt, primary_server, server_info

GREEN, YELLOW, RED, GREY = 'green', 'yellow', 'red', 'grey'


@dataclass(frozen=True)
class AccountPicker:
    """A setting holding the ListID of a QuickBooks account of one of ``account_types``."""

    key: str
    account_types: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """One page of the wizard."""

    key: str
    title: LazyProxy
    #: The QuickBooks list mapped on this page, if it is a mapping page.
    list_kind: ListKind | None = None
    #: Settings shown on the page (those the registry declares), in this order.
    setting_keys: tuple[str, ...] = ()
    accounts: tuple[AccountPicker, ...] = ()
    #: Settings among ``setting_keys`` whose value is one of the CRM values of the page's list.
    crm_value_settings: tuple[str, ...] = ()
    #: Pairs of (setting, settings it needs): "import estimates" needs "import customers"...
    requires: tuple[tuple[str, tuple[str, ...]], ...] = ()
    help: LazyProxy | None = None
    #: The sync phase that reads what this page sets, when only one phase does.
    read_by: str | None = None

    @property
    def shown_settings(self) -> tuple[str, ...]:
        return tuple(key for key in self.setting_keys if in_use(key))

    @property
    def shown_accounts(self) -> tuple[AccountPicker, ...]:
        return tuple(picker for picker in self.accounts if in_use(picker.key))


@dataclass(frozen=True)
class StepState:
    """A step's light and the sentences that explain it."""

    light: str
    problems: tuple[str, ...] = field(default=())


_IMPORTS = ('import.customers', 'import.vendors', 'import.products', 'import.estimates', 'import.invoices',
            'import.bills')
_EXPORTS = ('export.customers', 'export.only_invoiced_accounts', 'export.vendors', 'export.only_billed_accounts',
            'export.products', 'export.quotes', 'export.invoices', 'export.bills')
_BATCHES = ('batch.invoices_import', 'batch.invoices_export', 'batch.payments_import', 'batch.payments_export',
            'batch.accounts_import', 'batch.accounts_export', 'batch.products_import', 'batch.products_export')

ITEM_ACCOUNTS = (
    AccountPicker('items.accounts_receivable', ('AccountsReceivable',)),
    AccountPicker('items.accounts_payable', ('AccountsPayable',)),
    AccountPicker('items.income_account', ('Income', 'OtherIncome')),
    AccountPicker('items.cost_goods_account', ('CostOfGoodsSold',)),
    AccountPicker('items.asset_account', ('FixedAsset', 'OtherAsset', 'OtherCurrentAsset')),
    AccountPicker('items.expense_account', ('Expense', 'OtherExpense')),
    AccountPicker('items.shipping_account', ('Income', 'OtherIncome')),
    AccountPicker('items.discount_account', ('Expense', 'OtherExpense')),
    AccountPicker('items.checking_account', ('Bank',)),
    AccountPicker('items.cc_account', ('Bank', 'CreditCard')),
)
ITEM_SETTINGS = ('items.custom_product_partno', 'items.custom_assembly_partno', 'items.standard_booked_hours_partno',
                 'items.standard_shipping_item_partno', 'items.standard_subtotal_item_partno', 'items.import_category',
                 'items.import_type', 'items.inventory_warehouse')
#: Outside the US, QuickBooks tax codes charge up to two taxes, each mapped to a CRM tax rate:
#: the labels of the slots each edition has, and the CRM rate names they are guessed from.
TAX_RATE_SLOTS: dict[str, tuple[tuple[str, LazyProxy, str], ...]] = {
    'CA': (('tax_rate.slot_1', lazy_gettext('General Sales Tax (GST)'), r'\bGST\b|general sales'),
           ('tax_rate.slot_2', lazy_gettext('Provincial Sales Tax (PST)'), r'\bPST\b|provincial')),
    'UK': (('tax_rate.slot_1', lazy_gettext('Value Added Tax (VAT)'), r'\bVAT\b|value added'),),
}
_TAX_RATE_SLOT_KEYS = ('tax_rate.slot_1', 'tax_rate.slot_2')

STEPS = (
    Step('server', lazy_gettext('Server Selection')),
    Step('currencies', lazy_gettext('Currencies'), ListKind.CURRENCY,
         help=lazy_gettext('Each QuickBooks currency used by your records must be mapped to a CRM currency. '
                           'The QuickBooks primary currency must be mapped.')),
    Step('tax_rates', lazy_gettext('Tax Rates'), ListKind.SALES_TAX_ITEM, setting_keys=_TAX_RATE_SLOT_KEYS,
         crm_value_settings=_TAX_RATE_SLOT_KEYS,
         help=lazy_gettext('QuickBooks sales tax items (US) or taxes (Canada, UK) and the CRM tax rates they '
                           'stand for.')),
    Step('tax_codes', lazy_gettext('Tax Codes'), ListKind.TAX_CODE),
    Step('customer_types', lazy_gettext('Customer Types'), ListKind.CUSTOMER_TYPE),
    Step('terms', lazy_gettext('Payment Terms'), ListKind.TERMS, setting_keys=('terms.default_import',),
         crm_value_settings=('terms.default_import',)),
    Step('payment_methods', lazy_gettext('Payment Methods'), ListKind.PAYMENT_METHOD,
         setting_keys=('payment_method.default_import',), crm_value_settings=('payment_method.default_import',)),
    Step('ship_methods', lazy_gettext('Shipping Methods'), ListKind.SHIP_METHOD),
    Step('item_accounts', lazy_gettext('Item Accounts'), setting_keys=ITEM_SETTINGS, accounts=ITEM_ACCOUNTS,
         help=lazy_gettext('All item accounts are required. If an account is missing, create it in QuickBooks '
                           'and run an update from the Web Connector again.')),
    Step('expense_categories', lazy_gettext('Expense Categories'), read_by=BILLS,
         help=lazy_gettext('The QuickBooks account each CRM expense category is booked to.')),
    Step('go_live', lazy_gettext('Go Live'), setting_keys=(*_IMPORTS, *_EXPORTS, *_BATCHES, 'sync.allowed'),
         requires=(
             ('import.estimates', ('import.customers', 'import.products')),
             ('import.invoices', ('import.customers', 'import.products')),
             ('import.bills', ('import.vendors', 'import.products')),
             ('export.quotes', ('export.customers', 'export.products')),
             ('export.invoices', ('export.customers', 'export.products')),
             ('export.bills', ('export.vendors', 'export.products')),
             ('export.only_invoiced_accounts', ('export.customers',)),
             ('export.only_billed_accounts', ('export.vendors',)),
         )),
)
STEPS_BY_KEY = {step.key: step for step in STEPS}


def visible_steps() -> tuple[Step, ...]:
    """The steps with something to show: a page read by a phase not built yet, or left empty, is left out."""
    return tuple(step for step in STEPS if phase_built(step.read_by)
                 and (step.key != 'item_accounts' or step.shown_settings or step.shown_accounts))


def settings_for(step: Step, server: QBServer | None) -> tuple[str, ...]:
    """The settings ``step`` shows for ``server``: the tax-rate slots only where its edition has them."""
    slots = {key for key, _label, _pattern in TAX_RATE_SLOTS.get(server.country if server else '', ())}
    return tuple(key for key in step.shown_settings if key not in _TAX_RATE_SLOT_KEYS or key in slots)


def mapping_rows(db: Session, server: QBServer, kind: ListKind) -> list[ListMapping]:
    """The QuickBooks elements of ``kind`` to map (live ones), by name."""
    return list(db.scalars(
        sa.select(ListMapping)
        .where(ListMapping.server_id == server.id, ListMapping.kind == kind, ListMapping.deleted.is_(False),
               ListMapping.qb_id.is_not(None))
        .order_by(ListMapping.name)
    ))


def _lists_downloaded(db: Session, server: QBServer) -> bool:
    return db.scalar(sa.select(sa.func.count()).select_from(ListMapping).where(ListMapping.server_id == server.id)) > 0


def primary_currency_name(server: QBServer) -> str | None:
    return server_info(server).preferences.home_currency


_NONE_MAPPED = {
    ListKind.CURRENCY: lazy_gettext('No currencies mapped.'),
    ListKind.SALES_TAX_ITEM: lazy_gettext('No tax rates mapped.'),
    ListKind.TAX_CODE: lazy_gettext('No tax codes mapped.'),
    ListKind.CUSTOMER_TYPE: lazy_gettext('No customer types mapped.'),
    ListKind.TERMS: lazy_gettext('No terms mapped.'),
    ListKind.PAYMENT_METHOD: lazy_gettext('No payment methods mapped.'),
    ListKind.SHIP_METHOD: lazy_gettext('No shipping methods mapped.'),
}


def _mapping_state(db: Session, server: QBServer, kind: ListKind) -> StepState:
    rows = mapping_rows(db, server, kind)
    if not rows:
        return StepState(GREEN if _lists_downloaded(db, server) else GREY)
    if kind is ListKind.CURRENCY:
        home = primary_currency_name(server)
        if home and not any(row.name == home and row.crm_value for row in rows):
            return StepState(RED, (_('QuickBooks primary currency is not mapped.'),))
    unmapped = [row for row in rows if not row.crm_value]
    if len(unmapped) == len(rows):
        return StepState(RED if kind is ListKind.CURRENCY else YELLOW, (str(_NONE_MAPPED[kind]),))
    if unmapped:
        return StepState(YELLOW, (ngettext('%(num)s QuickBooks value is not mapped: %(names)s.',
                                           '%(num)s QuickBooks values are not mapped: %(names)s.', len(unmapped),
                                           names=', '.join(row.name for row in unmapped[:10])),))
    return StepState(GREEN)


def _accounts_downloaded(db: Session, server: QBServer) -> bool:
    query = sa.select(sa.func.count()).select_from(ListMapping).where(
        ListMapping.server_id == server.id, ListMapping.kind == ListKind.ACCOUNT)
    return db.scalar(query) > 0


def _accounts_state(db: Session, server: QBServer, step: Step) -> StepState:
    missing = [picker.key for picker in step.shown_accounts if not get_setting(db, picker.key, server.id)]
    if not _accounts_downloaded(db, server):
        return StepState(GREY)
    if not step.shown_accounts:
        return StepState(GREEN)
    if missing:
        return StepState(YELLOW, (ngettext('%(num)s item account is not set.', '%(num)s item accounts are not set.',
                                           len(missing)),))
    return StepState(GREEN)


def expense_category_rows(db: Session, server: QBServer) -> dict[str, ListMapping]:
    """The expense category rows of ``server`` by CRM category id."""
    rows = db.scalars(sa.select(ListMapping).where(ListMapping.server_id == server.id,
                                                   ListMapping.kind == ListKind.EXPENSE_CATEGORY))
    return {row.crm_value: row for row in rows if row.crm_value}


def _expense_categories_state(db: Session, server: QBServer) -> StepState:
    if not _accounts_downloaded(db, server):
        return StepState(GREY)
    rows = expense_category_rows(db, server)
    unmapped = sorted(category.name for category in live_host_records(get_host(), 'expense_categories')
                      if category.id not in rows or not rows[category.id].expense_account)
    if unmapped:
        return StepState(YELLOW, (ngettext('%(num)s expense category is not booked to an account: %(names)s.',
                                           '%(num)s expense categories are not booked to an account: %(names)s.',
                                           len(unmapped), names=', '.join(unmapped[:10])),))
    return StepState(GREEN)


def _server_state(db: Session) -> StepState:
    primary, attempt = primary_server(db), last_attempt(db)
    if primary is None and attempt is None:
        return StepState(RED, (_('No QuickBooks server has been selected for synchronization.'),))
    if primary is None:
        return StepState(YELLOW, (_('A QuickBooks server has connected: accept it to synchronise with it.'),))
    if attempt is not None:
        return StepState(YELLOW, (_('An unrecognised connection attempt awaits your decision.'),))
    return StepState(GREEN)


def step_state(db: Session, server: QBServer | None, step: Step) -> StepState:
    """The light of ``step`` for ``server`` (the primary server; None before one is accepted)."""
    if step.key == 'server':
        return _server_state(db)
    if server is None:
        return StepState(GREY)
    if step.list_kind is not None:
        return _mapping_state(db, server, step.list_kind)
    if step.key == 'item_accounts':
        return _accounts_state(db, server, step)
    if step.key == 'expense_categories':
        return _expense_categories_state(db, server)
    return StepState(GREEN if get_setting(db, 'sync.allowed', server.id) else YELLOW)


def dependency_errors(values: dict[str, object], step: Step, label_of: Callable[[str], str]) -> list[str]:
    """Sentences for every switched-on option whose prerequisites are switched off."""
    errors = []
    for key, needed in step.requires:
        if values.get(key) and not all(values.get(other, True) for other in needed if in_use(other)):
            errors.append(_('"%(option)s" needs "%(needed)s" as well.', option=label_of(key),
                            needed='", "'.join(label_of(other) for other in needed if not values.get(other))))
    return errors


def first_step_needing_attention(states: dict[str, StepState]) -> str:
    """The step the wizard opens at: the first red or yellow one, else Go Live."""
    for step in visible_steps():
        if states[step.key].light in (RED, YELLOW) and step.key != 'go_live':
            return step.key
    return 'go_live'
