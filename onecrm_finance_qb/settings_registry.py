"""Every setting the plugin knows: its key, type, default, scope and meaning.

The registry is strict: reading or writing a key that is not declared here is an error, so a typo
cannot silently create a setting nobody reads. Values are stored as text in ``qb_settings`` and
converted by the setting's type on the way in and out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


class UnknownSettingError(KeyError):
    """The key is not declared in the registry."""


class InvalidSettingError(ValueError):
    """The value does not fit the setting's type or rules."""


class SettingScope(StrEnum):
    """Whether a setting applies to the whole installation or to one QuickBooks company file."""

    GLOBAL = 'global'
    SERVER = 'server'


def _parse_bool(text: str) -> bool:
    if text in ('1', 'true'):
        return True
    if text in ('0', 'false'):
        return False
    raise InvalidSettingError(f'not a boolean: {text!r}')


def _format_bool(value: Any) -> str:
    if not isinstance(value, bool):
        raise InvalidSettingError(f'not a boolean: {value!r}')
    return '1' if value else '0'


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise InvalidSettingError(f'not an integer: {text!r}') from exc


def _format_int(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidSettingError(f'not an integer: {value!r}')
    return str(value)


def _format_str(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidSettingError(f'not a string: {value!r}')
    return value


def _format_base_url(value: Any) -> str:
    """An HTTPS address (plain HTTP only for localhost, as the Web Connector allows), without a trailing slash."""
    text = _format_str(value).strip()
    if not text:
        return ''
    parts = urlsplit(text)
    local = parts.hostname in ('localhost', '127.0.0.1')
    if parts.scheme != 'https' and not (parts.scheme == 'http' and local):
        raise InvalidSettingError(f'the address must start with https:// (http:// only for localhost): {text!r}')
    if not parts.hostname or parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidSettingError(f'not a plain web address: {text!r}')
    return text.rstrip('/')


class SettingType(StrEnum):
    """How a setting's value is written as text and read back."""

    BOOL = 'bool'
    INT = 'int'
    STR = 'str'
    BASE_URL = 'base_url'

    def parse(self, text: str) -> Any:
        """The typed value of a stored text."""
        return _PARSERS[self](text)

    def format(self, value: Any) -> str:
        """The text to store for ``value``; InvalidSettingError when it does not fit the type."""
        return _FORMATTERS[self](value)


_PARSERS: dict[SettingType, Callable[[str], Any]] = {
    SettingType.BOOL: _parse_bool,
    SettingType.INT: _parse_int,
    SettingType.STR: str,
    SettingType.BASE_URL: str,
}
_FORMATTERS: dict[SettingType, Callable[[Any], str]] = {
    SettingType.BOOL: _format_bool,
    SettingType.INT: _format_int,
    SettingType.STR: _format_str,
    SettingType.BASE_URL: _format_base_url,
}


@dataclass(frozen=True)
class SettingDefinition:
    """One declared setting. ``key`` is ``<category>.<name>``, as stored in ``qb_settings``."""

    key: str
    type: SettingType
    default: Any
    scope: SettingScope
    meaning: str
    minimum: int | None = None
    maximum: int | None = None
    #: The only values a STR setting may take, when it is a choice.
    choices: tuple[str, ...] | None = None
    #: The sync phase that reads the setting when only one phase does; the wizard and the CLI
    #: offer it only once the engine has that phase (``sync.settings_in_use``).
    read_by: str | None = None

    @property
    def category(self) -> str:
        return self.key.split('.', 1)[0]

    @property
    def name(self) -> str:
        return self.key.split('.', 1)[1]

    def to_text(self, value: Any) -> str:
        """Check ``value`` against the type and bounds and give its stored text."""
        text = self.type.format(value)
        if self.minimum is not None and value < self.minimum:
            raise InvalidSettingError(f'{self.key} must be at least {self.minimum}: {value!r}')
        if self.maximum is not None and value > self.maximum:
            raise InvalidSettingError(f'{self.key} must be at most {self.maximum}: {value!r}')
        if self.choices is not None and text not in self.choices:
            raise InvalidSettingError(f'{self.key} must be one of {", ".join(self.choices)}: {value!r}')
        return text

    def from_text(self, text: str) -> Any:
        """The typed value of a stored text."""
        return self.type.parse(text)


def _server_flag(key: str, default: bool, meaning: str, read_by: str | None = None) -> SettingDefinition:
    return SettingDefinition(key, SettingType.BOOL, default, SettingScope.SERVER, meaning, read_by=read_by)


def _batch_size(key: str, meaning: str, default: int, read_by: str | None = None) -> SettingDefinition:
    return SettingDefinition(
        key, SettingType.INT, default, SettingScope.SERVER, meaning, minimum=1, maximum=1000, read_by=read_by
    )


#: The transaction phases (their own issue): the settings only they read wait for them.
ESTIMATES, INVOICES, BILLS, PAYMENTS = 'estimates', 'invoices', 'bills', 'payments'

#: Records per import page: QuickBooks answers 500 list records in a message of well under a megabyte.
IMPORT_BATCH = 500
#: Adds or Mods per export message: a few hundred kilobytes each way, far under the message cap.
EXPORT_BATCH = 200


def _conflict_policy(key: str, meaning: str) -> SettingDefinition:
    return SettingDefinition(
        key, SettingType.STR, 'crm_wins', SettingScope.SERVER, meaning, choices=('crm_wins', 'qb_wins', 'hold')
    )


def _item_account(key: str, meaning: str, read_by: str | None = None) -> SettingDefinition:
    return SettingDefinition(key, SettingType.STR, '', SettingScope.SERVER, meaning, read_by=read_by)


def _standard_item(key: str, default: str, meaning: str) -> SettingDefinition:
    return SettingDefinition(key, SettingType.STR, default, SettingScope.SERVER, meaning)


def _crm_choice(key: str, meaning: str, read_by: str | None = None) -> SettingDefinition:
    """A CRM record id or option key chosen per server; empty until chosen."""
    return SettingDefinition(key, SettingType.STR, '', SettingScope.SERVER, meaning, read_by=read_by)


_DEFINITIONS = (
    SettingDefinition(
        'webconnector.base_url',
        SettingType.BASE_URL,
        '',
        SettingScope.GLOBAL,
        'HTTPS address of the CRM as the Web Connector reaches it; the .qwc file points there.',
    ),
    SettingDefinition(
        'server.limit_filename',
        SettingType.BOOL,
        False,
        SettingScope.GLOBAL,
        "Always request the primary server's company file when QBWC connects (needed for automatic login).",
    ),
    # -- Web Connector service ----------------------------------------------------------------------
    SettingDefinition(
        'webconnector.owner_id',
        SettingType.STR,
        '',
        SettingScope.GLOBAL,
        "This installation's OwnerID GUID, written into every .qwc; generated once and kept.",
    ),
    SettingDefinition(
        'webconnector.pending_file_id',
        SettingType.STR,
        '',
        SettingScope.GLOBAL,
        'FileID of the .qwc handed out while no server is primary, reused until one is accepted.',
    ),
    SettingDefinition(
        'webconnector.scheduler_minutes',
        SettingType.INT,
        0,
        SettingScope.GLOBAL,
        'Run interval written into the .qwc (0: no schedule, the user starts updates).',
        minimum=0,
        maximum=1440,
    ),
    SettingDefinition(
        'webconnector.ticket_idle_minutes',
        SettingType.INT,
        30,
        SettingScope.GLOBAL,
        'A ticket unused for this long expires and frees its company file for another run.',
        minimum=1,
        maximum=1440,
    ),
    SettingDefinition(
        'webconnector.lockout_free_failures',
        SettingType.INT,
        3,
        SettingScope.GLOBAL,
        'Failed sign-ins allowed for a user name before it is locked out.',
        minimum=1,
        maximum=100,
    ),
    SettingDefinition(
        'webconnector.lockout_base_seconds',
        SettingType.INT,
        30,
        SettingScope.GLOBAL,
        'First lockout delay; it doubles with every further failure.',
        minimum=1,
        maximum=86400,
    ),
    SettingDefinition(
        'webconnector.lockout_max_seconds',
        SettingType.INT,
        3600,
        SettingScope.GLOBAL,
        'Longest lockout delay.',
        minimum=1,
        maximum=604800,
    ),
    SettingDefinition(
        'webconnector.recheck_hours',
        SettingType.INT,
        24,
        SettingScope.GLOBAL,
        'With nothing to sync, authenticate answers "none" until the primary server was last identified '
        'this many hours ago.',
        minimum=1,
        maximum=8760,
    ),
    _server_flag('sync.allowed', False, 'Synchronisation with this company file is switched on (the Go Live step).'),
    _server_flag('import.customers', True, 'Import QuickBooks customers and jobs into CRM accounts.'),
    _server_flag('import.vendors', True, 'Import QuickBooks vendors into CRM supplier accounts.'),
    _server_flag('import.products', True, 'Import QuickBooks items into CRM products, assemblies and discounts.'),
    _server_flag('import.estimates', True, 'Import QuickBooks estimates into CRM quotes.', read_by=ESTIMATES),
    _server_flag('import.invoices', True, 'Import QuickBooks invoices and incoming payments.', read_by=INVOICES),
    _server_flag('import.bills', True, 'Import QuickBooks bills and outgoing payments.', read_by=BILLS),
    _server_flag('export.customers', True, 'Export CRM customer accounts to QuickBooks.'),
    _server_flag('export.only_invoiced_accounts', False, 'Export only the customers that have an invoice.'),
    _server_flag('export.vendors', True, 'Export CRM supplier accounts to QuickBooks vendors.'),
    _server_flag('export.only_billed_accounts', False, 'Export only the suppliers that have a bill.'),
    _server_flag('export.products', True, 'Export CRM products, assemblies and discounts to QuickBooks items.'),
    _server_flag('export.quotes', True, 'Export CRM quotes to QuickBooks estimates.', read_by=ESTIMATES),
    _server_flag('export.invoices', True, 'Export CRM invoices and incoming payments.', read_by=INVOICES),
    _server_flag('export.bills', True, 'Export CRM bills and outgoing payments.', read_by=BILLS),
    _batch_size('batch.accounts_import', 'Customers or vendors asked for per import request.', IMPORT_BATCH),
    _batch_size('batch.accounts_export', 'Customers or vendors sent per export message.', EXPORT_BATCH),
    _batch_size('batch.products_import', 'Items asked for per import request.', IMPORT_BATCH),
    _batch_size('batch.products_export', 'Items sent per export message.', EXPORT_BATCH),
    _batch_size('batch.invoices_import', 'Transactions asked for per import request.', IMPORT_BATCH, read_by=INVOICES),
    _batch_size('batch.invoices_export', 'Transactions sent per export message.', EXPORT_BATCH, read_by=INVOICES),
    _batch_size('batch.payments_import', 'Payments asked for per import request.', IMPORT_BATCH, read_by=PAYMENTS),
    _batch_size('batch.payments_export', 'Payments sent per export message.', EXPORT_BATCH, read_by=PAYMENTS),
    # -- sync engine ----------------------------------------------------------------------------------
    SettingDefinition(
        'sync.max_requests_per_update',
        SettingType.INT,
        5000,
        SettingScope.SERVER,
        'Requests sent in one Web Connector update at most; the next update resumes where this one stopped.',
        minimum=1,
        maximum=5000,
    ),
    SettingDefinition(
        'sync.max_message_bytes',
        SettingType.INT,
        1_000_000,
        SettingScope.SERVER,
        'Size cap of one qbXML message in bytes; requests that would cross it wait for the next message.',
        minimum=10_000,
        maximum=50_000_000,
    ),
    SettingDefinition(
        'sync.modified_overlap_minutes',
        SettingType.INT,
        5,
        SettingScope.SERVER,
        'After the first full import, ask QuickBooks only for records modified since the newest one seen, '
        'minus this overlap (records saved in the same second, or while the last query ran).',
        minimum=0,
        maximum=10080,
    ),
    SettingDefinition(
        'sync.retry_minutes',
        SettingType.INT,
        5,
        SettingScope.SERVER,
        'First wait before a record that met a temporary QuickBooks error (3170-3180) is tried again; '
        'it doubles with every further failure.',
        minimum=0,
        maximum=1440,
    ),
    _server_flag('delete.customers', False, 'Delete from QuickBooks the customers deleted in the CRM.'),
    _server_flag('delete.vendors', False, 'Delete from QuickBooks the vendors deleted in the CRM.'),
    _server_flag('delete.products', False, 'Delete from QuickBooks the items of products deleted in the CRM.'),
    _conflict_policy('conflict.customers', 'When a customer changed on both sides: crm_wins, qb_wins or hold.'),
    _conflict_policy('conflict.vendors', 'When a vendor changed on both sides: crm_wins, qb_wins or hold.'),
    _conflict_policy('conflict.products', 'When an item changed on both sides: crm_wins, qb_wins or hold.'),
    # -- item accounts and standard items (the wizard's Item Accounts step) ---------------------------
    _item_account(
        'items.accounts_receivable', 'Accounts receivable account (ListID) of exported sales.', read_by=INVOICES
    ),
    _item_account('items.accounts_payable', 'Accounts payable account (ListID) of exported bills.', read_by=BILLS),
    _item_account('items.income_account', 'Default product income account (ListID) of exported items.'),
    _item_account('items.cost_goods_account', 'Cost of goods sold account (ListID) of exported inventory items.'),
    _item_account('items.asset_account', 'Inventory asset account (ListID) of exported inventory items.'),
    _item_account('items.expense_account', 'Expense account (ListID) of exported non-inventory items.'),
    _item_account('items.shipping_account', 'Default shipping income account (ListID) of the Shipping item.'),
    _item_account('items.discount_account', 'Default discount expense account (ListID) of exported discounts.'),
    _item_account('items.checking_account', 'Bank account (ListID) of check payments.', read_by=PAYMENTS),
    _item_account(
        'items.cc_account', 'Bank or credit card account (ListID) of credit card payments.', read_by=PAYMENTS
    ),
    _standard_item('items.custom_product_partno', 'Custom Product', 'QuickBooks name of the ad-hoc product item.'),
    _standard_item('items.custom_assembly_partno', 'Custom Assembly', 'QuickBooks name of the ad-hoc assembly item.'),
    _standard_item('items.standard_booked_hours_partno', 'Booked Hours', 'QuickBooks name of the booked hours item.'),
    _standard_item('items.standard_shipping_item_partno', 'Shipping', 'QuickBooks name of the shipping item.'),
    _standard_item('items.standard_subtotal_item_partno', 'Subtotal', 'QuickBooks name of the subtotal item.'),
    _crm_choice('items.import_category', 'CRM product category (id) of products imported from QuickBooks items.'),
    _crm_choice('items.import_type', 'CRM product type (id, within the import category) of imported products.'),
    _crm_choice('items.inventory_warehouse', 'CRM warehouse (id) holding the stock of imported inventory items.'),
    # -- fallbacks and tax-rate slots (the wizard's mapping steps) ------------------------------------
    _crm_choice('terms.default_import', 'CRM terms (option key) of imported records whose terms are not mapped.'),
    _crm_choice(
        'payment_method.default_import',
        'CRM payment type (option key) of imported payments whose payment method is not mapped.',
        read_by=PAYMENTS,
    ),
    _crm_choice(
        'tax_rate.slot_1',
        'CRM tax rate (id) of QuickBooks tax 1 outside the US: GST (Canada), VAT (UK).',
        read_by=INVOICES,
    ),
    _crm_choice(
        'tax_rate.slot_2', 'CRM tax rate (id) of QuickBooks tax 2 outside the US: PST in Canada.', read_by=INVOICES
    ),
)

#: The registry, by key.
SETTINGS: dict[str, SettingDefinition] = {definition.key: definition for definition in _DEFINITIONS}


def definition(key: str) -> SettingDefinition:
    """The declaration of ``key``; UnknownSettingError for a key nobody declared."""
    try:
        return SETTINGS[key]
    except KeyError:
        raise UnknownSettingError(key) from None
