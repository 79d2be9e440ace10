"""hostcrm's implementation of the host contract, exercised only through the contract."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import Flask

from hostcrm import __version__ as host_version
from hostcrm import i18n as host_i18n
from hostcrm.extensions import db
from hostcrm.finance_host import GET_MANY_CHUNK, decode_cursor, make_host
from hostcrm.models import (
    Account,
    Bill,
    BookingClass,
    Contact,
    Currency,
    DropdownOption,
    ExpenseCategory,
    Invoice,
    Product,
    ProductCategory,
    ProductType,
    Warehouse,
    utc_now,
)
from hostcrm.models import DropdownList as HostDropdownList
from onecrm_finance_qb import host as contract
from onecrm_finance_qb.state import get_host

from .conftest import ADMIN_ID, USER_ID, log_in, set_locale

REPOSITORIES = {
    'accounts': contract.AccountRepository,
    'products': contract.ProductRepository,
    'assemblies': contract.AssemblyRepository,
    'discounts': contract.DiscountRepository,
    'tax_rates': contract.TaxRateRepository,
    'tax_codes': contract.TaxCodeRepository,
    'currencies': contract.CurrencyRepository,
    'shipping_providers': contract.ShippingProviderRepository,
    'expense_categories': contract.ExpenseCategoryRepository,
    'product_categories': contract.ProductCategoryRepository,
    'product_types': contract.ProductTypeRepository,
    'warehouses': contract.WarehouseRepository,
    'dropdowns': contract.DropdownRepository,
    'account_documents': contract.AccountDocumentRepository,
}


@pytest.fixture
def host(app: Flask) -> Iterator[contract.Host]:
    """The host object, inside an application context, with a base currency and a second one."""
    with app.app_context():
        db.session.add_all(
            [
                Currency(iso4217='USD', name='US Dollar', symbol='$', is_base=True),
                Currency(iso4217='EUR', name='Euro', symbol='€', conversion_rate=Decimal('0.9')),
            ]
        )
        db.session.commit()
        yield get_host(app)
        db.session.rollback()


def _public_methods(protocol: type) -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(protocol, inspect.isfunction)
        if not name.startswith('_') and name in {n for cls in protocol.__mro__ for n in vars(cls)}
    }


def test_host_has_every_member_of_the_contract(host: contract.Host) -> None:
    assert host.api_version == contract.HOST_API_VERSION
    assert host.version == host_version
    assert host.db is db
    for name in contract.Host.__annotations__:
        assert hasattr(host, name), name
    for name in _public_methods(contract.Host):
        assert callable(getattr(host, name)), name
    for attribute, protocol in REPOSITORIES.items():
        repository = getattr(host, attribute)
        for name in _public_methods(protocol):
            assert callable(getattr(repository, name, None)), f'{attribute}.{name}'


def test_base_template_is_a_host_template(app: Flask, host: contract.Host) -> None:
    assert host.base_template in app.jinja_env.list_templates()


def test_admin_check_and_locale_follow_the_request_user(app: Flask) -> None:
    host = get_host(app)
    client = app.test_client()
    with client:
        client.get('/login')
        assert host.is_admin() is False
    log_in(client, USER_ID)
    with client:
        client.get('/')
        assert host.is_admin() is False
    set_locale(app, ADMIN_ID, 'fr_CA')
    log_in(client, ADMIN_ID)
    with client:
        client.get('/')
        assert host.is_admin() is True
        assert host.current_locale() == 'fr_CA'
        assert host.gettext('Log out') == host_i18n.translations_for('fr_CA').gettext('Log out')


def _account(name: str, **changes: object) -> contract.AccountData:
    data = contract.AccountData(
        name=name,
        currency='EUR',
        credit_limit=Decimal('1500.50'),
        terms='Net 30 Days',
        email='billing@example.com',
        phone_office='+1 555 0100',
        billing_address=contract.Address('1 Main St\nSuite 2', 'Springfield', 'IL', '62701', 'USA'),
        description='From QuickBooks',
        contacts=(contract.Contact(first_name='Jane', last_name='Doe', email='jane@example.com', is_primary=True),),
    )
    return contract.AccountData(**{**data.__dict__, **changes})


def test_account_created_from_quickbooks_reads_back(host: contract.Host) -> None:
    account_id = host.accounts.create_from_qb(_account('Acme Ltd'))
    db.session.commit()

    record = host.accounts.get(account_id)
    assert isinstance(record, contract.AccountRecord)
    assert isinstance(record.id, str)
    assert record.date_modified.tzinfo is not None
    assert record.deleted is False
    assert (record.name, record.currency, record.credit_limit, record.terms) == (
        'Acme Ltd',
        'EUR',
        Decimal('1500.50'),
        'Net 30 Days',
    )
    assert record.billing_address == contract.Address('1 Main St\nSuite 2', 'Springfield', 'IL', '62701', 'USA')
    assert record.shipping_address == contract.Address()
    (contact,) = record.contacts
    assert (contact.first_name, contact.last_name, contact.email, contact.is_primary) == (
        'Jane',
        'Doe',
        'jane@example.com',
        True,
    )
    assert contact.id is not None


def test_account_updated_from_quickbooks(host: contract.Host) -> None:
    account_id = host.accounts.create_from_qb(_account('Acme Ltd'))
    db.session.commit()
    before = host.accounts.get(account_id)

    changed = _account(
        'Acme Limited',
        currency='USD',
        credit_limit=None,
        contacts=(contract.Contact(first_name='JANE', last_name='doe', phone_mobile='+1 555 0199'),),
    )
    assert host.accounts.update_from_qb(account_id, changed) == account_id
    db.session.commit()

    after = host.accounts.get(account_id)
    assert (after.name, after.currency, after.credit_limit) == ('Acme Limited', 'USD', None)
    assert after.date_modified >= before.date_modified
    (contact,) = after.contacts  # matched by name, not duplicated
    assert contact.id == before.contacts[0].id
    assert contact.phone_mobile == '+1 555 0199'


def test_updating_an_unknown_record_raises_key_error(host: contract.Host) -> None:
    with pytest.raises(KeyError):
        host.accounts.update_from_qb('no-such-id', _account('Ghost'))


def test_unknown_references_are_refused(host: contract.Host) -> None:
    with pytest.raises(LookupError):
        host.accounts.create_from_qb(_account('Acme', currency='XXX'))
    with pytest.raises(LookupError):
        host.accounts.create_from_qb(_account('Job', parent_id='no-such-parent'))


def test_get_unknown_is_none(host: contract.Host) -> None:
    assert host.accounts.get('no-such-id') is None


def test_get_many_returns_the_known_records_deleted_or_not(host: contract.Host) -> None:
    live = host.accounts.create_from_qb(_account('Live Ltd'))
    deleted = host.accounts.create_from_qb(_account('Gone Ltd'))
    db.session.get(Account, deleted).deleted = True
    db.session.commit()

    found = host.accounts.get_many([live, deleted, 'no-such-id', live])

    assert set(found) == {live, deleted}
    assert found[live] == host.accounts.get(live)
    assert found[deleted].deleted is True
    assert host.accounts.get_many([]) == {}


def test_get_many_reads_each_account_as_get_does(host: contract.Host) -> None:
    """``get_many`` reads plain rows, ``get`` objects: contacts, the primary one, currency and addresses agree."""
    contacts = (
        contract.Contact(first_name='Jane', last_name='Doe', email='jane@example.com', is_primary=True),
        contract.Contact(first_name='Al', last_name='Brown', phone_work='+1 555 0101', salutation='Mr.'),
        contract.Contact(first_name='Zoe', last_name='Young', phone_fax='+1 555 0102'),
    )
    shipping = contract.Address('9 Dock Rd', 'Leeds', '', 'LS1', 'UK')
    rich = host.accounts.create_from_qb(_account('Rich Ltd', contacts=contacts, shipping_address=shipping))
    bare = host.accounts.create_from_qb(_account('Bare Ltd', currency=None, contacts=(), credit_limit=None))
    job = host.accounts.create_from_qb(_account('Job', parent_id=rich, contacts=()))
    db.session.flush()
    leaving = db.session.scalars(sa.select(Contact).where(Contact.last_name == 'Young')).one()
    leaving.deleted = True
    db.session.commit()

    found = host.accounts.get_many([rich, bare, job])

    assert found == {record_id: host.accounts.get(record_id) for record_id in (rich, bare, job)}
    assert [(contact.last_name, contact.is_primary) for contact in found[rich].contacts] == [
        ('Brown', False),
        ('Doe', True),
    ]
    assert (found[rich].currency, found[bare].currency, found[job].parent_id) == ('EUR', None, rich)

    host.accounts.update_from_qb(rich, _account('Rich Ltd', contacts=(contract.Contact(last_name='Adams'),)))
    written = host.accounts.get_many([rich])[rich]
    assert written == host.accounts.get(rich)
    assert [contact.last_name for contact in written.contacts] == ['Adams', 'Brown', 'Doe']

    db.session.get(Account, bare).phone_office = '+1 555 0199'
    unflushed = host.accounts.get_many([bare])[bare]
    assert unflushed.phone_office == '+1 555 0199'
    assert unflushed == host.accounts.get(bare)


def test_find_by_name_ignores_case_and_deleted_records(host: contract.Host) -> None:
    first = host.accounts.create_from_qb(_account('Acme Ltd'))
    deleted = host.accounts.create_from_qb(_account('ACME LTD'))
    db.session.get(Account, deleted).deleted = True
    db.session.commit()

    assert [record.id for record in host.accounts.find_by_name('acme ltd')] == [first]
    assert host.accounts.find_by_name('Acme') == ()


def test_modified_dates_are_those_of_get_many(host: contract.Host) -> None:
    live = host.accounts.create_from_qb(_account('Live Ltd'))
    deleted = host.accounts.create_from_qb(_account('Gone Ltd'))
    db.session.get(Account, deleted).deleted = True
    db.session.commit()

    dates = host.accounts.modified_dates([live, deleted, 'no-such-id'])

    records = host.accounts.get_many([live, deleted])
    assert dates == {record_id: record.date_modified for record_id, record in records.items()}
    assert all(moment.tzinfo is not None for moment in dates.values())
    assert host.accounts.modified_dates([]) == {}


def test_find_by_names_answers_each_name_as_find_by_name_does(host: contract.Host) -> None:
    first = host.accounts.create_from_qb(_account('Acme Ltd'))
    second = host.accounts.create_from_qb(_account('ACME LTD'))
    other = host.accounts.create_from_qb(_account('Globex'))
    deleted = host.accounts.create_from_qb(_account('Initech'))
    db.session.get(Account, deleted).deleted = True
    db.session.commit()

    found = host.accounts.find_by_names(['acme ltd', 'Acme Ltd', 'globex', 'Initech', 'Nobody'])

    assert {name: {record.id for record in records} for name, records in found.items()} == {
        'acme ltd': {first, second},
        'Acme Ltd': {first, second},
        'globex': {other},
    }
    assert found['acme ltd'] == found['Acme Ltd'] == host.accounts.find_by_name('acme ltd')
    assert host.accounts.find_by_names([]) == {}


def test_find_by_names_takes_more_names_than_one_query_holds(host: contract.Host) -> None:
    names = [f'Customer {number:04d}' for number in range(GET_MANY_CHUNK + 3)]
    ids = {name: host.accounts.create_from_qb(_account(name)) for name in names}
    db.session.commit()

    found = host.accounts.find_by_names([name.upper() for name in names])

    assert {name: records[0].id for name, records in found.items()} == {name.upper(): ids[name] for name in names}


def _walk(repository: contract.Repository, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """Every change after ``cursor``, page by page."""
    seen = []
    while True:
        page = repository.changed_since(cursor, limit)
        seen.extend(page.records)
        assert len(page.records) <= limit
        cursor = page.cursor
        if not page.has_more:
            return seen, cursor


def test_changed_since_pages_through_changes_in_order(host: contract.Host) -> None:
    ids = [host.accounts.create_from_qb(_account(f'Customer {number}')) for number in range(7)]
    db.session.commit()

    records, cursor = _walk(host.accounts, None, 3)
    assert sorted(ids) == sorted(record.id for record in records)
    keys = [(record.date_modified, record.id) for record in records]
    assert keys == sorted(keys)

    page = host.accounts.changed_since(cursor, 3)
    assert (page.records, page.cursor, page.has_more) == ((), cursor, False)


def test_records_sharing_a_timestamp_are_neither_skipped_nor_repeated(host: contract.Host) -> None:
    ids = [host.accounts.create_from_qb(_account(f'Customer {number}')) for number in range(7)]
    db.session.execute(sa.update(Account).values(date_modified=utc_now()))  # as a bulk edit would
    db.session.commit()

    records, cursor = _walk(host.accounts, None, 2)
    assert [record.id for record in records] == sorted(ids)

    page = host.accounts.changed_since(cursor, 3)
    assert (page.records, page.cursor, page.has_more) == ((), cursor, False)


def test_changed_since_brings_back_modified_and_deleted_records(host: contract.Host) -> None:
    first, second = (host.accounts.create_from_qb(_account(name)) for name in ('Alpha', 'Beta'))
    db.session.commit()
    _records, cursor = _walk(host.accounts, None, 10)

    host.accounts.update_from_qb(first, _account('Alpha Renamed'))
    db.session.commit()
    db.session.get(Account, second).deleted = True
    db.session.commit()

    records, _cursor = _walk(host.accounts, cursor, 10)
    assert [(record.id, record.name, record.deleted) for record in records] == [
        (first, 'Alpha Renamed', False),
        (second, 'Beta', True),
    ]
    assert host.accounts.get(second).deleted is True


def _brief(record: contract.AccountRecord) -> contract.AccountBrief:
    """What ``changed_since_brief`` should say of an account ``changed_since`` returns whole."""
    return contract.AccountBrief(
        id=record.id,
        date_modified=record.date_modified,
        deleted=record.deleted,
        name=record.name,
        is_supplier=record.is_supplier,
        parent_id=record.parent_id,
    )


def test_brief_changes_come_in_the_same_pages_as_changed_since(host: contract.Host) -> None:
    parent = host.accounts.create_from_qb(_account('Parent Inc'))
    for number in range(3):
        host.accounts.create_from_qb(_account(f'Job {number}', parent_id=parent))
    for number in range(3):
        host.accounts.create_from_qb(_account(f'Supplier {number}', is_supplier=True))
    db.session.commit()
    db.session.execute(sa.update(Account).where(Account.name.like('Job%')).values(date_modified=utc_now()))
    db.session.commit()

    cursor = None
    while True:
        whole, brief = host.accounts.changed_since(cursor, 3), host.accounts.changed_since_brief(cursor, 3)
        assert brief.records == tuple(_brief(record) for record in whole.records)
        assert (brief.cursor, brief.has_more) == (whole.cursor, whole.has_more)
        cursor = brief.cursor
        if not brief.has_more:
            break
    assert host.accounts.changed_since_brief(cursor, 3) == contract.ChangePage((), cursor, False)


def test_brief_changes_bring_back_modified_and_deleted_accounts(host: contract.Host) -> None:
    first, second = (host.accounts.create_from_qb(_account(name)) for name in ('Alpha', 'Beta'))
    db.session.commit()
    cursor = host.accounts.changed_since_brief(None, 10).cursor

    host.accounts.update_from_qb(first, _account('Alpha Renamed', is_supplier=True))
    db.session.commit()
    db.session.get(Account, second).deleted = True
    db.session.commit()

    page = host.accounts.changed_since_brief(cursor, 10)
    assert [(record.id, record.name, record.is_supplier, record.deleted) for record in page.records] == [
        (first, 'Alpha Renamed', True, False),
        (second, 'Beta', False, True),
    ]
    assert all(record.date_modified.tzinfo is not None for record in page.records)


def test_a_cursor_survives_a_new_session(app: Flask, host: contract.Host) -> None:
    host.accounts.create_from_qb(_account('Alpha'))
    db.session.commit()
    _records, cursor = _walk(host.accounts, None, 10)
    db.session.remove()
    assert host.accounts.changed_since(cursor, 10).records == ()
    assert decode_cursor(cursor).date_modified.tzinfo is not None


@pytest.mark.parametrize('cursor', ['garbage', '2026-01-01T00:00:00|', '2026-01-01T00:00:00|some-id'])
def test_a_malformed_cursor_is_refused(host: contract.Host, cursor: str) -> None:
    with pytest.raises(ValueError, match=r'cursor|isoformat|Invalid'):
        host.accounts.changed_since(cursor, 10)


def test_limit_must_be_positive(host: contract.Host) -> None:
    with pytest.raises(ValueError, match='limit'):
        host.accounts.changed_since(None, 0)


def test_products_by_part_number(host: contract.Host) -> None:
    product_id = host.products.create_from_qb(
        contract.ProductData(
            name='Widget',
            part_number='WID-001',
            currency='USD',
            track_inventory=True,
            list_price=Decimal('19.99'),
            cost=Decimal('7.25'),
            quantity_in_stock=Decimal('12'),
        )
    )
    untracked_id = host.products.create_from_qb(
        contract.ProductData(name='Service hour', part_number='SRV-1', currency='EUR')
    )
    db.session.commit()

    (record,) = host.products.find_by_part_number('wid-001')
    assert record.id == product_id
    assert (record.track_inventory, record.list_price, record.cost, record.quantity_in_stock) == (
        True,
        Decimal('19.99'),
        Decimal('7.25'),
        Decimal('12'),
    )
    assert host.products.get(untracked_id).track_inventory is False
    assert host.products.find_by_part_number('WID') == ()
    assert host.products.find_by_part_numbers(['wid-001', 'WID', 'srv-1']) == {
        'wid-001': (record,),
        'srv-1': host.products.find_by_part_number('SRV-1'),
    }

    db.session.get(Product, product_id).currency_id = None
    db.session.commit()
    assert host.products.get(product_id).currency == 'USD'  # no currency: the base currency


def test_assemblies_with_components(host: contract.Host) -> None:
    parts = [
        host.products.create_from_qb(contract.ProductData(name=f'Part {n}', part_number=f'P-{n}', currency='USD'))
        for n in range(2)
    ]
    components = (
        contract.AssemblyComponent(parts[1], Decimal('2')),
        contract.AssemblyComponent(parts[0], Decimal('0.5')),
    )
    assembly_id = host.assemblies.create_from_qb(
        contract.AssemblyData(name='Kit', part_number='KIT-1', components=components)
    )
    db.session.commit()
    assert host.assemblies.get(assembly_id).components == components

    host.assemblies.update_from_qb(
        assembly_id, contract.AssemblyData(name='Kit', part_number='KIT-1', components=components[:1])
    )
    db.session.commit()
    assert host.assemblies.find_by_part_number('kit-1')[0].components == components[:1]
    assert host.assemblies.find_by_part_numbers(['kit-1']) == {'kit-1': host.assemblies.find_by_part_number('KIT-1')}

    with pytest.raises(LookupError):
        host.assemblies.create_from_qb(
            contract.AssemblyData(
                name='Bad', part_number='BAD', components=(contract.AssemblyComponent('nope', Decimal(1)),)
            )
        )


def test_discounts_percentage_and_fixed(host: contract.Host) -> None:
    percent = host.discounts.create_from_qb(
        contract.DiscountData(name='Loyalty', kind=contract.DiscountKind.PERCENTAGE, value=Decimal('10'))
    )
    fixed = host.discounts.create_from_qb(
        contract.DiscountData(name='Voucher', kind=contract.DiscountKind.FIXED, value=Decimal('25'), currency='EUR')
    )
    db.session.commit()
    assert (host.discounts.get(percent).kind, host.discounts.get(percent).value) == ('percentage', Decimal('10'))
    assert host.discounts.get(percent).currency is None
    voucher = host.discounts.find_by_name('voucher')[0]
    assert (voucher.id, voucher.kind, voucher.value, voucher.currency) == (fixed, 'fixed', Decimal('25'), 'EUR')


def test_tax_codes_keep_their_rates_in_order(host: contract.Host) -> None:
    gst = host.tax_rates.create_from_qb(contract.TaxRateData(name='GST', rate=Decimal('5')))
    qst = host.tax_rates.create_from_qb(contract.TaxRateData(name='QST', rate=Decimal('9.975'), compounding=True))
    code_id = host.tax_codes.create_from_qb(contract.TaxCodeData(code='GQ', name='GST + QST', rate_ids=(qst, gst)))
    db.session.commit()

    assert host.tax_rates.find_by_name('qst')[0].compounding is True
    (code,) = host.tax_codes.find_by_name('gq')
    assert (code.id, code.rate_ids, code.taxable, code.exempt) == (code_id, (qst, gst), True, False)

    _records, cursor = _walk(host.tax_codes, None, 10)
    host.tax_codes.update_from_qb(code_id, contract.TaxCodeData(code='GQ', name='GST + QST', rate_ids=(gst,)))
    db.session.commit()
    records, _cursor = _walk(host.tax_codes, cursor, 10)
    assert [(record.id, record.rate_ids) for record in records] == [(code_id, (gst,))]


def test_currencies_by_iso_code_and_base(host: contract.Host) -> None:
    assert host.currencies.base_currency() == 'USD'
    (euro,) = host.currencies.find_by_name('eur')
    assert (euro.iso_code, euro.conversion_rate) == ('EUR', Decimal('0.9'))
    cad = host.currencies.create_from_qb(
        contract.CurrencyData(iso_code='cad', name='Canadian Dollar', conversion_rate=Decimal('1.35'))
    )
    db.session.commit()
    assert host.currencies.get(cad).iso_code == 'CAD'


def test_shipping_providers(host: contract.Host) -> None:
    provider = host.shipping_providers.create_from_qb(contract.ShippingProviderData(name='UPS'))
    db.session.commit()
    assert host.shipping_providers.find_by_name('ups')[0].id == provider


def test_expense_categories_leave_out_service_categories(host: contract.Host) -> None:
    db.session.add(ExpenseCategory(name='Consulting', booking_class=BookingClass.SERVICES))
    travel = host.expense_categories.create_from_qb(contract.ExpenseCategoryData(name='Travel'))
    db.session.commit()
    records, _cursor = _walk(host.expense_categories, None, 10)
    assert [record.id for record in records] == [travel]
    assert host.expense_categories.find_by_name('consulting') == ()


def test_product_categories_types_and_warehouses_are_read_only_lists(host: contract.Host) -> None:
    software, gone = ProductCategory(name='Software'), ProductCategory(name='Old', deleted=True)
    db.session.add_all([software, gone, ProductCategory(name='Hardware')])
    db.session.flush()
    db.session.add_all([ProductType(name='Licence', category_id=software.id), ProductType(name='Any'),
                        Warehouse(name='Annex'), Warehouse(name='Depot', is_main=True),
                        Warehouse(name='Closed', is_active=False)])
    db.session.commit()
    assert [category.name for category in host.product_categories.all()] == ['Hardware', 'Software']
    assert [(kind.name, kind.category_id) for kind in host.product_types.all()] == [('Any', None),
                                                                                    ('Licence', software.id)]
    assert [(warehouse.name, warehouse.is_main) for warehouse in host.warehouses.all()] == [('Depot', True),
                                                                                          ('Annex', False)]


def test_dropdowns_list_and_add_to_list(host: contract.Host) -> None:
    db.session.add_all(
        [
            DropdownOption(list_name=HostDropdownList.TERMS, value_key='Net 30 Days', label='Net 30 Days', position=0),
            DropdownOption(list_name=HostDropdownList.TERMS, value_key='COD', label='COD', position=1),
        ]
    )
    db.session.commit()
    terms = contract.DropdownList.TERMS
    assert [option.key for option in host.dropdowns.options(terms)] == ['Net 30 Days', 'COD']

    assert host.dropdowns.add_option(terms, 'net 30 days') == 'Net 30 Days'
    key = host.dropdowns.add_option(terms, '2% 10 Net 30')
    db.session.commit()
    assert host.dropdowns.options(terms)[-1] == contract.DropdownOption(key, '2% 10 Net 30')
    assert host.dropdowns.options(contract.DropdownList.PAYMENT_TYPES) == ()


def test_changes_older_than_the_cursor_are_not_returned(host: contract.Host) -> None:
    old = host.accounts.create_from_qb(_account('Old'))
    db.session.commit()
    db.session.get(Account, old).date_modified = utc_now() - timedelta(days=1)
    db.session.flush()
    _records, cursor = _walk(host.accounts, None, 10)
    host.accounts.create_from_qb(_account('New'))
    db.session.commit()
    records, _cursor = _walk(host.accounts, cursor, 10)
    assert [record.name for record in records] == ['New']


def test_recent_changes_are_held_back_until_they_settle(app: Flask) -> None:
    app.config['HOSTCRM_CHANGE_SETTLE_SECONDS'] = 60
    with app.app_context():
        host = make_host(app)
        account_id = host.accounts.create_from_qb(contract.AccountData(name='Fresh'))
        db.session.commit()
        page = host.accounts.changed_since(None, 10)
        assert (page.records, page.cursor, page.has_more) == ((), None, False)

        db.session.execute(sa.update(Account).values(date_modified=utc_now() - timedelta(minutes=2)))
        db.session.commit()
        assert [record.id for record in host.accounts.changed_since(None, 10).records] == [account_id]


def _document(model: type[Invoice | Bill], account_id: str, number: int, *, deleted: bool = False) -> str:
    row = model(number=number, name=f'Document {number}', account_id=account_id, issue_date=date(2026, 11, 2))
    row.deleted = deleted
    db.session.add(row)
    db.session.flush()
    return row.id


def test_accounts_with_a_live_document_of_the_kind_in_one_query(host: contract.Host) -> None:
    invoiced, billed, lapsed, quiet = (host.accounts.create_from_qb(_account(name)) for name in 'ABCD')
    _document(Invoice, invoiced, 1)
    _document(Invoice, invoiced, 2)
    _document(Bill, billed, 1)
    _document(Invoice, lapsed, 3, deleted=True)
    db.session.commit()
    statements: list[str] = []

    def count(_connection: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, 'before_cursor_execute', count)
    try:
        found = host.account_documents.accounts_with(
            contract.DocumentKind.INVOICE, [invoiced, billed, lapsed, quiet, 'unknown']
        )
    finally:
        sa.event.remove(db.engine, 'before_cursor_execute', count)
    assert found == frozenset({invoiced})
    assert len(statements) == 1
    assert host.account_documents.accounts_with(contract.DocumentKind.BILL, [invoiced, billed]) == {billed}
    assert host.account_documents.accounts_with(contract.DocumentKind.BILL, []) == frozenset()


def test_document_changes_name_their_account_and_bring_back_deletions(host: contract.Host) -> None:
    first, second = (host.accounts.create_from_qb(_account(name)) for name in ('Alpha', 'Beta'))
    invoice = _document(Invoice, first, 1)
    _document(Bill, second, 1)
    db.session.commit()

    page = host.account_documents.changed_since(contract.DocumentKind.INVOICE, None, 10)
    assert [(record.id, record.account_id, record.deleted) for record in page.records] == [(invoice, first, False)]
    assert page.has_more is False

    later = _document(Invoice, second, 2)
    db.session.commit()
    db.session.get(Invoice, invoice).deleted = True
    db.session.commit()
    records = host.account_documents.changed_since(contract.DocumentKind.INVOICE, page.cursor, 1)
    assert [(record.id, record.account_id) for record in records.records] == [(later, second)]
    assert records.has_more is True
    rest = host.account_documents.changed_since(contract.DocumentKind.INVOICE, records.cursor, 1)
    assert [(record.id, record.deleted) for record in rest.records] == [(invoice, True)]
