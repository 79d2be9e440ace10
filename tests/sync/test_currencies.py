"""Multi-currency companies: currencies mapped, accounts in foreign currencies both ways, item prices at home.

QuickBooks fixes a customer's or vendor's currency when it is created, and keeps item prices in
its home currency (inventory section 7, "Multi-currency"); a single-currency company knows no
currencies at all, so it must never be sent a CurrencyRef.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from hostcrm.extensions import db
from hostcrm.models.currencies import Currency
from onecrm_finance_qb.models.links import LinkStatus

from . import qb
from .conftest import make_bench
from .schema import assert_requests_valid
from .test_items import _create, _product, _set_accounts

pytestmark = pytest.mark.slow


@pytest.fixture
def multicurrency_bench(crm, tmp_path):
    return make_bench(crm, tmp_path, 'US', multicurrency=True)


def _currencies(bench) -> dict[str, str]:
    """The CRM's base USD, EUR (2 euros to the dollar), CAD, CHF and JPY: their ids by ISO code."""
    with bench.app.app_context():
        rows = [
            Currency(iso4217='USD', name='Dollar', is_base=True),
            Currency(iso4217='EUR', name='Euro', conversion_rate=Decimal('2')),
            Currency(iso4217='CAD', name='Canadian dollar', conversion_rate=Decimal('1.25')),
            Currency(iso4217='CHF', name='Swiss franc', conversion_rate=Decimal('0.9')),
            Currency(iso4217='JPY', name='Yen', conversion_rate=Decimal('150')),
        ]
        db.session.add_all(rows)
        db.session.commit()
        return {row.iso4217: row.id for row in rows}


def _currency_mappings(bench) -> dict[str, str | None]:
    entries = json.loads(bench.cli('config', 'show', '--json'))
    return {
        entry['key'].removeprefix('mapping.currency.'): entry['value']
        for entry in entries
        if entry['key'].startswith('mapping.currency.')
    }


def _sent_requests(bench) -> str:
    return ''.join(path.read_text(encoding='utf-8') for path in bench.request_files())


def test_currencies_are_mapped_and_carried_both_ways(multicurrency_bench, qbxml_xsd_dir):
    bench = multicurrency_bench
    crm_currencies = _currencies(bench)
    qb.add(bench, 'Currency', '<Name>Swiss Franc</Name><CurrencyCode>CHF</CurrencyCode>')
    qb.add(bench, 'Currency', '<Name>Franc suisse</Name><CurrencyCode>XCH</CurrencyCode>')
    qb.add(
        bench, 'Customer', '<Name>Maple Leaf Ltd</Name><CurrencyRef><FullName>Canadian Dollar</FullName></CurrencyRef>'
    )
    qb.add(bench, 'Vendor', '<Name>Zurich Parts AG</Name><CurrencyRef><FullName>Swiss Franc</FullName></CurrencyRef>')
    _set_accounts(bench)
    euro_buyer = bench.add_account('Euro Buyer GmbH', currency_id=crm_currencies['EUR'])
    bench.add_account('Euro Supplies BV', supplier=True, currency_id=crm_currencies['EUR'])
    bench.add_account('Home Town Inc', currency_id=crm_currencies['USD'])
    bench.add_account('Tokyo Trading KK', currency_id=crm_currencies['JPY'])
    _create(bench, 'products', _product('EURO-PART', currency='EUR', price='10.00'))

    first = bench.update()
    assert first.completed, (first.outcome, first.error, first.last_error_text)
    mapped = _currency_mappings(bench)
    assert {name: mapped[name] for name in ('US Dollar', 'Canadian Dollar', 'Euro', 'Swiss Franc')} == {
        'US Dollar': 'USD',
        'Canadian Dollar': 'CAD',
        'Euro': 'EUR',
        'Swiss Franc': 'CHF',
    }
    assert mapped['Franc suisse'] is None
    tokyo = bench.links('Customer')['Tokyo Trading KK']
    assert tokyo.status == LinkStatus.PENDING_EXPORT
    assert str(tokyo.message) == 'Currency JPY is not mapped to a QuickBooks currency.'

    customers, vendors = bench.qb('CustomerRet'), bench.qb('VendorRet')
    assert customers['Euro Buyer GmbH']['CurrencyRef']['FullName'] == 'Euro'
    assert customers['Home Town Inc']['CurrencyRef']['FullName'] == 'US Dollar'
    assert vendors['Euro Supplies BV']['CurrencyRef']['FullName'] == 'Euro'
    [maple] = bench.accounts_named('Maple Leaf Ltd')
    assert maple.currency_id == crm_currencies['CAD']
    [zurich] = bench.accounts_named('Zurich Parts AG')
    assert zurich.currency_id == crm_currencies['CHF']
    price = bench.qb('ItemNonInventoryRet')['EURO-PART']['SalesAndPurchase']['SalesPrice']
    assert Decimal(str(price)) == Decimal('5.00')

    # A currency added in QuickBooks is downloaded and mapped by its code, and the account waiting
    # for it goes; the administrator maps one the speculative mapping left alone.
    qb.add(bench, 'Currency', '<Name>Japanese Yen</Name><CurrencyCode>JPY</CurrencyCode>')
    bench.cli('config', 'set', 'mapping.currency.Franc suisse', 'CHF')
    assert _currency_mappings(bench)['Franc suisse'] == 'CHF'
    bench.edit_account(euro_buyer, phone_office='555-0100')
    second = bench.update()
    assert second.completed
    writes = {kind: count for kind, count in second.requests_by_type.items() if kind.endswith(('Add', 'Mod'))}
    assert writes == {'CustomerAdd': 1, 'CustomerMod': 1}
    assert _currency_mappings(bench)['Japanese Yen'] == 'JPY'
    customers = bench.qb('CustomerRet')
    assert customers['Euro Buyer GmbH']['CurrencyRef']['FullName'] == 'Euro'
    assert customers['Tokyo Trading KK']['CurrencyRef']['FullName'] == 'Japanese Yen'
    third = bench.update()
    assert not [kind for kind in third.requests_by_type if kind.endswith(('Add', 'Mod'))]
    assert_requests_valid(bench, qbxml_xsd_dir)


def test_a_single_currency_company_never_gets_a_currency(us_bench, qbxml_xsd_dir):
    bench = us_bench
    crm_currencies = _currencies(bench)
    _set_accounts(bench)
    euro_buyer = bench.add_account('Euro Buyer GmbH', currency_id=crm_currencies['EUR'])
    bench.add_account('Euro Supplies BV', supplier=True, currency_id=crm_currencies['EUR'])
    _create(bench, 'products', _product('EURO-PART', currency='EUR', price='10.00'))
    assert bench.update().completed
    bench.edit_account(euro_buyer, phone_office='555-0100')
    assert bench.update().completed

    assert {'Euro Buyer GmbH', 'Euro Supplies BV'} <= bench.qb('CustomerRet').keys() | bench.qb('VendorRet').keys()
    sent = _sent_requests(bench)
    assert '<CustomerModRq' in sent
    assert 'Currency' not in sent
    price = bench.qb('ItemNonInventoryRet')['EURO-PART']['SalesAndPurchase']['SalesPrice']
    assert Decimal(str(price)) == Decimal('5.00')
    assert_requests_valid(bench, qbxml_xsd_dir)
