"""Record basics: automatic timestamps, soft deletes, the change cursor and its index, exact money."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db
from hostcrm.models import (
    Account,
    Assembly,
    AssemblyComponent,
    ChangeCursor,
    Invoice,
    InvoiceLine,
    InvoiceLineGroup,
    Payment,
    PaymentAllocation,
    Product,
    RecordMixin,
    changed_since,
    cursor_after,
)

pytestmark = pytest.mark.usefixtures('app_context')


def _saved(record: RecordMixin) -> RecordMixin:
    db.session.add(record)
    db.session.commit()
    return record


#: A time well before any test runs, so "was bumped" never depends on clock resolution.
PAST = datetime(2020, 1, 1, tzinfo=UTC)


def _backdated(*records: RecordMixin) -> datetime:
    """Move the records' date_modified back to PAST, as an old change would have left it."""
    for record in records:
        db.session.execute(sa.update(type(record)).where(type(record).id == record.id).values(date_modified=PAST))
    db.session.commit()
    for record in records:
        db.session.refresh(record)
        assert record.date_modified == PAST
    return PAST


def _invoice_with_line() -> tuple[Invoice, InvoiceLine]:
    account = _saved(Account(name='Umbrella Corp.'))
    line = InvoiceLine(name='Widget', quantity=Decimal(2), unit_price=Decimal('9.99'), ext_price=Decimal('19.98'))
    invoice = Invoice(
        prefix='INV-',
        number=1,
        name='Widgets',
        account_id=account.id,
        issue_date=date(2026, 1, 15),
        line_groups=[InvoiceLineGroup(lines=[line])],
    )
    return _saved(invoice), line


def test_timestamps_are_set_on_insert() -> None:
    before = datetime.now(UTC)
    account = _saved(Account(name='Initech'))
    assert account.date_entered.tzinfo is not None
    assert before <= account.date_entered == account.date_modified
    db.session.expire_all()
    reread = db.session.get(Account, account.id)
    assert reread.date_modified.utcoffset() == timedelta(0)
    assert reread.deleted is False


def test_update_and_soft_delete_bump_date_modified() -> None:
    account = _saved(Account(name='Initech'))
    entered = account.date_entered
    _backdated(account)
    account.phone_office = '555-0100'
    db.session.commit()
    assert account.date_modified > PAST
    assert account.date_entered == entered
    _backdated(account)
    account.deleted = True
    db.session.commit()
    assert account.date_modified > PAST


def test_flush_without_change_keeps_date_modified() -> None:
    account = _saved(Account(name='Initech'))
    _backdated(account)
    account.name = 'Initech'
    db.session.commit()
    assert account.date_modified == PAST


def test_bulk_update_statement_bumps_date_modified() -> None:
    account = _saved(Account(name='Initech'))
    _backdated(account)
    db.session.execute(sa.update(Account).where(Account.id == account.id).values(deleted=True))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Account, account.id).date_modified > PAST


def test_changing_a_line_changes_its_document() -> None:
    invoice, line = _invoice_with_line()
    _backdated(invoice)
    line.quantity = Decimal(3)
    db.session.commit()
    assert invoice.date_modified > PAST
    _backdated(invoice)
    db.session.delete(line)
    db.session.commit()
    assert invoice.date_modified > PAST


def test_components_and_allocations_change_their_parent() -> None:
    product = _saved(Product(name='Bolt', manufacturer_part_no='B-1'))
    assembly = _saved(Assembly(name='Kit', manufacturer_part_no='K-1'))
    _backdated(assembly)
    assembly.components.append(AssemblyComponent(product_id=product.id, quantity=Decimal(4)))
    db.session.commit()
    assert assembly.date_modified > PAST

    invoice, _ = _invoice_with_line()
    payment = _saved(
        Payment(number=1, account_id=invoice.account_id, amount=Decimal('19.98'), payment_date=date(2026, 2, 1))
    )
    _backdated(payment)
    payment.allocations.append(PaymentAllocation(invoice_id=invoice.id, amount=Decimal('19.98')))
    db.session.commit()
    assert payment.date_modified > PAST


def test_allocation_needs_exactly_one_target() -> None:
    invoice, _ = _invoice_with_line()
    payment = _saved(Payment(number=1, account_id=invoice.account_id, amount=Decimal(1), payment_date=date.today()))
    db.session.add(PaymentAllocation(payment_id=payment.id, amount=Decimal(1)))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()


def test_every_table_has_the_change_index(app: Flask) -> None:
    inspector = sa.inspect(db.engine)
    record_tables = {
        mapper.local_table.name for mapper in db.Model.registry.mappers if issubclass(mapper.class_, RecordMixin)
    }
    assert len(record_tables) >= 30
    for table in record_tables:
        with warnings.catch_warnings():
            # SQLAlchemy does not reflect SQLite's expression indexes (LOWER(name)); they are not looked at here.
            warnings.filterwarnings('ignore', 'Skipped unsupported reflection of expression-based index')
            indexes = {index['name']: index['column_names'] for index in inspector.get_indexes(table)}
        assert indexes.get(f'ix_{table}_changed') == ['date_modified', 'id'], table


def test_changed_since_is_an_index_range_scan() -> None:
    cursor = ChangeCursor(datetime(2026, 1, 1, tzinfo=UTC), '')
    query = changed_since(Account, cursor, 100)
    compiled = query.compile(db.engine, compile_kwargs={'literal_binds': True})
    plan = ' '.join(str(row) for row in db.session.execute(sa.text(f'EXPLAIN QUERY PLAN {compiled}')))
    assert 'USING INDEX ix_accounts_changed' in plan
    assert 'TEMP B-TREE' not in plan


def test_changed_since_pages_through_equal_timestamps_without_gaps() -> None:
    stamp = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    rows = [{'name': f'Company {n:03d}', 'date_entered': stamp, 'date_modified': stamp} for n in range(25)]
    db.session.execute(sa.insert(Account), rows)
    db.session.commit()
    seen: list[str] = []
    cursor = None
    while page := db.session.scalars(changed_since(Account, cursor, 7)).all():
        seen.extend(account.id for account in page)
        cursor = cursor_after(page[-1])
    assert len(seen) == len(set(seen)) == 25
    assert seen == sorted(seen)


def test_changed_since_includes_soft_deletes_and_skips_older_changes() -> None:
    old = _saved(Account(name='Old'))
    _backdated(old)
    cursor = cursor_after(old)
    gone = _saved(Account(name='Gone'))
    gone.deleted = True
    db.session.commit()
    changed = db.session.scalars(changed_since(Account, cursor, 10)).all()
    assert [account.name for account in changed] == ['Gone']
    assert changed[0].deleted


def test_money_is_exact() -> None:
    product = _saved(Product(name='Gadget', list_price=Decimal('1234567890.123456'), cost=Decimal('0.1')))
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.list_price == Decimal('1234567890.123456')
    assert product.cost + Decimal('0.2') == Decimal('0.3')
    total = db.session.scalar(sa.select(sa.func.sum(Product.cost)))
    assert total is not None
    assert (
        db.session.scalar(sa.select(Product.id).where(Product.list_price > Decimal('1234567890.12345'))) == product.id
    )


def test_float_money_is_refused() -> None:
    db.session.add(Product(name='Float', list_price=0.1))
    with pytest.raises(sa.exc.StatementError, match='never float'):
        db.session.commit()


def test_naive_timestamps_are_refused() -> None:
    db.session.add(Account(name='Naive', date_entered=datetime(2026, 1, 1)))
    with pytest.raises(sa.exc.StatementError, match='timezone-aware'):
        db.session.commit()


def test_part_number_is_unique_among_live_products() -> None:
    first = _saved(Product(name='Bolt', manufacturer_part_no='B-100'))
    db.session.add(Product(name='Bolt again', manufacturer_part_no='B-100'))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    first = db.session.get(Product, first.id)
    first.deleted = True
    db.session.commit()
    _saved(Product(name='Bolt again', manufacturer_part_no='B-100'))
    _saved(Product(name='No number one'))
    _saved(Product(name='No number two', manufacturer_part_no=''))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Product)) == 4


def test_account_full_name_shows_jobs() -> None:
    parent = _saved(Account(name='Acme'))
    child = _saved(Account(name='Warehouse Job', parent_id=parent.id))
    db.session.expire_all()
    assert db.session.get(Account, child.id).full_name == 'Acme:Warehouse Job'


def test_deleting_a_whole_document_deletes_its_lines() -> None:
    invoice, line = _invoice_with_line()
    line_id = line.id
    db.session.delete(invoice)
    db.session.commit()
    assert db.session.get(InvoiceLine, line_id) is None
