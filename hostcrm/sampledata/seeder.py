"""Fill an empty CRM with plausible sample records, quickly and reproducibly.

Everything is drawn from one ``random.Random(seed_value)``, ids included, so the same seed on
an empty database gives the same records. Rows are built in memory and written with bulk
``INSERT`` statements (one executemany per table), which keeps tens of thousands of accounts
and products within seconds. Seeding refuses to run on a CRM that already has accounts or
products, rather than mixing sample data into real data.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from unidecode import unidecode

from hostcrm import models
from hostcrm.extensions import db
from hostcrm.models import (
    Account,
    AdjustmentType,
    Contact,
    Currency,
    DocumentMixin,
    DropdownList,
    DropdownOption,
    LineType,
    PaymentDirection,
    Product,
    TaxCode,
    TrackInventory,
    utc_now,
)
from hostcrm.sampledata import catalog, words
from hostcrm.sampledata.reference import install_reference_data

CENT = Decimal('0.01')
HUNDRED = Decimal(100)


class SeedRefusedError(Exception):
    """The database already holds records, so sample data would mix with them."""


@dataclass(frozen=True)
class SeedSizes:
    """How many records of each kind to create."""

    accounts: int = 100
    products: int = 100
    assemblies: int = 10
    quotes: int = 50
    invoices: int = 200
    credit_notes: int = 20
    bills: int = 50
    payments: int = 150


@dataclass(frozen=True)
class DocumentKind:
    """The four tables of a document kind, its number prefix and first number."""

    header: type[DocumentMixin]
    group: type[Any]
    line: type[Any]
    adjustment: type[Any]
    prefix: str
    first_number: int = 1001


QUOTES = DocumentKind(models.Quote, models.QuoteLineGroup, models.QuoteLine, models.QuoteAdjustment, 'Q-')
INVOICES = DocumentKind(models.Invoice, models.InvoiceLineGroup, models.InvoiceLine, models.InvoiceAdjustment, 'INV-')
CREDIT_NOTES = DocumentKind(
    models.CreditNote, models.CreditNoteLineGroup, models.CreditNoteLine, models.CreditNoteAdjustment, 'CN-'
)
BILLS = DocumentKind(models.Bill, models.BillLineGroup, models.BillLine, models.BillAdjustment, 'BILL-')


def money(value: Decimal) -> Decimal:
    """Rounded to the cent, half up, as invoices are."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def seed_database(session: Session, sizes: SeedSizes, seed_value: int = 1, today: date | None = None) -> dict[str, int]:
    """Create sample records; returns the number of rows written per table.

    Raises :class:`SeedRefusedError` when accounts or products already exist.
    """
    for model in (Account, Product):
        if session.scalar(sa.select(model.id).limit(1)) is not None:
            raise SeedRefusedError(f'the {model.__tablename__} table is not empty')
    install_reference_data(session)
    generator = _SampleData(session, random.Random(seed_value), utc_now(), today or date.today())
    generator.generate(sizes)
    generator.write()
    session.commit()
    return {table: len(rows) for table, rows in generator.rows.items() if rows}


@dataclass
class _Document:
    """A generated document header row with its account, for payments to refer to."""

    row: dict[str, Any]
    account: dict[str, Any]


@dataclass
class _SampleData:
    """Builds rows for every table in memory, then writes them in dependency order."""

    session: Session
    rng: random.Random
    now: datetime
    today: date
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    models_by_table: dict[str, type[Any]] = field(default_factory=dict)

    # -- helpers -------------------------------------------------------------------------

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, model: type[Any], **values: Any) -> dict[str, Any]:
        """Queue a row of ``model`` with a generated id and the shared timestamps."""
        row = {'id': self.new_id(), 'date_entered': self.now, 'date_modified': self.now, 'deleted': False, **values}
        self.models_by_table[model.__tablename__] = model
        self.rows.setdefault(model.__tablename__, []).append(row)
        return row

    def price(self, low: int, high: int) -> Decimal:
        return money(Decimal(self.rng.randint(low * 100, high * 100)) / HUNDRED)

    def past_date(self, max_days: int) -> date:
        return self.today - timedelta(days=self.rng.randint(0, max_days))

    def pattern(self, template: str) -> str:
        """Fill ``#`` with digits and ``A`` with capital letters (postal codes)."""
        return ''.join(
            str(self.rng.randint(0, 9))
            if char == '#'
            else self.rng.choice(string.ascii_uppercase)
            if char == 'A'
            else char
            for char in template
        )

    def phone(self) -> str:
        return f'({self.rng.randint(200, 989)}) {self.rng.randint(200, 999)}-{self.rng.randint(0, 9999):04d}'

    def address(self, prefix: str) -> dict[str, str]:
        city, state, postal, country = self.rng.choice(words.CITIES)
        street = (
            f'{self.rng.randint(1, 9999)} {self.rng.choice(words.STREET_NAMES)} {self.rng.choice(words.STREET_KINDS)}'
        )
        if self.rng.random() < 0.15:
            street += f'\nSuite {self.rng.randint(100, 2500)}'
        return {
            f'{prefix}_street': street,
            f'{prefix}_city': city,
            f'{prefix}_state': state,
            f'{prefix}_postalcode': self.pattern(postal),
            f'{prefix}_country': country,
        }

    def option_keys(self, list_name: DropdownList) -> list[str]:
        query = sa.select(DropdownOption.value_key).where(DropdownOption.list_name == list_name.value)
        return list(self.session.scalars(query.order_by(DropdownOption.position)))

    # -- generation ----------------------------------------------------------------------

    def generate(self, sizes: SeedSizes) -> None:
        self.terms = self.option_keys(DropdownList.TERMS)
        self.payment_types = self.option_keys(DropdownList.PAYMENT_TYPES)
        self.salutations = self.option_keys(DropdownList.SALUTATIONS)
        self.exempt_code_id = self.session.scalar(sa.select(TaxCode.id).where(TaxCode.is_exempt.is_(True)))
        self.setup_lists()
        self.accounts(sizes.accounts)
        self.products(sizes.products)
        self.assemblies(sizes.assemblies)
        self.quotes = self.documents(QUOTES, sizes.quotes, self.customers)
        self.invoices = self.documents(INVOICES, sizes.invoices, self.customers)
        self.credit_notes = self.documents(CREDIT_NOTES, sizes.credit_notes, self.customers)
        self.bills = self.documents(BILLS, sizes.bills, self.suppliers)
        self.link_credit_notes()
        self.payments(sizes.payments)

    def setup_lists(self) -> None:
        base = self.session.scalar(sa.select(Currency).where(Currency.is_base.is_(True)))
        assert base is not None, 'install_reference_data creates the base currency'
        self.currencies: dict[str, tuple[str, Decimal]] = {base.iso4217: (base.id, Decimal(1))}
        for code, name, symbol, rate in catalog.CURRENCIES:
            if code not in self.currencies:
                row = self.add(Currency, iso4217=code, name=name, symbol=symbol, conversion_rate=rate, is_base=False)
                self.currencies[code] = (row['id'], rate)
        self.base_currency = base.iso4217
        rates = {
            name: self.add(models.TaxRate, name=name, rate=rate, is_compound=compound, position=position)
            for position, (name, rate, compound) in enumerate(catalog.TAX_RATES)
        }
        self.tax_codes: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        for position, (code, name, rate_names) in enumerate(catalog.TAX_CODES, start=1):
            row = self.add(TaxCode, code=code, name=name, taxable=True, is_exempt=False, position=position)
            applied = [rates[rate_name] for rate_name in rate_names]
            self.tax_codes[code] = (row['id'], applied)
            for order, rate in enumerate(applied):
                self.rows.setdefault(models.TaxCodeRate.__tablename__, []).append(
                    {'tax_code_id': row['id'], 'tax_rate_id': rate['id'], 'position': order}
                )
                self.models_by_table[models.TaxCodeRate.__tablename__] = models.TaxCodeRate
        self.categories = []
        for name, prefix, type_names in catalog.CATEGORIES:
            category = self.add(models.ProductCategory, name=name)
            types = [
                self.add(models.ProductType, name=type_name, category_id=category['id']) for type_name in type_names
            ]
            self.categories.append((category, prefix, types))
        self.warehouses = [
            self.add(models.Warehouse, name=name, is_main=is_main, **self.address('billing_address'))
            for name, is_main in catalog.WAREHOUSES
        ]
        self.shipping_providers = [self.add(models.ShippingProvider, name=name) for name in catalog.SHIPPING_PROVIDERS]
        self.expense_categories = [
            self.add(models.ExpenseCategory, name=name, booking_class=booking_class)
            for name, booking_class in catalog.EXPENSE_CATEGORIES
        ]
        base_id = self.currencies[self.base_currency][0]
        self.discounts = [
            self.add(
                models.Discount,
                name=name,
                discount_type=kind,
                rate=value if kind == 'percentage' else None,
                fixed_amount=value if kind == 'fixed' else None,
                currency_id=base_id if kind == 'fixed' else None,
            )
            for name, kind, value in catalog.DISCOUNTS
        ]

    def unique_company_names(self, count: int) -> Iterable[str]:
        seen: set[str] = set()
        while len(seen) < count:
            name = (
                f'{self.rng.choice(words.COMPANY_WORDS)} {self.rng.choice(words.COMPANY_TRADES)} '
                f'{self.rng.choice(words.COMPANY_SUFFIXES)}'
            )
            if name in seen:
                name = f'{name} {len(seen)}'
            seen.add(name)
            yield name

    def accounts(self, count: int) -> None:
        self.customers: list[dict[str, Any]] = []
        self.suppliers: list[dict[str, Any]] = []
        currency_codes = [code for code in self.currencies if code != self.base_currency]
        for name in self.unique_company_names(count):
            is_supplier = self.rng.random() < 0.2
            code = (
                self.base_currency if self.rng.random() < 0.8 or not currency_codes else self.rng.choice(currency_codes)
            )
            slug = ''.join(char for char in name.lower() if char.isalnum())[:20]
            billing = self.address('billing_address')
            parent = (
                self.rng.choice(self.customers)
                if self.customers and not is_supplier and self.rng.random() < 0.05
                else None
            )
            account = self.add(
                Account,
                name=name,
                account_type='Supplier'
                if is_supplier
                else self.rng.choice(('Customer', 'Customer', 'Reseller', 'Partner')),
                is_supplier=is_supplier,
                parent_id=parent['id'] if parent else None,
                phone_office=self.phone(),
                phone_alternate=self.phone() if self.rng.random() < 0.3 else None,
                phone_fax=self.phone() if self.rng.random() < 0.2 else None,
                email=f'info@{slug}.example.com',
                website=f'https://www.{slug}.example.com',
                credit_limit=Decimal(self.rng.choice((0, 5000, 10000, 25000, 50000))),
                purchase_credit_limit=Decimal(self.rng.choice((5000, 20000))) if is_supplier else None,
                currency_id=self.currencies[code][0],
                default_terms=self.rng.choice(self.terms),
                default_purchase_terms=self.rng.choice(self.terms) if is_supplier else None,
                tax_code_id=self.tax_codes[self.rng.choice(list(self.tax_codes))][0],
                balance=Decimal(0),
                description=None
                if self.rng.random() < 0.7
                else f'{name} has been a client since {self.today.year - self.rng.randint(1, 15)}.',
                **billing,
                **(self.address('shipping_address') if self.rng.random() < 0.3 else _as_shipping(billing)),
            )
            (self.suppliers if is_supplier else self.customers).append(account)
            self.contacts(account, slug)

    def contacts(self, account: dict[str, Any], slug: str) -> None:
        for position in range(self.rng.choice((1, 1, 2, 2, 3))):
            first, last = self.rng.choice(words.FIRST_NAMES), self.rng.choice(words.LAST_NAMES)
            contact = self.add(
                Contact,
                salutation=self.rng.choice(self.salutations),
                first_name=first,
                last_name=last,
                title=self.rng.choice(words.TITLES),
                email=f'{_ascii_slug(first)}.{_ascii_slug(last)}@{slug}.example.com',
                phone_work=account['phone_office'],
                phone_mobile=self.phone(),
                account_id=account['id'],
                primary_address_street=account['billing_address_street'],
                primary_address_city=account['billing_address_city'],
                primary_address_state=account['billing_address_state'],
                primary_address_postalcode=account['billing_address_postalcode'],
                primary_address_country=account['billing_address_country'],
            )
            if position == 0:
                account['_primary_contact_id'] = contact['id']

    def products(self, count: int) -> None:
        self.product_rows: list[dict[str, Any]] = []
        base_id = self.currencies[self.base_currency][0]
        for number in range(1, count + 1):
            category, prefix, types = self.rng.choice(self.categories)
            is_service = prefix == 'SV'
            name = (
                f'{self.rng.choice(words.SERVICE_NAMES)} {self.rng.choice(words.PRODUCT_SPECS)}'
                if is_service
                else f'{self.rng.choice(words.PRODUCT_ADJECTIVES)} {self.rng.choice(words.PRODUCT_NOUNS)} '
                f'{self.rng.choice(words.PRODUCT_SPECS)}'
            )
            list_price = self.price(5, 2000)
            cost = money(list_price * Decimal(self.rng.randint(40, 75)) / HUNDRED)
            tracking = TrackInventory.UNTRACKED if is_service else self.rng.choice(list(TrackInventory))
            supplier = self.rng.choice(self.suppliers) if self.suppliers and not is_service else None
            self.product_rows.append(
                self.add(
                    Product,
                    manufacturer_part_no=f'{prefix}-{number:06d}',
                    vendor_part_no=f'V{self.rng.randint(10000, 99999)}' if supplier else None,
                    name=name,
                    purchase_name=name if self.rng.random() < 0.8 else f'{name} (bulk)',
                    description=f'{name}, {category["name"].lower()} line.',
                    list_price=list_price,
                    cost=cost,
                    purchase_price=cost,
                    currency_id=base_id,
                    track_inventory=tracking,
                    in_stock=Decimal(0) if tracking is TrackInventory.UNTRACKED else Decimal(self.rng.randint(0, 500)),
                    tax_code_id=self.tax_codes['S'][0],
                    supplier_id=supplier['id'] if supplier else None,
                    product_category_id=category['id'],
                    product_type_id=self.rng.choice(types)['id'],
                    warehouse_id=self.warehouses[0]['id'],
                    is_active=self.rng.random() < 0.95,
                    is_available=True,
                )
            )

    def assemblies(self, count: int) -> None:
        if len(self.product_rows) < 2:
            return
        base_id = self.currencies[self.base_currency][0]
        for number in range(1, count + 1):
            components = self.rng.sample(self.product_rows, k=min(len(self.product_rows), self.rng.randint(2, 4)))
            quantities = [Decimal(self.rng.randint(1, 3)) for _ in components]
            assembly = self.add(
                models.Assembly,
                manufacturer_part_no=f'KIT-{number:05d}',
                name=f'{self.rng.choice(words.PRODUCT_ADJECTIVES)} {self.rng.choice(words.PRODUCT_NOUNS)} Kit',
                list_price=sum((c['list_price'] * q for c, q in zip(components, quantities, strict=True)), Decimal(0)),
                cost=sum((c['cost'] * q for c, q in zip(components, quantities, strict=True)), Decimal(0)),
                purchase_price=sum(
                    (c['purchase_price'] * q for c, q in zip(components, quantities, strict=True)), Decimal(0)
                ),
                currency_id=base_id,
                is_active=True,
            )
            for position, (component, quantity) in enumerate(zip(components, quantities, strict=True)):
                self.add(
                    models.AssemblyComponent,
                    assembly_id=assembly['id'],
                    product_id=component['id'],
                    quantity=quantity,
                    position=position,
                )

    def documents(self, kind: DocumentKind, count: int, accounts: list[dict[str, Any]]) -> list[_Document]:
        if not accounts or not self.product_rows:
            return []
        created = []
        for offset in range(count):
            account = self.rng.choice(accounts)
            issued = self.past_date(730)
            header = self.add(
                kind.header,
                prefix=kind.prefix,
                number=kind.first_number + offset,
                name=f'{account["name"][:120]} - {self.rng.choice(words.PRODUCT_NOUNS).lower()}s',
                account_id=account['id'],
                contact_id=account.get('_primary_contact_id'),
                issue_date=issued,
                currency_id=account['currency_id'],
                exchange_rate=self.rate_of(account['currency_id']),
                terms=account['default_purchase_terms' if kind is BILLS else 'default_terms'],
                shipping_provider_id=self.rng.choice(self.shipping_providers)['id'] if kind is not BILLS else None,
                status=kind.header.STATUSES[0],
                **{key: account[key] for key in account if key.startswith(('billing_address_', 'shipping_address_'))},
                **self.kind_fields(kind, issued),
            )
            self.document_body(kind, header, account)
            created.append(_Document(header, account))
        return created

    def kind_fields(self, kind: DocumentKind, issued: date) -> dict[str, Any]:
        due = issued + timedelta(days=self.rng.choice((0, 15, 30, 45)))
        if kind is QUOTES:
            return {'valid_until': issued + timedelta(days=30)}
        if kind is BILLS:
            return {'due_date': due, 'supplier_reference': f'S{self.rng.randint(100000, 999999)}'}
        po = f'PO-{self.rng.randint(1000, 99999)}' if self.rng.random() < 0.4 else None
        return {'due_date': due, 'purchase_order_num': po}

    def rate_of(self, currency_id: str) -> Decimal:
        return next(rate for currency, rate in self.currencies.values() if currency == currency_id)

    def document_body(self, kind: DocumentKind, header: dict[str, Any], account: dict[str, Any]) -> None:
        """One line group of products (bills: sometimes expenses), with discount, taxes and shipping."""
        group = self.add(kind.group, document_id=header['id'], name='', position=0, group_type='products')
        subtotal = Decimal(0)
        is_bill = kind is BILLS
        tax_code_id, rates = next(
            ((code_id, applied) for code_id, applied in self.tax_codes.values() if code_id == account['tax_code_id']),
            (self.exempt_code_id, []),
        )
        for position in range(self.rng.randint(1, 5)):
            if is_bill and self.rng.random() < 0.3:
                category = self.rng.choice(self.expense_categories)
                line_values = {
                    'line_type': LineType.EXPENSE,
                    'expense_category_id': category['id'],
                    'name': category['name'],
                }
                unit_price, quantity = self.price(20, 800), Decimal(1)
            else:
                product = self.rng.choice(self.product_rows)
                line_values = {'line_type': LineType.PRODUCT, 'product_id': product['id'], 'name': product['name']}
                unit_price = product['purchase_price' if is_bill else 'list_price']
                quantity = Decimal(self.rng.randint(1, 20))
                line_values |= {'list_price': product['list_price'], 'cost_price': product['cost']}
            ext_price = money(unit_price * quantity)
            subtotal += ext_price
            self.add(
                kind.line,
                group_id=group['id'],
                position=position,
                quantity=quantity,
                unit_price=unit_price,
                ext_price=ext_price,
                tax_code_id=tax_code_id,
                **line_values,
            )
        position = 0
        discount_total = Decimal(0)
        if not is_bill and self.rng.random() < 0.2:
            discount = self.rng.choice([d for d in self.discounts if d['discount_type'] == 'percentage'])
            discount_total = money(subtotal * discount['rate'] / HUNDRED)
            self.add(
                kind.adjustment,
                group_id=group['id'],
                position=position,
                adjustment_type=AdjustmentType.DISCOUNT,
                name=discount['name'],
                discount_id=discount['id'],
                rate=discount['rate'],
                amount=discount_total,
            )
            position += 1
        tax_total = Decimal(0)
        for rate in rates:
            base = subtotal - discount_total + (tax_total if rate['is_compound'] else Decimal(0))
            amount = money(base * rate['rate'] / HUNDRED)
            tax_total += amount
            position += 1
            self.add(
                kind.adjustment,
                group_id=group['id'],
                position=position,
                adjustment_type=AdjustmentType.TAX,
                name=rate['name'],
                tax_rate_id=rate['id'],
                rate=rate['rate'],
                amount=amount,
            )
        shipping = self.price(10, 80) if not is_bill and self.rng.random() < 0.3 else Decimal(0)
        if shipping:
            self.add(
                kind.adjustment,
                group_id=group['id'],
                position=position + 1,
                adjustment_type=AdjustmentType.SHIPPING,
                name='Shipping',
                tax_code_id=self.exempt_code_id,
                amount=shipping,
            )
        total = subtotal - discount_total + tax_total + shipping
        group |= {'subtotal': subtotal, 'amount': total}
        header |= {
            'subtotal': subtotal,
            'discount_total': discount_total,
            'tax_total': tax_total,
            'shipping_total': shipping,
            'amount': total,
        }
        if 'due_date' in header:
            header['amount_due'] = total

    def link_credit_notes(self) -> None:
        invoices_by_account: dict[str, list[_Document]] = {}
        for invoice in self.invoices:
            invoices_by_account.setdefault(invoice.account['id'], []).append(invoice)
        for note in self.credit_notes:
            candidates = invoices_by_account.get(note.account['id'])
            if candidates:
                note.row['invoice_id'] = self.rng.choice(candidates).row['id']
                note.row['apply_credit_note'] = self.rng.random() < 0.5

    def payments(self, count: int) -> None:
        """Incoming payments on invoices, outgoing ones on bills, refunds of credit notes."""
        plans = (
            (self.invoices, PaymentDirection.INCOMING, False, 'invoice_id', 'PAY-'),
            (self.bills, PaymentDirection.OUTGOING, False, 'bill_id', 'PAYOUT-'),
            (self.credit_notes, PaymentDirection.CREDIT, True, 'credit_note_id', 'REF-'),
        )
        shares = (Decimal('0.7'), Decimal('0.25'), Decimal('0.05'))
        for (documents, direction, refund, target, prefix), share in zip(plans, shares, strict=True):
            open_documents = [document for document in documents if document.row['amount'] > 0]
            self.rng.shuffle(open_documents)
            wanted = min(len(open_documents), int(count * share))
            for number, document in enumerate(open_documents[:wanted], start=1):
                amount = document.row['amount_due']
                if self.rng.random() < 0.25:
                    amount = money(amount * Decimal(self.rng.randint(20, 80)) / HUNDRED)
                payment = self.add(
                    models.Payment,
                    prefix=prefix,
                    number=number,
                    direction=direction,
                    refund=refund,
                    account_id=document.account['id'],
                    amount=amount,
                    currency_id=document.row['currency_id'],
                    exchange_rate=document.row['exchange_rate'],
                    payment_type=self.rng.choice(self.payment_types),
                    payment_date=min(self.today, document.row['issue_date'] + timedelta(days=self.rng.randint(0, 45))),
                    customer_reference=f'{self.rng.randint(1000, 999999)}',
                    notes=None,
                )
                self.add(
                    models.PaymentAllocation, payment_id=payment['id'], **{target: document.row['id']}, amount=amount
                )
                document.row['amount_due'] -= amount
                if target != 'credit_note_id':
                    document.row['status'] = 'Paid' if document.row['amount_due'] == 0 else 'Partially Paid'
                else:
                    document.row['status'] = 'Refunded'
        for invoice in self.invoices:
            invoice.account['balance'] += invoice.row['amount_due']

    # -- writing -------------------------------------------------------------------------

    def write(self) -> None:
        """Insert every table's rows with one executemany each, parents first."""
        for table in db.metadata.sorted_tables:
            rows = self.rows.get(table.name)
            if not rows:
                continue
            columns = set(table.columns.keys())
            self.session.execute(
                sa.insert(self.models_by_table[table.name]), [_columns_only(row, columns) for row in rows]
            )
        primary_contacts = [
            {'id': account['id'], 'primary_contact_id': account['_primary_contact_id']}
            for account in self.rows.get(Account.__tablename__, [])
            if '_primary_contact_id' in account
        ]
        if primary_contacts:
            self.session.execute(sa.update(Account), primary_contacts)


def _columns_only(row: dict[str, Any], columns: set[str]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key in columns}


def _as_shipping(billing: dict[str, str]) -> dict[str, str]:
    return {key.replace('billing_', 'shipping_', 1): value for key, value in billing.items()}


def _ascii_slug(text: str) -> str:
    return ''.join(char for char in unidecode(text).lower() if char.isalnum())
