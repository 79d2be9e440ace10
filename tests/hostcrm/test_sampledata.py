"""Reference data, sample data (sizes, consistency, determinism) and the CLI commands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db
from hostcrm.models import (
    Account,
    Contact,
    Currency,
    DropdownList,
    DropdownOption,
    Invoice,
    InvoiceAdjustment,
    InvoiceLine,
    Payment,
    PaymentAllocation,
    Product,
    TaxCode,
    User,
)
from hostcrm.sampledata import SeedRefusedError, SeedSizes, install_reference_data, seed_database
from tests.hostcrm.support import make_app

SMALL = SeedSizes(accounts=40, products=30, assemblies=3, quotes=5, invoices=30, credit_notes=4, bills=8, payments=20)


def _count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_reference_data_is_installed_once(app: Flask) -> None:
    with app.app_context():
        assert install_reference_data(db.session) == []
        base = db.session.scalar(sa.select(Currency).where(Currency.is_base.is_(True)))
        assert (base.iso4217, base.symbol, base.conversion_rate) == ('USD', '$', Decimal(1))
        exempt = db.session.scalar(sa.select(TaxCode).where(TaxCode.is_exempt.is_(True)))
        assert (exempt.code, exempt.taxable) == ('E', False)
        for dropdown in DropdownList:
            count = _count_where(DropdownOption, DropdownOption.list_name == dropdown.value)
            assert count > 0, dropdown


def _count_where(model: type, condition: sa.ColumnElement[bool]) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(condition))


def test_seed_creates_the_requested_sizes(app: Flask) -> None:
    with app.app_context():
        counts = seed_database(db.session, SMALL, seed_value=7, today=date(2026, 6, 30))
        assert counts['accounts'] == _count(Account) == 40
        assert counts['products'] == _count(Product) == 30
        assert _count(Invoice) == 30
        assert _count(Contact) >= 40
        assert 0 < _count(Payment) <= 20
        assert _count(PaymentAllocation) == _count(Payment)


def test_seeded_documents_add_up(app: Flask) -> None:
    with app.app_context():
        seed_database(db.session, SMALL, seed_value=3, today=date(2026, 6, 30))
        for invoice in db.session.scalars(sa.select(Invoice)):
            lines = [line for group in invoice.line_groups for line in group.lines]
            assert invoice.subtotal == sum((line.ext_price for line in lines), Decimal(0))
            assert (
                invoice.amount == invoice.subtotal - invoice.discount_total + invoice.tax_total + invoice.shipping_total
            )
            assert Decimal(0) <= invoice.amount_due <= invoice.amount
            assert invoice.issue_date <= date(2026, 6, 30)
        assert _count(InvoiceLine) > _count(Invoice) - 1
        assert _count_where(InvoiceAdjustment, InvoiceAdjustment.adjustment_type == 'tax') > 0
        accounts = db.session.scalars(sa.select(Account)).all()
        assert all(account.primary_contact_id for account in accounts)
        assert len({account.name for account in accounts}) == len(accounts)
        assert any(account.is_supplier for account in accounts)
        for account in accounts:
            open_amounts = db.session.scalars(sa.select(Invoice.amount_due).where(Invoice.account_id == account.id))
            assert account.balance == sum(open_amounts, Decimal(0))


def _fingerprint(app: Flask, seed_value: int) -> list[tuple[str, str, str]]:
    """Ids and a telling value of the seeded accounts, products and invoices."""
    with app.app_context():
        seed_database(db.session, SMALL, seed_value=seed_value, today=date(2026, 6, 30))
        rows: list[tuple[str, str, str]] = []
        for model, column in ((Account, Account.name), (Product, Product.list_price), (Invoice, Invoice.amount)):
            rows.extend(
                (model.__name__, id_, str(value)) for id_, value in db.session.execute(sa.select(model.id, column))
            )
        return sorted(rows)


def test_seed_is_deterministic(tmp_path: Path) -> None:
    apps = [make_app('sqlite://', tmp_path) for _ in range(3)]
    first = _fingerprint(apps[0], seed_value=42)
    assert first == _fingerprint(apps[1], seed_value=42)
    assert first != _fingerprint(apps[2], seed_value=43)


def test_seed_refuses_a_crm_with_data(app: Flask) -> None:
    with app.app_context():
        db.session.add(Account(name='Real customer'))
        db.session.commit()
        with pytest.raises(SeedRefusedError, match='accounts'):
            seed_database(db.session, SMALL)
        assert _count(Product) == 0


def test_cli_init_db_and_create_admin(tmp_path: Path) -> None:
    app = make_app('sqlite://', tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=['init-db'])
    assert result.exit_code == 0, result.output
    assert 'Database ready.' in result.output
    result = runner.invoke(args=['create-admin', 'root', 'first password', '--locale', 'fr_CA'])
    assert result.exit_code == 0, result.output
    assert 'Created administrator root.' in result.output
    result = runner.invoke(args=['create-admin', 'root', 'second password'])
    assert 'Updated administrator root.' in result.output
    with app.app_context():
        users = db.session.scalars(sa.select(User)).all()
        assert len(users) == 1
        assert users[0].is_admin
        assert users[0].locale == 'fr_CA'
        assert users[0].check_password('second password')


def test_cli_init_db_on_an_empty_database(tmp_path: Path) -> None:
    app = make_app('sqlite://', tmp_path)
    with app.app_context():
        db.drop_all()
    result = app.test_cli_runner().invoke(args=['init-db', '--base-currency', 'cad'])
    assert result.exit_code == 0, result.output
    assert 'Created base currency CAD.' in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(Currency.iso4217).where(Currency.is_base.is_(True))) == 'CAD'


def test_cli_seed_then_refuse(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=['seed', '--accounts', '12', '--products', '9', '--invoices', '5', '--seed-value', '5'])
    assert result.exit_code == 0, result.output
    assert 'accounts: 12' in result.output
    assert 'products: 9' in result.output
    result = runner.invoke(args=['seed', '--accounts', '1'])
    assert result.exit_code == 1
    assert 'Not seeding: the accounts table is not empty' in result.output
