"""The CRM schema on PostgreSQL and MariaDB: tables, seeding, exact money, cursor, unique part numbers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from hostcrm.extensions import db
from hostcrm.models import Account, ChangeCursor, Invoice, Product, changed_since, cursor_after
from hostcrm.sampledata import SeedSizes, seed_database
from tests.hostcrm.support import make_app

SIZES = SeedSizes(accounts=30, products=20, assemblies=2, quotes=3, invoices=10, credit_notes=2, bills=4, payments=8)


def _exercise_schema(url: sa.URL, tmp_path: Path) -> None:
    app = make_app(url.render_as_string(hide_password=False), tmp_path)
    with app.app_context():
        try:
            counts = seed_database(db.session, SIZES, seed_value=11, today=date(2026, 6, 30))
            assert counts['accounts'] == 30
            assert 'ix_accounts_changed' in {index['name'] for index in sa.inspect(db.engine).get_indexes('accounts')}

            product = Product(name='Precise', manufacturer_part_no='P-1', list_price=Decimal('12345678901234.567891'))
            db.session.add(product)
            db.session.commit()
            db.session.expire_all()
            assert db.session.get(Product, product.id).list_price == Decimal('12345678901234.567891')

            db.session.add(Product(name='Clash', manufacturer_part_no='P-1'))
            with pytest.raises(sa.exc.IntegrityError):
                db.session.commit()
            db.session.rollback()
            db.session.get(Product, product.id).deleted = True
            db.session.commit()
            db.session.add(Product(name='Replacement', manufacturer_part_no='P-1'))
            db.session.commit()

            seen, cursor = [], None
            while page := db.session.scalars(changed_since(Account, cursor, 7)).all():
                seen.extend(account.id for account in page)
                cursor = cursor_after(page[-1])
            assert len(seen) == len(set(seen)) == 30
            later = ChangeCursor(datetime(2100, 1, 1, tzinfo=UTC), '')
            assert db.session.scalars(changed_since(Account, later, 7)).all() == []

            invoice = db.session.scalars(sa.select(Invoice).limit(1)).one()
            assert invoice.date_modified.tzinfo is not None
            assert (
                invoice.amount == invoice.subtotal - invoice.discount_total + invoice.tax_total + invoice.shipping_total
            )
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.mark.postgres
def test_schema_on_postgresql(fresh_database: Callable[[str], sa.URL], tmp_path: Path) -> None:
    _exercise_schema(fresh_database('postgresql'), tmp_path)


@pytest.mark.mariadb
def test_schema_on_mariadb(fresh_database: Callable[[str], sa.URL], tmp_path: Path) -> None:
    _exercise_schema(fresh_database('mariadb'), tmp_path)
