"""hostcrm's side of the Finance (QB) contract: its records seen through ``onecrm_finance_qb.host``.

The Module Loader calls ``make_host(app)`` and hands the result to ``FinanceQB().init_app``. The
repositories translate between the CRM's models and the contract's plain records; every write
goes through ``db.session`` and is committed by the caller.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar

import sqlalchemy as sa
from flask import Flask, url_for
from flask_login import current_user
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import load_only, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from hostcrm import i18n
from hostcrm.extensions import db
from hostcrm.models import (
    Account,
    Assembly,
    AssemblyComponent,
    Bill,
    BookingClass,
    ChangeCursor,
    Contact,
    Currency,
    Discount,
    DiscountType,
    DropdownOption,
    ExpenseCategory,
    Invoice,
    Product,
    ProductCategory,
    ProductType,
    RecordMixin,
    ShippingProvider,
    TaxCode,
    TaxCodeRate,
    TaxRate,
    TrackInventory,
    Warehouse,
    changed_since,
    new_id,
    utc_now,
)
from hostcrm.models import DropdownList as HostDropdownList
from hostcrm.tabs import Tab, register_tab
from onecrm_finance_qb import host as contract

ModelT = TypeVar('ModelT', bound=RecordMixin)
DataT = TypeVar('DataT')
RecordT = TypeVar('RecordT', bound=contract.Stored)

#: The contract's dropdown lists under the CRM's (1CRM's) list names.
DROPDOWN_LISTS = {
    contract.DropdownList.TERMS: HostDropdownList.TERMS,
    contract.DropdownList.PAYMENT_TYPES: HostDropdownList.PAYMENT_TYPES,
    contract.DropdownList.ACCOUNT_TYPES: HostDropdownList.ACCOUNT_TYPES,
    contract.DropdownList.SALUTATIONS: HostDropdownList.SALUTATIONS,
}

#: The administration screen (``hostcrm.admin``, one Flask-Admin view per model) of each kind of record
#: the plugin links to; Flask-Admin names a model's endpoint after the model.
RECORD_SCREENS = {
    kind: model.__name__.lower()
    for kind, model in {
        'account': Account,
        'contact': Contact,
        'product': Product,
        'assembly': Assembly,
        'discount': Discount,
        'tax_rate': TaxRate,
        'tax_code': TaxCode,
        'currency': Currency,
    }.items()
}

_CURSOR_SEPARATOR = '|'
#: Ids per ``get_many`` query, well under every database's limit on bound parameters.
GET_MANY_CHUNK = 500
#: ``Session.info`` key of the currency ids looked up in the current transaction.
CURRENCY_IDS = 'hostcrm.finance_host.currency_ids'

#: Configuration key: seconds a change must have existed before ``changed_since`` returns it.
SETTLE_KEY = 'HOSTCRM_CHANGE_SETTLE_SECONDS'
#: Longer than the CRM's longest ordinary transaction; changes reach QuickBooks this much later.
DEFAULT_SETTLE_SECONDS = 5


def encode_cursor(cursor: ChangeCursor) -> str:
    """The contract's opaque cursor for a position in the change order."""
    return f'{cursor.date_modified.isoformat()}{_CURSOR_SEPARATOR}{cursor.id}'


def decode_cursor(cursor: str) -> ChangeCursor:
    """The position an opaque cursor stands for; ValueError for a string that is not one of ours."""
    timestamp, separator, record_id = cursor.partition(_CURSOR_SEPARATOR)
    moment = datetime.fromisoformat(timestamp)
    if not separator or not record_id or moment.tzinfo is None:
        raise ValueError(f'not a change cursor: {cursor!r}')
    return ChangeCursor(moment, record_id)


def _text(value: str | None) -> str:
    return value or ''


def _or_none(value: str) -> str | None:
    return value or None


class _Repository(Generic[ModelT, DataT, RecordT]):
    """What every repository does the same way; subclasses convert one model to and from records.

    ``settle`` holds back the most recent changes: ``date_modified`` is stamped when a change is
    flushed, not when it commits, so a change younger than the longest transaction could still
    commit behind a cursor already handed out.
    """

    model: type[ModelT]
    #: The column ``find_by_name`` compares.
    name_column: str = 'name'

    def __init__(self, database: SQLAlchemy, settle: timedelta) -> None:
        self._db = database
        self._settle = settle

    @property
    def session(self) -> sa.orm.scoped_session[Any]:
        return self._db.session

    # -- hooks ---------------------------------------------------------------------------------

    def _to_record(self, row: ModelT) -> RecordT:
        raise NotImplementedError

    def _apply(self, row: ModelT, data: DataT) -> None:
        raise NotImplementedError

    def _scope(self) -> Sequence[sa.ColumnElement[bool]]:
        """Conditions that make a row part of this repository (all rows by default)."""
        return ()

    def _load_options(self) -> Sequence[LoaderOption]:
        """Eager loads, so a page of records costs a fixed number of queries."""
        return ()

    # -- the contract --------------------------------------------------------------------------

    def get(self, record_id: str) -> RecordT | None:
        query = sa.select(self.model).where(self.model.id == record_id, *self._scope()).options(*self._load_options())
        row = self.session.scalars(query).first()
        return None if row is None else self._to_record(row)

    def get_many(self, record_ids: Collection[str]) -> dict[str, RecordT]:
        ids = list(dict.fromkeys(record_ids))
        records: dict[str, RecordT] = {}
        for start in range(0, len(ids), GET_MANY_CHUNK):
            chunk = ids[start : start + GET_MANY_CHUNK]
            query = sa.select(self.model).where(self.model.id.in_(chunk), *self._scope()).options(*self._load_options())
            records.update((row.id, self._to_record(row)) for row in self.session.scalars(query))
        return records

    def modified_dates(self, record_ids: Collection[str]) -> dict[str, datetime]:
        ids = list(dict.fromkeys(record_ids))
        dates: dict[str, datetime] = {}
        for start in range(0, len(ids), GET_MANY_CHUNK):
            chunk = ids[start : start + GET_MANY_CHUNK]
            query = sa.select(self.model.id, self.model.date_modified).where(self.model.id.in_(chunk), *self._scope())
            dates.update((record_id, modified) for record_id, modified in self.session.execute(query))
        return dates

    def changed_since(self, cursor: str | None, limit: int) -> contract.ChangePage[RecordT]:
        rows = list(self.session.scalars(self._changes_query(cursor, limit).options(*self._load_options())))
        return _change_page(rows, cursor, limit, self._to_record)

    def _changes_query(self, cursor: str | None, limit: int) -> sa.Select[Any]:
        """The settled rows after ``cursor`` in cursor order, one more than ``limit`` to tell whether more follow."""
        if limit < 1:
            raise ValueError(f'limit must be positive: {limit}')
        position = None if cursor is None else decode_cursor(cursor)
        settled = self.model.date_modified <= utc_now() - self._settle
        return changed_since(self.model, position, limit + 1).where(settled, *self._scope())

    def find_by_name(self, name: str) -> tuple[RecordT, ...]:
        return self._select_by(getattr(self.model, self.name_column), name)

    def find_by_names(self, names: Collection[str]) -> dict[str, tuple[RecordT, ...]]:
        return self._select_by_many(getattr(self.model, self.name_column), names)

    def create_from_qb(self, data: DataT) -> str:
        """The id is generated here rather than by a flush: a page of imports is inserted in one flush."""
        row = self.model(id=new_id())
        self._apply(row, data)
        self.session.add(row)
        return row.id

    def update_from_qb(self, record_id: str, data: DataT) -> str:
        row = self.session.scalars(sa.select(self.model).where(self.model.id == record_id, *self._scope())).first()
        if row is None:
            raise KeyError(record_id)
        self._apply(row, data)
        self.session.flush()
        return row.id

    def _live(self, model: type[RecordMixin], record_id: str | None) -> Any:
        """The live row ``record_id`` of ``model``; LookupError names what QuickBooks referred to."""
        if record_id is None:
            return None
        row = self.session.get(model, record_id)
        if row is None or row.deleted:
            raise LookupError(f'{model.__name__} {record_id!r} does not exist')
        return row

    def _currency_id(self, iso_code: str | None) -> str | None:
        """The currency's id, looked up once per transaction: a page of imports names the same few currencies."""
        if iso_code is None:
            return None
        known = _transaction_cache(self.session(), CURRENCY_IDS)
        code = iso_code.upper()
        if code not in known:
            currency_id = self.session.scalar(sa.select(Currency.id).where(Currency.iso4217 == code))
            if currency_id is None:
                raise LookupError(f'currency {iso_code!r} does not exist')
            known[code] = currency_id
        return known[code]

    def _equals_ignoring_case(self, column: Any, value: str) -> sa.ColumnElement[bool]:
        """Case-insensitive equality; MariaDB's collation already ignores case, and then the column's index serves."""
        if self._db.engine.dialect.name in {'mysql', 'mariadb'}:
            return column == value
        return sa.func.lower(column) == value.lower()

    def _select_by_many(self, column: Any, values: Collection[str]) -> dict[str, tuple[RecordT, ...]]:
        """``_select_by`` of each of ``values``, a chunk of values a query, keyed by the value as given.

        Rows are told apart by their lower-cased ``column``, which is what the query compared on
        SQLite and PostgreSQL; on MariaDB a name its collation equates with another one in more
        than case (accents) is not found here.
        """
        wanted: dict[str, list[str]] = {}
        for value in values:
            wanted.setdefault(value.lower(), []).append(value)
        keys = list(wanted)
        found: dict[str, list[RecordT]] = {}
        for start in range(0, len(keys), GET_MANY_CHUNK):
            chunk = keys[start : start + GET_MANY_CHUNK]
            query = (
                sa.select(self.model)
                .where(self._in_ignoring_case(column, chunk), self.model.deleted.is_(False), *self._scope())
                .order_by(self.model.date_entered, self.model.id)
                .options(*self._load_options())
            )
            for row in self.session.scalars(query):
                record = self._to_record(row)
                for value in wanted.get(_text(getattr(row, column.key)).lower(), ()):
                    found.setdefault(value, []).append(record)
        return {value: tuple(records) for value, records in found.items()}

    def _in_ignoring_case(self, column: Any, lowered: list[str]) -> sa.ColumnElement[bool]:
        """``_equals_ignoring_case`` for a list of lower-cased values."""
        if self._db.engine.dialect.name in {'mysql', 'mariadb'}:
            return column.in_(lowered)
        return sa.func.lower(column).in_(lowered)

    def _select_by(self, column: Any, value: str) -> tuple[RecordT, ...]:
        """Live records whose ``column`` equals ``value`` ignoring case, oldest first."""
        query = (
            sa.select(self.model)
            .where(self._equals_ignoring_case(column, value), self.model.deleted.is_(False), *self._scope())
            .order_by(self.model.date_entered, self.model.id)
            .options(*self._load_options())
        )
        return tuple(self._to_record(row) for row in self.session.scalars(query))


def _transaction_cache(session: sa.orm.Session, key: str) -> dict[str, Any]:
    """A dict kept in ``session.info`` for the current transaction only, so a commit or a rollback ends it.

    Nothing read in an earlier transaction is trusted: another request may have changed it since.
    """
    transaction = session.get_transaction()
    held = session.info.get(key)
    if held is None or held[0] is not transaction:
        held = session.info[key] = (transaction, {})
    return held[1]


def _change_page(
    rows: Sequence[Any], cursor: str | None, limit: int, to_record: Callable[[Any], RecordT]
) -> contract.ChangePage[RecordT]:
    """The page of the first ``limit`` of ``rows`` (read one beyond it): model instances or column rows alike."""
    page = rows[:limit]
    next_cursor = encode_cursor(ChangeCursor(page[-1].date_modified, page[-1].id)) if page else cursor
    return contract.ChangePage(tuple(to_record(row) for row in page), next_cursor, len(rows) > limit)


def _stored(row: Any) -> dict[str, Any]:
    """The stored part of a record, from an ORM object or a plain row with the same names."""
    return {'id': row.id, 'date_modified': row.date_modified, 'deleted': row.deleted}


def _iso(currency: Currency | None) -> str | None:
    return currency.iso4217 if currency is not None else None


class AccountRepository(_Repository[Account, contract.AccountData, contract.AccountRecord]):
    """Accounts with their live contacts."""

    model = Account

    def _load_options(self) -> Sequence[LoaderOption]:
        return (selectinload(Account.contacts), selectinload(Account.currency))

    def changed_since_brief(self, cursor: str | None, limit: int) -> contract.ChangePage[contract.AccountBrief]:
        """``changed_since`` reading the account table's columns alone: no ORM objects, contacts or currencies."""
        query = self._changes_query(cursor, limit).with_only_columns(
            Account.id, Account.date_modified, Account.deleted, Account.name, Account.is_supplier, Account.parent_id
        )
        briefs = [contract.AccountBrief(**columns) for columns in _column_dicts(self.session.execute(query))]
        return _change_page(briefs, cursor, limit, lambda brief: brief)

    def get_many(self, record_ids: Collection[str]) -> dict[str, contract.AccountRecord]:
        """Accounts read as plain rows, with their live contacts: two statements a chunk, no ORM objects.

        A batch of exports reads a few hundred accounts. Loaded as objects with their contacts and
        currencies (two selectin loads), they cost the server more than the rest of the export.
        The statements go to the session's connection, past the ORM's result handling, once the
        session has written what it holds. Each row is read into a named tuple of its columns: an
        attribute of a result row costs several times a tuple's, and a record reads about fifty;
        a tuple is also made faster than a namespace from the row's columns. The records are the
        same as ``get``'s.
        """
        ids = list(dict.fromkeys(record_ids))
        records: dict[str, contract.AccountRecord] = {}
        self.session.flush()
        connection = self.session.connection(bind_arguments={'mapper': Account})
        for start in range(0, len(ids), GET_MANY_CHUNK):
            chunk = ids[start : start + GET_MANY_CHUNK]
            contacts: dict[str, list[Any]] = {}
            query = sa.select(*_CONTACT_COLUMNS).where(Contact.account_id.in_(chunk), sa.not_(Contact.deleted))
            for contact in map(_ContactRow._make, connection.execute(query)):
                contacts.setdefault(contact.account_id, []).append(contact)
            query = (
                sa.select(*_ACCOUNT_COLUMNS)
                .outerjoin(Currency, Currency.id == Account.currency_id)
                .where(Account.id.in_(chunk), *self._scope())
            )
            for row in map(_AccountRow._make, connection.execute(query)):
                records[row.id] = _account_record(row, row.iso4217, contacts.get(row.id, ()))
        return records

    def _to_record(self, row: Account) -> contract.AccountRecord:
        return _account_record(row, _iso(row.currency), [contact for contact in row.contacts if not contact.deleted])

    def _apply(self, row: Account, data: contract.AccountData) -> None:
        self._live(Account, data.parent_id)
        row.name = data.name
        row.is_supplier = data.is_supplier
        row.parent_id = data.parent_id
        row.account_type = data.account_type
        row.currency_id = self._currency_id(data.currency)
        row.credit_limit = data.credit_limit
        row.default_terms = data.terms
        row.purchase_credit_limit = data.purchase_credit_limit
        row.default_purchase_terms = data.purchase_terms
        self._live(TaxCode, data.tax_code_id)
        row.tax_code_id = data.tax_code_id
        row.email = _or_none(data.email)
        row.phone_office = _or_none(data.phone_office)
        row.phone_alternate = _or_none(data.phone_alternate)
        row.phone_fax = _or_none(data.phone_fax)
        _set_address(row, 'billing_address', data.billing_address)
        _set_address(row, 'shipping_address', data.shipping_address)
        row.description = _or_none(data.description)
        for contact_data in data.contacts:
            contact = self._matching_contact(row, contact_data)
            _apply_contact(contact, contact_data)
            if contact_data.is_primary:
                row.primary_contact = contact

    def _matching_contact(self, account: Account, data: contract.Contact) -> Contact:
        """The contact ``data`` describes: by id, else by first and last name within the account, else a new one."""
        if data.id is not None:
            contact = self.session.get(Contact, data.id)
            if contact is None or contact.account_id != account.id:
                raise LookupError(f'contact {data.id!r} does not belong to account {account.id!r}')
            return contact
        wanted = (data.first_name.casefold(), data.last_name.casefold())
        for contact in account.contacts:
            if not contact.deleted and (_text(contact.first_name).casefold(), contact.last_name.casefold()) == wanted:
                return contact
        contact = Contact(last_name='')
        account.contacts.append(contact)
        return contact


#: What an account record is made of, with its currency's code, for reading accounts as plain rows (``get_many``).
_ACCOUNT_COLUMNS = (
    Account.id,
    Account.date_modified,
    Account.deleted,
    Account.name,
    Account.is_supplier,
    Account.parent_id,
    Account.account_type,
    Account.credit_limit,
    Account.default_terms,
    Account.purchase_credit_limit,
    Account.default_purchase_terms,
    Account.tax_code_id,
    Account.email,
    Account.phone_office,
    Account.phone_alternate,
    Account.phone_fax,
    Account.description,
    Account.primary_contact_id,
    Account.billing_address_street,
    Account.billing_address_city,
    Account.billing_address_state,
    Account.billing_address_postalcode,
    Account.billing_address_country,
    Account.shipping_address_street,
    Account.shipping_address_city,
    Account.shipping_address_state,
    Account.shipping_address_postalcode,
    Account.shipping_address_country,
    Currency.iso4217,
)
_CONTACT_COLUMNS = (
    Contact.account_id,
    Contact.id,
    Contact.first_name,
    Contact.last_name,
    Contact.salutation,
    Contact.email,
    Contact.phone_work,
    Contact.phone_mobile,
    Contact.phone_other,
    Contact.phone_fax,
)
#: An account or contact row of ``get_many``: the columns above, in their order, by name.
_AccountRow = namedtuple('_AccountRow', [column.key for column in _ACCOUNT_COLUMNS])
_ContactRow = namedtuple('_ContactRow', [column.key for column in _CONTACT_COLUMNS])


def _column_dicts(result: sa.Result[Any]) -> Iterator[dict[str, Any]]:
    """Each row of ``result`` as a dict of its columns, the column names read once for all rows.

    A row's ``_mapping`` and ``_asdict()`` build a fresh view of the names for every row.
    """
    names = tuple(result.keys())
    for values in result:
        yield dict(zip(names, values, strict=True))


def _account_record(row: Any, currency: str | None, contacts: Sequence[Any]) -> contract.AccountRecord:
    """The record of an account and its live contacts, from an ORM object or a plain row with the same names.

    The contacts are put in order here, by last name then id, rather than by the database: an
    account written earlier in the transaction holds its contacts in the order they were added,
    and databases order equal or differently cased last names each their own way.
    """
    contacts = sorted(contacts, key=lambda contact: (contact.last_name, contact.id))
    return contract.AccountRecord(
        **_stored(row),
        name=row.name,
        is_supplier=row.is_supplier,
        parent_id=row.parent_id,
        account_type=row.account_type,
        currency=currency,
        credit_limit=row.credit_limit,
        terms=row.default_terms,
        purchase_credit_limit=row.purchase_credit_limit,
        purchase_terms=row.default_purchase_terms,
        tax_code_id=row.tax_code_id,
        email=_text(row.email),
        phone_office=_text(row.phone_office),
        phone_alternate=_text(row.phone_alternate),
        phone_fax=_text(row.phone_fax),
        billing_address=_address(row, 'billing_address'),
        shipping_address=_address(row, 'shipping_address'),
        description=_text(row.description),
        contacts=tuple(_contact_record(contact, contact.id == row.primary_contact_id) for contact in contacts),
    )


def _address(row: Any, prefix: str) -> contract.Address:
    return contract.Address(
        street=_text(getattr(row, f'{prefix}_street')),
        city=_text(getattr(row, f'{prefix}_city')),
        region=_text(getattr(row, f'{prefix}_state')),
        postal_code=_text(getattr(row, f'{prefix}_postalcode')),
        country=_text(getattr(row, f'{prefix}_country')),
    )


def _set_address(row: Any, prefix: str, address: contract.Address) -> None:
    setattr(row, f'{prefix}_street', _or_none(address.street))
    setattr(row, f'{prefix}_city', _or_none(address.city))
    setattr(row, f'{prefix}_state', _or_none(address.region))
    setattr(row, f'{prefix}_postalcode', _or_none(address.postal_code))
    setattr(row, f'{prefix}_country', _or_none(address.country))


def _contact_record(contact: Any, is_primary: bool) -> contract.Contact:
    return contract.Contact(
        id=contact.id,
        first_name=_text(contact.first_name),
        last_name=contact.last_name,
        salutation=_text(contact.salutation),
        email=_text(contact.email),
        phone_work=_text(contact.phone_work),
        phone_mobile=_text(contact.phone_mobile),
        phone_other=_text(contact.phone_other),
        phone_fax=_text(contact.phone_fax),
        is_primary=is_primary,
    )


def _apply_contact(contact: Contact, data: contract.Contact) -> None:
    # QuickBooks may give a first name only; the CRM requires a last name (1CRM falls back the same way).
    contact.first_name = _or_none(data.first_name) if data.last_name else None
    contact.last_name = data.last_name or data.first_name
    contact.salutation = _or_none(data.salutation)
    contact.email = _or_none(data.email)
    contact.phone_work = _or_none(data.phone_work)
    contact.phone_mobile = _or_none(data.phone_mobile)
    contact.phone_other = _or_none(data.phone_other)
    contact.phone_fax = _or_none(data.phone_fax)


class ProductRepository(_Repository[Product, contract.ProductData, contract.ProductRecord]):
    """Products; their QuickBooks item name is the manufacturer part number."""

    model = Product

    def _load_options(self) -> Sequence[LoaderOption]:
        return (selectinload(Product.currency),)

    def find_by_part_number(self, part_number: str) -> tuple[contract.ProductRecord, ...]:
        return self._select_by(Product.manufacturer_part_no, part_number)

    def find_by_part_numbers(self, part_numbers: Collection[str]) -> dict[str, tuple[contract.ProductRecord, ...]]:
        return self._select_by_many(Product.manufacturer_part_no, part_numbers)

    def _to_record(self, row: Product) -> contract.ProductRecord:
        return contract.ProductRecord(
            **_stored(row),
            name=row.name,
            part_number=_text(row.manufacturer_part_no),
            currency=_iso(row.currency) or _base_currency(self.session),
            purchase_name=_text(row.purchase_name),
            description=_text(row.description),
            purchase_description=_text(row.purchase_description),
            track_inventory=row.track_inventory is not TrackInventory.UNTRACKED,
            list_price=row.list_price,
            purchase_price=row.purchase_price,
            cost=row.cost,
            quantity_in_stock=row.in_stock,
            supplier_id=row.supplier_id,
            tax_code_id=row.tax_code_id,
            is_active=row.is_active,
        )

    def _apply(self, row: Product, data: contract.ProductData) -> None:
        self._live(Account, data.supplier_id)
        self._live(TaxCode, data.tax_code_id)
        if sa.inspect(row).transient:
            row.product_category_id = self._live(ProductCategory, data.category_id) and data.category_id
            row.product_type_id = self._live(ProductType, data.type_id) and data.type_id
            row.warehouse_id = self._live(Warehouse, data.warehouse_id) and data.warehouse_id
        row.name = data.name
        row.manufacturer_part_no = data.part_number
        row.currency_id = self._currency_id(data.currency)
        row.purchase_name = _or_none(data.purchase_name)
        row.description = _or_none(data.description)
        row.purchase_description = _or_none(data.purchase_description)
        if not data.track_inventory:
            row.track_inventory = TrackInventory.UNTRACKED
        elif row.track_inventory in (None, TrackInventory.UNTRACKED):
            row.track_inventory = TrackInventory.MANUAL
        for attribute, value in (
            ('list_price', data.list_price),
            ('purchase_price', data.purchase_price),
            ('cost', data.cost),
            ('in_stock', data.quantity_in_stock),
        ):
            if value is not None:
                setattr(row, attribute, value)
        row.supplier_id = data.supplier_id
        row.tax_code_id = data.tax_code_id
        row.is_active = data.is_active


class AssemblyRepository(_Repository[Assembly, contract.AssemblyData, contract.AssemblyRecord]):
    """Assemblies and their component products."""

    model = Assembly

    def _load_options(self) -> Sequence[LoaderOption]:
        return (selectinload(Assembly.components),)

    def find_by_part_number(self, part_number: str) -> tuple[contract.AssemblyRecord, ...]:
        return self._select_by(Assembly.manufacturer_part_no, part_number)

    def find_by_part_numbers(self, part_numbers: Collection[str]) -> dict[str, tuple[contract.AssemblyRecord, ...]]:
        return self._select_by_many(Assembly.manufacturer_part_no, part_numbers)

    def _to_record(self, row: Assembly) -> contract.AssemblyRecord:
        return contract.AssemblyRecord(
            **_stored(row),
            name=row.name,
            part_number=_text(row.manufacturer_part_no),
            description=_text(row.description),
            components=tuple(
                contract.AssemblyComponent(component.product_id, component.quantity)
                for component in row.components
                if not component.deleted
            ),
            is_active=row.is_active,
        )

    def _apply(self, row: Assembly, data: contract.AssemblyData) -> None:
        for component in data.components:
            self._live(Product, component.product_id)
        row.name = data.name
        row.manufacturer_part_no = data.part_number
        row.description = _or_none(data.description)
        row.is_active = data.is_active
        row.components = [
            AssemblyComponent(product_id=component.product_id, quantity=component.quantity, position=position)
            for position, component in enumerate(data.components)
        ]


class DiscountRepository(_Repository[Discount, contract.DiscountData, contract.DiscountRecord]):
    """Discounts: percentages or fixed amounts."""

    model = Discount

    def _load_options(self) -> Sequence[LoaderOption]:
        return (selectinload(Discount.currency),)

    def _to_record(self, row: Discount) -> contract.DiscountRecord:
        percentage = row.discount_type is DiscountType.PERCENTAGE
        return contract.DiscountRecord(
            **_stored(row),
            name=row.name,
            kind=contract.DiscountKind.PERCENTAGE if percentage else contract.DiscountKind.FIXED,
            value=(row.rate if percentage else row.fixed_amount) or Decimal(0),
            currency=None if percentage else _iso(row.currency),
            description=_text(row.description),
            is_active=row.is_active,
        )

    def _apply(self, row: Discount, data: contract.DiscountData) -> None:
        percentage = data.kind is contract.DiscountKind.PERCENTAGE
        row.name = data.name
        row.description = _or_none(data.description)
        row.discount_type = DiscountType.PERCENTAGE if percentage else DiscountType.FIXED
        row.rate = data.value if percentage else None
        row.fixed_amount = None if percentage else data.value
        row.currency_id = None if percentage else self._currency_id(data.currency)
        row.is_active = data.is_active


class TaxRateRepository(_Repository[TaxRate, contract.TaxRateData, contract.TaxRateRecord]):
    """Tax rates."""

    model = TaxRate

    def _to_record(self, row: TaxRate) -> contract.TaxRateRecord:
        return contract.TaxRateRecord(
            **_stored(row), name=row.name, rate=row.rate, compounding=row.is_compound, is_active=row.is_active
        )

    def _apply(self, row: TaxRate, data: contract.TaxRateData) -> None:
        row.name = data.name
        row.rate = data.rate
        row.is_compound = data.compounding
        row.is_active = data.is_active


class TaxCodeRepository(_Repository[TaxCode, contract.TaxCodeData, contract.TaxCodeRecord]):
    """Tax codes, looked up by their short code."""

    model = TaxCode
    name_column = 'code'

    def _to_record(self, row: TaxCode) -> contract.TaxCodeRecord:
        return contract.TaxCodeRecord(
            **_stored(row),
            code=row.code,
            name=row.name,
            taxable=row.taxable,
            exempt=row.is_exempt,
            rate_ids=tuple(rate.id for rate in row.rates),
            is_active=row.is_active,
        )

    def _apply(self, row: TaxCode, data: contract.TaxCodeData) -> None:
        for rate_id in data.rate_ids:
            self._live(TaxRate, rate_id)
        row.code = data.code
        row.name = data.name
        row.taxable = data.taxable
        row.is_exempt = data.exempt
        row.is_active = data.is_active
        # The rates live in an association table the code's timestamp does not see: move it by hand.
        row.date_modified = utc_now()
        self.session.add(row)
        self.session.flush()
        self.session.execute(sa.delete(TaxCodeRate).where(TaxCodeRate.tax_code_id == row.id))
        self.session.add_all(
            TaxCodeRate(tax_code_id=row.id, tax_rate_id=rate_id, position=position)
            for position, rate_id in enumerate(data.rate_ids)
        )
        self.session.flush()
        self.session.expire(row, ['rates'])


class CurrencyRepository(_Repository[Currency, contract.CurrencyData, contract.CurrencyRecord]):
    """Currencies, looked up by ISO code."""

    model = Currency
    name_column = 'iso4217'

    def base_currency(self) -> str:
        return _base_currency(self.session)

    def _to_record(self, row: Currency) -> contract.CurrencyRecord:
        return contract.CurrencyRecord(
            **_stored(row),
            iso_code=row.iso4217,
            name=row.name,
            symbol=row.symbol,
            conversion_rate=row.conversion_rate,
            is_active=row.is_active,
        )

    def _apply(self, row: Currency, data: contract.CurrencyData) -> None:
        _transaction_cache(self.session(), CURRENCY_IDS).clear()
        row.iso4217 = data.iso_code.upper()
        row.name = data.name
        row.symbol = data.symbol
        row.conversion_rate = data.conversion_rate
        row.is_active = data.is_active


def _base_currency(session: Any) -> str:
    query = sa.select(Currency.iso4217).where(Currency.is_base.is_(True), Currency.deleted.is_(False))
    iso_code = session.scalar(query)
    if iso_code is None:
        raise LookupError('the CRM has no base currency')
    return iso_code


class ShippingProviderRepository(
    _Repository[ShippingProvider, contract.ShippingProviderData, contract.ShippingProviderRecord]
):
    """Shipping providers."""

    model = ShippingProvider

    def _to_record(self, row: ShippingProvider) -> contract.ShippingProviderRecord:
        return contract.ShippingProviderRecord(**_stored(row), name=row.name, is_active=row.is_active)

    def _apply(self, row: ShippingProvider, data: contract.ShippingProviderData) -> None:
        row.name = data.name
        row.is_active = data.is_active


class ExpenseCategoryRepository(
    _Repository[ExpenseCategory, contract.ExpenseCategoryData, contract.ExpenseCategoryRecord]
):
    """The booking categories that book expenses (service categories are not QuickBooks accounts)."""

    model = ExpenseCategory

    def _scope(self) -> Sequence[sa.ColumnElement[bool]]:
        return (ExpenseCategory.booking_class == BookingClass.EXPENSES,)

    def _to_record(self, row: ExpenseCategory) -> contract.ExpenseCategoryRecord:
        return contract.ExpenseCategoryRecord(**_stored(row), name=row.name, is_active=row.is_active)

    def _apply(self, row: ExpenseCategory, data: contract.ExpenseCategoryData) -> None:
        row.name = data.name
        row.booking_class = BookingClass.EXPENSES
        row.is_active = data.is_active


class ProductCategoryRepository:
    """Catalogue categories, read only."""

    def __init__(self, database: SQLAlchemy) -> None:
        self._db = database

    def all(self) -> tuple[contract.ProductCategoryRecord, ...]:
        rows = self._db.session.scalars(
            sa.select(ProductCategory).where(ProductCategory.deleted.is_(False)).order_by(ProductCategory.name)
        )
        return tuple(contract.ProductCategoryRecord(row.id, row.name, row.parent_id) for row in rows)


class ProductTypeRepository:
    """Product types, read only."""

    def __init__(self, database: SQLAlchemy) -> None:
        self._db = database

    def all(self) -> tuple[contract.ProductTypeRecord, ...]:
        rows = self._db.session.scalars(
            sa.select(ProductType).where(ProductType.deleted.is_(False)).order_by(ProductType.name)
        )
        return tuple(contract.ProductTypeRecord(row.id, row.name, row.category_id) for row in rows)


class WarehouseRepository:
    """Warehouses, read only; inactive ones are not offered."""

    def __init__(self, database: SQLAlchemy) -> None:
        self._db = database

    def all(self) -> tuple[contract.WarehouseRecord, ...]:
        rows = self._db.session.scalars(
            sa.select(Warehouse)
            .where(Warehouse.deleted.is_(False), Warehouse.is_active.is_(True))
            .order_by(Warehouse.is_main.desc(), Warehouse.name)
        )
        return tuple(contract.WarehouseRecord(row.id, row.name, row.is_main) for row in rows)


class DropdownRepository:
    """The CRM's editable dropdown lists."""

    def __init__(self, database: SQLAlchemy) -> None:
        self._db = database

    def _live_options(self, list_name: contract.DropdownList) -> list[DropdownOption]:
        query = (
            sa.select(DropdownOption)
            .where(DropdownOption.list_name == DROPDOWN_LISTS[list_name], DropdownOption.deleted.is_(False))
            .order_by(DropdownOption.position, DropdownOption.label)
        )
        return list(self._db.session.scalars(query))

    def options(self, list_name: contract.DropdownList) -> tuple[contract.DropdownOption, ...]:
        options = self._live_options(list_name)
        return tuple(contract.DropdownOption(option.value_key, option.label) for option in options)

    def add_option(self, list_name: contract.DropdownList, label: str) -> str:
        existing = self._live_options(list_name)
        for option in existing:
            if option.label.casefold() == label.casefold():
                return option.value_key
        all_keys = set(
            self._db.session.scalars(
                sa.select(DropdownOption.value_key).where(DropdownOption.list_name == DROPDOWN_LISTS[list_name])
            )
        )
        key, suffix = label, 2
        while key in all_keys:
            key, suffix = f'{label} {suffix}', suffix + 1
        position = max((option.position for option in existing), default=-1) + 1
        self._db.session.add(
            DropdownOption(list_name=DROPDOWN_LISTS[list_name], value_key=key, label=label, position=position)
        )
        self._db.session.flush()
        return key


class _DocumentOwners(_Repository[Invoice | Bill, None, contract.DocumentOwnerRecord]):
    """The change feed of one kind of document, each reduced to its account.

    Only the change feed of the shared machinery is used: documents are not written through
    this part of the contract.
    """

    def __init__(self, model: type[Invoice | Bill], database: SQLAlchemy, settle: timedelta) -> None:
        super().__init__(database, settle)
        self.model = model

    def _to_record(self, row: Invoice | Bill) -> contract.DocumentOwnerRecord:
        return contract.DocumentOwnerRecord(**_stored(row), account_id=row.account_id)

    def _load_options(self) -> Sequence[LoaderOption]:
        return (load_only(self.model.account_id, self.model.date_modified, self.model.deleted),)


class AccountDocumentRepository:
    """Which accounts have invoices or bills, and the documents' change feed that says when that changes."""

    MODELS: ClassVar[dict[contract.DocumentKind, type[Invoice | Bill]]] = {
        contract.DocumentKind.INVOICE: Invoice,
        contract.DocumentKind.BILL: Bill,
    }

    def __init__(self, database: SQLAlchemy, settle: timedelta) -> None:
        self._db = database
        self._feeds = {kind: _DocumentOwners(model, database, settle) for kind, model in self.MODELS.items()}

    def accounts_with(self, kind: contract.DocumentKind, account_ids: Collection[str]) -> frozenset[str]:
        model = self.MODELS[kind]
        ids = list(dict.fromkeys(account_ids))
        found: set[str] = set()
        for start in range(0, len(ids), GET_MANY_CHUNK):
            query = sa.select(model.account_id).where(
                model.account_id.in_(ids[start : start + GET_MANY_CHUNK]), model.deleted.is_(False)
            )
            found.update(self._db.session.scalars(query.distinct()))
        return frozenset(found)

    def changed_since(
        self, kind: contract.DocumentKind, cursor: str | None, limit: int
    ) -> contract.ChangePage[contract.DocumentOwnerRecord]:
        return self._feeds[kind].changed_since(cursor, limit)


class CrmHost:
    """hostcrm implementing ``onecrm_finance_qb.host.Host`` (contract version 1)."""

    #: The contract version this class implements (not the newest the plugin knows).
    api_version = 1
    base_template = 'base.html'

    def __init__(self, app: Flask, database: SQLAlchemy) -> None:
        self._app = app
        self.version: str = app.config['HOSTCRM_VERSION']
        self.db = database
        settle = timedelta(seconds=app.config[SETTLE_KEY])
        self.accounts = AccountRepository(database, settle)
        self.products = ProductRepository(database, settle)
        self.assemblies = AssemblyRepository(database, settle)
        self.discounts = DiscountRepository(database, settle)
        self.tax_rates = TaxRateRepository(database, settle)
        self.tax_codes = TaxCodeRepository(database, settle)
        self.currencies = CurrencyRepository(database, settle)
        self.shipping_providers = ShippingProviderRepository(database, settle)
        self.expense_categories = ExpenseCategoryRepository(database, settle)
        self.product_categories = ProductCategoryRepository(database)
        self.product_types = ProductTypeRepository(database)
        self.warehouses = WarehouseRepository(database)
        self.dropdowns = DropdownRepository(database)
        self.account_documents = AccountDocumentRepository(database, settle)

    def is_admin(self) -> bool:
        return bool(current_user and current_user.is_authenticated and current_user.is_admin)

    def register_tab(self, key: str, label: Any, endpoint: str, group: str = 'Other', admin_only: bool = True) -> None:
        register_tab(self._app, Tab(key=key, label=label, endpoint=endpoint, group=group, admin_only=admin_only))

    def current_locale(self) -> str:
        return i18n.current_locale()

    def gettext(self, message: str) -> str:
        return i18n.gettext(message)

    def record_url(self, kind: str, record_id: str) -> str | None:
        screen = RECORD_SCREENS.get(kind)
        return url_for(f'{screen}.edit_view', id=record_id) if screen else None


def make_host(app: Flask) -> CrmHost:
    """The host object the Module Loader passes to ``FinanceQB().init_app(app, host=...)``."""
    app.config.setdefault(SETTLE_KEY, DEFAULT_SETTLE_SECONDS)
    return CrmHost(app, db)
