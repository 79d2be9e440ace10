"""The demo's CRM records: the sample data, plus a few that break QuickBooks' rules on purpose.

QuickBooks refuses names over 41 characters, a colon in a name (it separates a job from its
customer), two names differing only by case, a customer and a vendor sharing a name, and item
names over 31 characters. The CRM allows all of these, so a real CRM has them, and the demo
shows each one waiting with a clear reason instead of stopping the records behind it.
"""

from __future__ import annotations

import time
from decimal import Decimal

import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db
from hostcrm.finance_host import DEFAULT_SETTLE_SECONDS, SETTLE_KEY
from hostcrm.models import Account, Currency, Product, TaxCode, TrackInventory

#: (name, is_supplier): over 41 characters, a colon, a pair differing by case, a customer and a supplier alike.
AWKWARD_ACCOUNTS = (
    ('Northwestern Regional Plumbing and Heating Supply Cooperative', False),
    ('Smith & Sons: Contracting', False),
    ('Blue Ridge Outfitters', False),
    ('BLUE RIDGE OUTFITTERS', False),
    ('Lakeside Paper Mill', False),
    ('Lakeside Paper Mill', True),
)
#: (part number, name): over 31 characters, a colon, a pair differing by case.
AWKWARD_PRODUCTS = (
    ('HW-EXTRA-LONG-PART-NUMBER-000000001', 'Bracket with an over-long part number'),
    ('EL-CTRL:REV-B', 'Controller, revision B'),
    ('of-shelf-1', 'Shelf, lower-case part number'),
    ('OF-SHELF-1', 'Shelf, upper-case part number'),
)


def crm_is_empty(app: Flask) -> bool:
    with app.app_context():
        return not any(db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Account, Product))


def add_awkward_records(app: Flask) -> int:
    """Add the rule-breaking accounts and products; returns how many records were added."""
    with app.app_context():
        currency_id = db.session.scalar(sa.select(Currency.id).where(Currency.is_base.is_(True)))
        tax_code_id = db.session.scalar(sa.select(TaxCode.id).where(TaxCode.is_exempt.is_(False)).limit(1))
        for name, is_supplier in AWKWARD_ACCOUNTS:
            db.session.add(Account(name=name, is_supplier=is_supplier, account_type='Supplier' if is_supplier
                                   else 'Customer', currency_id=currency_id, tax_code_id=tax_code_id,
                                   billing_address_city='Springfield', billing_address_country='USA'))
        for part_number, name in AWKWARD_PRODUCTS:
            db.session.add(Product(manufacturer_part_no=part_number, name=name, list_price=Decimal('19.90'),
                                   cost=Decimal('8.25'), purchase_price=Decimal('8.25'), currency_id=currency_id,
                                   tax_code_id=tax_code_id, track_inventory=TrackInventory.UNTRACKED))
        db.session.commit()
    return len(AWKWARD_ACCOUNTS) + len(AWKWARD_PRODUCTS)


def overlapping_names(app: Flask, customers: int, suppliers: int, products: int) -> dict[str, list[str]]:
    """Names of CRM records the QuickBooks company will also have, so the first sync links them by name."""
    with app.app_context():
        def first(column: sa.ColumnElement, *where: sa.ColumnElement, count: int) -> list[str]:
            query = sa.select(column).where(*where).order_by(column).limit(count)
            return list(db.session.scalars(query))

        awkward = [name for name, _supplier in AWKWARD_ACCOUNTS]
        return {
            'customers': first(Account.name, Account.is_supplier.is_(False), Account.name.not_in(awkward),
                               count=customers),
            'suppliers': first(Account.name, Account.is_supplier.is_(True), Account.name.not_in(awkward),
                               count=suppliers),
            'products': first(Product.manufacturer_part_no, Product.is_active.is_(True),
                              sa.func.length(Product.manufacturer_part_no) <= 31, count=products),
        }


def edit_accounts(app: Flask, count: int, phone: str) -> int:
    """Change the office phone of ``count`` CRM accounts, as CRM users do between two syncs."""
    with app.app_context():
        accounts = db.session.scalars(sa.select(Account).where(Account.deleted.is_(False))
                                      .order_by(Account.name).limit(count)).all()
        for account in accounts:
            account.phone_office = phone
        db.session.commit()
        return len(accounts)


def wait_until_settled(app: Flask) -> float:
    """Wait until changes made just now are old enough for the sync to see them; returns the seconds waited.

    The CRM hands the sync only changes older than ``HOSTCRM_CHANGE_SETTLE_SECONDS`` (so a change
    still being committed is never skipped); a sync started right after an edit would miss it.
    """
    seconds = settle_seconds(app)
    time.sleep(seconds)
    return seconds


def settle_seconds(app: Flask) -> float:
    return float(app.config.get(SETTLE_KEY, DEFAULT_SETTLE_SECONDS))
