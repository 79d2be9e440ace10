"""The host contract: all the plugin may ask of the CRM it extends, and nothing more.

The plugin never imports the host. The host builds an object satisfying ``Host`` and passes it to
``FinanceQB().init_app(app, host=...)``. Records crossing the boundary are frozen dataclasses of
plain values: ids are ``str`` whatever the host stores, money is ``Decimal``, currencies are ISO 4217
codes, datetimes are timezone-aware. The plugin keeps its own state in its own ``qb_`` tables and
never holds a foreign key into host tables.

Versioning: ``HOST_API_VERSION`` is bumped whenever a required member is added or a member's
meaning changes. Version 1 covers the lists, items and entities QuickBooks syncs, with the read-only
product categories, product types and warehouses the wizard offers as defaults for imported
products. Members marked *optional* (``record_url``, ``account_documents``, the batched
``find_by_names`` / ``find_by_part_numbers``, ``modified_dates`` and the accounts'
``changed_since_brief``) make the plugin faster or richer; it looks for them and falls back when a
host lacks them, so adding one needs no new version. The transactions (quotes, invoices, credit
notes, bills, payments with their lines and allocations) will arrive as version 2 with their own
repositories, and a host announcing version 1 keeps working for everything version 1 covers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from flask_sqlalchemy import SQLAlchemy

#: The newest contract version this plugin understands.
HOST_API_VERSION = 1
#: The oldest contract version this plugin still works with.
MIN_HOST_API_VERSION = 1


class IncompatibleHostError(RuntimeError):
    """The host implements a contract version this plugin cannot work with."""


def check_compatible(host: Host) -> None:
    """Refuse a host whose contract is older than we need or newer than we know.

    A newer host may have changed the meaning of members we rely on, so we refuse it rather than
    guess; the loader reports the error and leaves the CRM running without the plugin.
    """
    version = getattr(host, 'api_version', None)
    if not isinstance(version, int) or not MIN_HOST_API_VERSION <= version <= HOST_API_VERSION:
        raise IncompatibleHostError(
            f'host API version {version!r} is not supported (need {MIN_HOST_API_VERSION}..{HOST_API_VERSION})'
        )


# -- records ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Stored:
    """Identity and change tracking carried by every record read from the host.

    ``deleted`` records are the host's soft-deleted rows: ``get`` and ``changed_since`` return them
    so deletions can be synced; name lookups skip them.
    """

    id: str
    date_modified: datetime
    deleted: bool = False


@dataclass(frozen=True)
class Address:
    """A postal address; ``street`` holds up to four lines separated by newlines."""

    street: str = ''
    city: str = ''
    region: str = ''
    postal_code: str = ''
    country: str = ''


@dataclass(frozen=True, kw_only=True)
class Contact:
    """A person at an account; ``id`` is None for a contact coming from QuickBooks."""

    id: str | None = None
    first_name: str = ''
    last_name: str = ''
    salutation: str = ''
    email: str = ''
    phone_work: str = ''
    phone_mobile: str = ''
    phone_other: str = ''
    phone_fax: str = ''
    is_primary: bool = False


@dataclass(frozen=True, kw_only=True)
class AccountData:
    """A customer or supplier (QuickBooks Customer/Job or Vendor) as written from QuickBooks.

    ``parent_id`` makes the account a job of another customer. ``account_type``, ``terms`` and
    ``purchase_terms`` are option keys of the ``ACCOUNT_TYPES`` and ``TERMS`` dropdown lists.
    """

    name: str
    is_supplier: bool = False
    parent_id: str | None = None
    account_type: str | None = None
    currency: str | None = None
    credit_limit: Decimal | None = None
    terms: str | None = None
    purchase_credit_limit: Decimal | None = None
    purchase_terms: str | None = None
    tax_code_id: str | None = None
    email: str = ''
    phone_office: str = ''
    phone_alternate: str = ''
    phone_fax: str = ''
    billing_address: Address = Address()
    shipping_address: Address = Address()
    description: str = ''
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AccountRecord(Stored, AccountData):
    """An account read from the host."""


@dataclass(frozen=True, kw_only=True)
class AccountBrief(Stored):
    """An account reduced to what registering its changes needs: the change feed of ``changed_since_brief``.

    Registration sees every changed account on every run but sends none of them yet; what it
    sends is read whole later, so reading contacts and addresses here would be wasted.
    """

    name: str
    is_supplier: bool = False
    parent_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProductData:
    """A product (QuickBooks inventory or non-inventory item); prices are in ``currency``."""

    name: str
    part_number: str
    currency: str
    purchase_name: str = ''
    description: str = ''
    purchase_description: str = ''
    track_inventory: bool = False
    list_price: Decimal | None = None
    purchase_price: Decimal | None = None
    cost: Decimal | None = None
    quantity_in_stock: Decimal | None = None
    supplier_id: str | None = None
    tax_code_id: str | None = None
    is_active: bool = True
    #: Where a product created from QuickBooks is filed (the wizard's import defaults); the host
    #: applies them only when it creates the product, never over an administrator's later choice.
    category_id: str | None = None
    type_id: str | None = None
    warehouse_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProductRecord(Stored, ProductData):
    """A product read from the host."""


@dataclass(frozen=True)
class AssemblyComponent:
    """One product of an assembly and how many of it the assembly holds."""

    product_id: str
    quantity: Decimal


@dataclass(frozen=True, kw_only=True)
class AssemblyData:
    """A bundle of products (QuickBooks group item)."""

    name: str
    part_number: str
    description: str = ''
    components: tuple[AssemblyComponent, ...] = ()
    is_active: bool = True


@dataclass(frozen=True, kw_only=True)
class AssemblyRecord(Stored, AssemblyData):
    """An assembly read from the host."""


class DiscountKind(StrEnum):
    """How a discount's ``value`` is read."""

    PERCENTAGE = 'percentage'
    FIXED = 'fixed'


@dataclass(frozen=True, kw_only=True)
class DiscountData:
    """A discount (QuickBooks discount item): a percentage, or a fixed amount in ``currency``."""

    name: str
    kind: DiscountKind
    value: Decimal
    currency: str | None = None
    description: str = ''
    is_active: bool = True


@dataclass(frozen=True, kw_only=True)
class DiscountRecord(Stored, DiscountData):
    """A discount read from the host."""


@dataclass(frozen=True, kw_only=True)
class TaxRateData:
    """A tax rate in percent (``Decimal('7.5')`` is 7.5 %); ``compounding`` applies it on other taxes."""

    name: str
    rate: Decimal
    compounding: bool = False
    is_active: bool = True


@dataclass(frozen=True, kw_only=True)
class TaxRateRecord(Stored, TaxRateData):
    """A tax rate read from the host."""


@dataclass(frozen=True, kw_only=True)
class TaxCodeData:
    """A tax code: whether it charges tax and which tax rates (by id) it applies, in compounding order.

    ``exempt`` marks the host's one "no tax" code, which QuickBooks' exempt code maps to.
    """

    code: str
    name: str
    taxable: bool = True
    exempt: bool = False
    rate_ids: tuple[str, ...] = ()
    is_active: bool = True


@dataclass(frozen=True, kw_only=True)
class TaxCodeRecord(Stored, TaxCodeData):
    """A tax code read from the host."""


@dataclass(frozen=True, kw_only=True)
class CurrencyData:
    """A currency; ``conversion_rate`` is units of it per one unit of the host's base currency."""

    iso_code: str
    name: str
    symbol: str = ''
    conversion_rate: Decimal = Decimal(1)
    is_active: bool = True


@dataclass(frozen=True, kw_only=True)
class CurrencyRecord(Stored, CurrencyData):
    """A currency read from the host."""


@dataclass(frozen=True, kw_only=True)
class ShippingProviderData:
    """A shipping provider (QuickBooks ship method)."""

    name: str
    is_active: bool = True


@dataclass(frozen=True, kw_only=True)
class ShippingProviderRecord(Stored, ShippingProviderData):
    """A shipping provider read from the host."""


@dataclass(frozen=True, kw_only=True)
class ExpenseCategoryData:
    """A category of expenses, mapped to a QuickBooks expense account."""

    name: str
    is_active: bool = True


@dataclass(frozen=True, kw_only=True)
class ExpenseCategoryRecord(Stored, ExpenseCategoryData):
    """An expense category read from the host."""


@dataclass(frozen=True)
class ProductCategoryRecord:
    """A catalogue category; ``parent_id`` nests it under another."""

    id: str
    name: str
    parent_id: str | None = None


@dataclass(frozen=True)
class ProductTypeRecord:
    """A product type, offered within one category (None: within every category)."""

    id: str
    name: str
    category_id: str | None = None


@dataclass(frozen=True)
class WarehouseRecord:
    """A company address holding stock; ``is_main`` marks the one preselected where one must be chosen."""

    id: str
    name: str
    is_main: bool = False


class DropdownList(StrEnum):
    """The host dropdown lists that QuickBooks lists are mapped to."""

    TERMS = 'terms'
    PAYMENT_TYPES = 'payment_types'
    ACCOUNT_TYPES = 'account_types'
    SALUTATIONS = 'salutations'


@dataclass(frozen=True)
class DropdownOption:
    """One option of a host dropdown list: a stable ``key`` stored on records, and its label."""

    key: str
    label: str


class DocumentKind(StrEnum):
    """The CRM documents that tell which accounts trade: invoices (customers) and bills (suppliers)."""

    INVOICE = 'invoice'
    BILL = 'bill'


@dataclass(frozen=True, kw_only=True)
class DocumentOwnerRecord(Stored):
    """An invoice or a bill reduced to the account it belongs to: the change feed of ``account_documents``."""

    account_id: str


# -- repositories ----------------------------------------------------------------------------------

RecordT = TypeVar('RecordT', bound=Stored)
RecordT_co = TypeVar('RecordT_co', bound=Stored, covariant=True)
DataT_contra = TypeVar('DataT_contra', contravariant=True)


@dataclass(frozen=True)
class ChangePage(Generic[RecordT]):
    """One page of records changed after a cursor.

    ``records`` are in (date_modified, id) order. ``cursor`` is opaque: store it and pass it back
    to get only what changed after the last record of this page; it equals the cursor passed in
    when nothing changed. ``has_more`` says another call would return more right away.
    """

    records: tuple[RecordT, ...]
    cursor: str | None
    has_more: bool


class Repository(Protocol[DataT_contra, RecordT_co]):
    """Read and write access to one kind of host record.

    ``changed_since`` must cost O(changes): the host serves it from an index on its modification
    timestamp, never by scanning the table, because the sync engine calls it on every run. A
    record changed after a cursor was issued appears again after that cursor, with its new state,
    and soft-deleted records appear with ``deleted=True``. A host whose timestamps are taken before
    its transactions commit must not hand out a cursor past a change that may still commit behind
    it (for example by holding back the most recent changes). Writes go through the host's session
    (``Host.db.session``) and are committed by the caller together with the plugin's own rows.
    """

    def get(self, record_id: str) -> RecordT_co | None:
        """The record, deleted or not, or None when the id is unknown."""
        ...

    def get_many(self, record_ids: Collection[str]) -> dict[str, RecordT_co]:
        """The known records among ``record_ids``, deleted or not, by id, in a fixed number of queries."""
        ...

    def modified_dates(self, record_ids: Collection[str]) -> dict[str, datetime]:
        """``date_modified`` of the known records among ``record_ids``, by id, as ``get_many`` would give it.

        What the sync stamps its links with after writing a page of records, without reading the
        records whole. Added within version 1: the plugin falls back to ``get_many``.
        """
        ...

    def changed_since(self, cursor: str | None, limit: int) -> ChangePage[RecordT_co]:
        """Up to ``limit`` records created, modified or deleted after ``cursor`` (None: from the start)."""
        ...

    def find_by_name(self, name: str) -> tuple[RecordT_co, ...]:
        """The live records whose name equals ``name`` ignoring case, oldest first, for linking."""
        ...

    def find_by_names(self, names: Collection[str]) -> dict[str, tuple[RecordT_co, ...]]:
        """``find_by_name`` of each of ``names`` at once, keyed by the name as given; unmatched names are absent.

        A page of new QuickBooks records is matched in a fixed number of queries per few hundred
        names, not one query per record. Added within version 1: the plugin falls back to
        ``find_by_name`` when a host lacks it.
        """
        ...

    def create_from_qb(self, data: DataT_contra) -> str:
        """Create a record from QuickBooks data and return its id."""
        ...

    def update_from_qb(self, record_id: str, data: DataT_contra) -> str:
        """Overwrite the record with QuickBooks data and return its id; KeyError when unknown."""
        ...


class AccountRepository(Repository[AccountData, AccountRecord], Protocol):
    """Customers, suppliers and jobs, with their contacts."""

    def changed_since_brief(self, cursor: str | None, limit: int) -> ChangePage[AccountBrief]:
        """``changed_since`` with each account reduced to an ``AccountBrief``: same records, order and cursors.

        Served from the account table's own columns, without loading contacts or addresses.
        Added within version 1: the plugin falls back to ``changed_since``.
        """
        ...


class ProductRepository(Repository[ProductData, ProductRecord], Protocol):
    """Products, matched to QuickBooks items by part number."""

    def find_by_part_number(self, part_number: str) -> tuple[ProductRecord, ...]:
        """The live products whose part number equals ``part_number`` ignoring case."""
        ...

    def find_by_part_numbers(self, part_numbers: Collection[str]) -> dict[str, tuple[ProductRecord, ...]]:
        """``find_by_part_number`` of each of ``part_numbers`` at once, as ``find_by_names``."""
        ...


class AssemblyRepository(Repository[AssemblyData, AssemblyRecord], Protocol):
    """Assemblies, matched to QuickBooks group items by part number."""

    def find_by_part_number(self, part_number: str) -> tuple[AssemblyRecord, ...]:
        """The live assemblies whose part number equals ``part_number`` ignoring case."""
        ...

    def find_by_part_numbers(self, part_numbers: Collection[str]) -> dict[str, tuple[AssemblyRecord, ...]]:
        """``find_by_part_number`` of each of ``part_numbers`` at once, as ``find_by_names``."""
        ...


class DiscountRepository(Repository[DiscountData, DiscountRecord], Protocol):
    """Discounts."""


class TaxRateRepository(Repository[TaxRateData, TaxRateRecord], Protocol):
    """Tax rates."""


class TaxCodeRepository(Repository[TaxCodeData, TaxCodeRecord], Protocol):
    """Tax codes; ``find_by_name`` matches the short ``code``."""


class CurrencyRepository(Repository[CurrencyData, CurrencyRecord], Protocol):
    """Currencies; ``find_by_name`` matches the ISO code."""

    def base_currency(self) -> str:
        """ISO code of the host's base currency, in which conversion rates are expressed."""
        ...


class ShippingProviderRepository(Repository[ShippingProviderData, ShippingProviderRecord], Protocol):
    """Shipping providers."""


class ExpenseCategoryRepository(Repository[ExpenseCategoryData, ExpenseCategoryRecord], Protocol):
    """Expense categories."""


class ProductCategoryRepository(Protocol):
    """The catalogue's categories, read only: the plugin files imported products under one of them."""

    def all(self) -> tuple[ProductCategoryRecord, ...]:
        """The live categories, by name."""
        ...


class ProductTypeRepository(Protocol):
    """The catalogue's product types, read only; each belongs to a category or to all of them."""

    def all(self) -> tuple[ProductTypeRecord, ...]:
        """The live product types, by name."""
        ...


class WarehouseRepository(Protocol):
    """The company's warehouses, read only: where the stock of imported inventory items is held."""

    def all(self) -> tuple[WarehouseRecord, ...]:
        """The live, active warehouses, the main one first, then by name."""
        ...


class DropdownRepository(Protocol):
    """The host's dropdown lists, which QuickBooks lists (terms, payment methods...) are mapped to.

    Options are configuration rather than records: a handful per list, read whole on the mapping
    pages, so there is no change tracking here.
    """

    def options(self, list_name: DropdownList) -> tuple[DropdownOption, ...]:
        """The list's options in display order."""
        ...

    def add_option(self, list_name: DropdownList, label: str) -> str:
        """Append an option labelled ``label`` (QuickBooks' "Add to List") and return its key.

        Returns the existing key when an option with that label, ignoring case, is already there.
        """
        ...


class AccountDocumentRepository(Protocol):
    """Which accounts have invoices or bills: what the "only invoiced / billed accounts" export options ask.

    Only the link between documents and accounts, not the documents themselves, so a host can
    answer it before it offers the transaction repositories.
    """

    def accounts_with(self, kind: DocumentKind, account_ids: Collection[str]) -> frozenset[str]:
        """The ids among ``account_ids`` that at least one live (not deleted) document of ``kind`` belongs to.

        One query per few hundred ids, served by the host's index on the documents' account.
        """
        ...

    def changed_since(self, kind: DocumentKind, cursor: str | None, limit: int) -> ChangePage[DocumentOwnerRecord]:
        """Documents of ``kind`` created, modified or deleted after ``cursor``, as ``Repository.changed_since``.

        An account that gets its first invoice is not modified itself: this feed is how the plugin
        notices it, at O(changes).
        """
        ...


# -- the host --------------------------------------------------------------------------------------


class Host(Protocol):
    """What a CRM gives the plugin. See the module docstring for the rules every member follows."""

    #: The contract version implemented, checked by ``check_compatible``.
    api_version: int
    #: The CRM's own version, shown on the status page and in support reports.
    version: str
    #: The CRM's Flask-SQLAlchemy instance: the plugin works in ``db.session``, one transaction with the CRM.
    db: SQLAlchemy
    #: Name of the CRM template that plugin pages extend; it has a ``content`` block.
    base_template: str

    accounts: AccountRepository
    products: ProductRepository
    assemblies: AssemblyRepository
    discounts: DiscountRepository
    tax_rates: TaxRateRepository
    tax_codes: TaxCodeRepository
    currencies: CurrencyRepository
    shipping_providers: ShippingProviderRepository
    expense_categories: ExpenseCategoryRepository
    product_categories: ProductCategoryRepository
    product_types: ProductTypeRepository
    warehouses: WarehouseRepository
    dropdowns: DropdownRepository
    #: Optional: with a host of contract version 1 without it, the "only invoiced / billed
    #: accounts" export options cannot be applied and every account is exported.
    account_documents: AccountDocumentRepository

    def is_admin(self) -> bool:
        """Whether the user of the current request is a logged-in CRM administrator."""
        ...

    def register_tab(self, key: str, label: Any, endpoint: str, group: str = 'Other', admin_only: bool = True) -> None:
        """Show a tab in the CRM's navigation; ``label`` may be a lazy string, rendered per request."""
        ...

    def current_locale(self) -> str:
        """The locale of the current user (``'fr_CA'``), or the CRM's default outside a request."""
        ...

    def gettext(self, message: str) -> str:
        """``message`` translated by the CRM's own catalog for the current locale.

        Plugin pages extend the CRM's base template; its strings must keep the CRM's translations
        while the plugin's strings use the plugin's catalog.
        """
        ...

    def record_url(self, kind: str, record_id: str) -> str | None:
        """The URL of the CRM's page of record ``record_id`` of ``kind`` (``account``, ``product``...), or None.

        Called for every row of a sync list page, so it builds the URL from the kind and id alone,
        without reading the record. None (a kind without a page) shows the record as plain text.
        Optional: the plugin shows plain text for a host of contract version 1 without it.
        """
        ...
