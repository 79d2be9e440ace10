"""Items through the real SOAP endpoint and qbsim's web connector: both ways, the standard items, the rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hostcrm.extensions import db
from hostcrm.models import Product, ProductCategory, ProductType, Warehouse
from hostcrm.models.currencies import Currency
from onecrm_finance_qb.host import AssemblyComponent, AssemblyData, DiscountData, DiscountKind, ProductData
from onecrm_finance_qb.models.links import FirstSync, LinkStatus
from onecrm_finance_qb.state import get_host

from . import qb
from .schema import assert_requests_valid

pytestmark = pytest.mark.slow

ACCOUNT_KEYS = {
    'items.income_account': 'Sales',
    'items.cost_goods_account': 'Cost of Goods Sold',
    'items.asset_account': 'Inventory Asset',
    'items.expense_account': 'Office Supplies',
    'items.discount_account': 'Office Supplies',
    'items.shipping_account': 'Services',
}


def _home(bench) -> str:
    return {'US': 'USD', 'CA': 'CAD', 'UK': 'GBP'}[bench.company_path.name.split()[0]]


def _crm(bench):
    """The host's repositories, inside an app context the caller commits."""
    return get_host(bench.app)


def _prepare(bench) -> None:
    with bench.app.app_context():
        db.session.add(Currency(iso4217=_home(bench), name='Home', is_base=True))
        db.session.add(Currency(iso4217='EUR', name='Euro', conversion_rate=Decimal('0.5')))
        db.session.commit()


def _set_accounts(bench) -> None:
    accounts = bench.qb('AccountRet')
    for key, name in ACCOUNT_KEYS.items():
        bench.cli('config', 'set', key, accounts[name]['ListID'])


def _create(bench, kind: str, data) -> str:
    with bench.app.app_context():
        record_id = getattr(_crm(bench), kind).create_from_qb(data)
        db.session.commit()
        return record_id


def _update(bench, kind: str, record_id: str, data) -> None:
    with bench.app.app_context():
        getattr(_crm(bench), kind).update_from_qb(record_id, data)
        db.session.commit()


def _get(bench, kind: str, record_id: str):
    with bench.app.app_context():
        return getattr(_crm(bench), kind).get(record_id)


def _product(part: str, *, tracked: bool = False, currency: str, price: str = '10.00') -> ProductData:
    return ProductData(
        name=f'{part} product',
        part_number=part,
        currency=currency,
        track_inventory=tracked,
        list_price=Decimal(price),
        cost=Decimal('4.00'),
        quantity_in_stock=Decimal(3) if tracked else None,
    )


def _seed_qb(bench) -> None:
    accounts = bench.qb('AccountRet')
    income = accounts['Sales']['ListID']
    qb.add(
        bench,
        'ItemNonInventory',
        f'<Name>QB-PAPER</Name><SalesOrPurchase><Desc>Paper ream</Desc>'
        f'<Price>5.50</Price><AccountRef><ListID>{income}</ListID></AccountRef></SalesOrPurchase>',
    )
    qb.add(
        bench,
        'ItemService',
        f'<Name>QB-CONSULT</Name><SalesOrPurchase><Desc>Consulting hour</Desc>'
        f'<Price>120.00</Price><AccountRef><ListID>{income}</ListID></AccountRef></SalesOrPurchase>',
    )
    qb.add(
        bench,
        'ItemDiscount',
        f'<Name>QB-LOYAL</Name><ItemDesc>Loyalty</ItemDesc>'
        f'<DiscountRatePercent>5.0</DiscountRatePercent><AccountRef><ListID>{income}</ListID></AccountRef>',
    )
    paper = bench.qb('ItemNonInventoryRet')['QB-PAPER']['ListID']
    qb.add(
        bench,
        'ItemGroup',
        f'<Name>QB-KIT</Name><ItemDesc>Paper kit</ItemDesc><ItemGroupLine><ItemRef>'
        f'<ListID>{paper}</ListID></ItemRef><Quantity>2</Quantity></ItemGroupLine>',
    )
    qb.add(bench, 'ItemSubtotal', '<Name>QB-SUB</Name><ItemDesc>Sub</ItemDesc>')


def test_first_sync_both_ways_then_nothing_changes(bench, qbxml_xsd_dir):
    _prepare(bench)
    home = _home(bench)
    _set_accounts(bench)
    _seed_qb(bench)
    widget = _create(bench, 'products', _product('WIDGET-1', tracked=True, currency=home))
    euro = _create(bench, 'products', _product('EURO-PART', currency='EUR', price='10.00'))
    existing = _create(bench, 'products', ProductData(name='Mine', part_number='qb-paper', currency=home))
    _create(bench, 'discounts', DiscountData(name='Spring Sale', kind=DiscountKind.PERCENTAGE, value=Decimal(10)))
    _create(
        bench,
        'assemblies',
        AssemblyData(name='Widget pair', part_number='PAIR-1', components=(AssemblyComponent(widget, Decimal(2)),)),
    )

    result = bench.update()
    assert result.completed, (result.outcome, result.error, result.last_error_text)

    assert bench.qb('ItemInventoryRet')['WIDGET-1']['QuantityOnHand'] in (3, Decimal(3), '3')
    euro_item = bench.qb('ItemNonInventoryRet')['EURO-PART']
    assert Decimal(str(euro_item['SalesAndPurchase']['SalesPrice'])) == Decimal('20.00')
    assert 'Spring Sale' in bench.qb('ItemDiscountRet')
    group = bench.qb('ItemGroupRet')['PAIR-1']
    assert group['ItemGroupLine'][0]['ItemRef']['FullName'] == 'WIDGET-1'
    for name, ret in (
        ('Custom Product', 'ItemNonInventoryRet'),
        ('Custom Assembly', 'ItemGroupRet'),
        ('Booked Hours', 'ItemOtherChargeRet'),
        ('Shipping', 'ItemOtherChargeRet'),
        ('Subtotal', 'ItemSubtotalRet'),
    ):
        assert name in bench.qb(ret), name

    links = bench.links()
    assert links['QB-PAPER'].crm_id == existing
    assert links['QB-PAPER'].first_sync == FirstSync.IMPORTED
    assert links['WIDGET-1'].first_sync == FirstSync.EXPORTED
    assert links['WIDGET-1'].qb_type == 'ItemInventory'
    assert links['EURO-PART'].crm_id == euro
    assert links['QB-SUB'].status == LinkStatus.REGISTERED_ONLY
    consult = _get(bench, 'products', links['QB-CONSULT'].crm_id)
    assert not consult.track_inventory
    assert consult.list_price == Decimal('120.00')
    loyal = _get(bench, 'discounts', links['QB-LOYAL'].crm_id)
    assert loyal.kind is DiscountKind.PERCENTAGE
    assert loyal.value == Decimal(5)
    kit = _get(bench, 'assemblies', links['QB-KIT'].crm_id)
    assert [component.product_id for component in kit.components] == [existing]
    waiting = [link for link in links.values() if link.status not in (LinkStatus.ENABLED, LinkStatus.REGISTERED_ONLY)]
    assert waiting == []

    second = bench.update()
    assert second.completed
    writes = {kind: count for kind, count in second.requests_by_type.items() if kind.endswith(('Add', 'Mod'))}
    assert writes == {}
    assert_requests_valid(bench, qbxml_xsd_dir)


def test_edits_both_ways_deletions_and_the_inventory_rule(us_bench, qbxml_xsd_dir):
    bench = us_bench
    _prepare(bench)
    _set_accounts(bench)
    _seed_qb(bench)
    gadget = _create(bench, 'products', _product('GADGET', currency='USD'))
    assert bench.update().completed

    _update(bench, 'products', gadget, _product('GADGET', currency='USD', price='12.00'))
    qb.modify(
        bench,
        'ItemNonInventory',
        'QB-PAPER',
        '<SalesOrPurchaseMod><Desc>Paper box</Desc><Price>6.00</Price></SalesOrPurchaseMod>',
    )
    assert bench.update().completed
    assert Decimal(str(bench.qb('ItemNonInventoryRet')['GADGET']['SalesAndPurchase']['SalesPrice'])) == Decimal(12)
    paper = _get(bench, 'products', bench.links()['QB-PAPER'].crm_id)
    assert paper.list_price == Decimal('6.00')
    assert paper.name == 'Paper box'

    _update(
        bench,
        'products',
        paper.id,
        ProductData(name='Paper carton', part_number='QB-PAPER', currency='USD', list_price=Decimal('7.00')),
    )
    assert bench.update().completed
    assert bench.qb('ItemNonInventoryRet')['QB-PAPER']['SalesOrPurchase']['Desc'] == 'Paper carton'

    _update(bench, 'products', gadget, _product('GADGET', tracked=True, currency='USD'))
    assert bench.update().completed
    link = bench.links()['GADGET']
    assert link.status == LinkStatus.UPDATE_BLOCKED
    assert 'Inventory tracking' in link.message

    qb.delete(bench, 'ItemSubtotal', 'QB-SUB')
    assert bench.update().completed
    assert bench.links()['QB-SUB'].first_sync == FirstSync.DELETED
    assert_requests_valid(bench, qbxml_xsd_dir)


def test_blocking_rules_then_fixed_and_re_registered(us_bench):
    bench = us_bench
    _prepare(bench)
    too_long = _create(bench, 'products', _product('P' * 32, currency='USD'))
    _create(bench, 'products', _product('SAME-NAME', currency='USD'))
    _create(bench, 'assemblies', AssemblyData(name='Clash', part_number='same-name'))
    _create(bench, 'discounts', DiscountData(name='Out of State', kind=DiscountKind.PERCENTAGE, value=Decimal(1)))
    _create(bench, 'products', _product('WAITS', currency='USD'))
    assert bench.update().completed

    links = bench.links()
    assert links['P' * 32].status == LinkStatus.EXPORT_BLOCKED
    assert 'longer than 31' in links['P' * 32].message
    assert links['same-name'].status == LinkStatus.EXPORT_BLOCKED
    assert 'ignoring case' in links['same-name'].message
    assert links['Out of State'].status == LinkStatus.EXPORT_BLOCKED, links['Out of State'].message
    assert links['WAITS'].status == LinkStatus.PENDING_EXPORT
    assert 'Income account' in links['WAITS'].message
    assert links['Custom Product'].status == LinkStatus.PENDING_EXPORT
    assert links['Subtotal'].status == LinkStatus.ENABLED

    _set_accounts(bench)
    _update(bench, 'products', too_long, _product('SHORT-1', currency='USD'))
    assert bench.update().completed
    links = bench.links()
    assert links['SHORT-1'].status == LinkStatus.ENABLED
    assert links['WAITS'].status == LinkStatus.ENABLED
    assert links['SAME-NAME'].status == LinkStatus.ENABLED
    assert links['Custom Product'].status == LinkStatus.ENABLED
    assert 'SHORT-1' in bench.qb('ItemNonInventoryRet')


def test_a_quickbooks_namesake_never_duplicates_a_crm_product(us_bench):
    """A product waiting for export takes QuickBooks' item of the same part number, whatever its type;
    an item whose CRM namesake is already linked elsewhere is Import Blocked, never created twice."""
    bench = us_bench
    _prepare(bench)
    income = bench.qb('AccountRet')['Sales']['ListID']
    _create(bench, 'products', _product('SVC-1', currency='USD'))
    renamed = _create(bench, 'products', _product('P-OLD', currency='USD'))
    qb.add(
        bench,
        'ItemService',
        f'<Name>SVC-1</Name><SalesOrPurchase><Desc>Service</Desc><Price>20.00</Price>'
        f'<AccountRef><ListID>{income}</ListID></AccountRef></SalesOrPurchase>',
    )
    _set_accounts(bench)
    assert bench.update().completed
    links = bench.links()
    assert links['SVC-1'].qb_type == 'ItemService'
    assert links['SVC-1'].qb_id == bench.qb('ItemServiceRet')['SVC-1']['ListID']
    assert 'SVC-1' not in bench.qb('ItemNonInventoryRet')
    assert links['P-OLD'].status == LinkStatus.ENABLED

    qb.add(
        bench,
        'ItemService',
        f'<Name>P-NEW</Name><SalesOrPurchase><Desc>Another</Desc><Price>1.00</Price>'
        f'<AccountRef><ListID>{income}</ListID></AccountRef></SalesOrPurchase>',
    )
    _update(bench, 'products', renamed, _product('P-NEW', currency='USD'))
    assert bench.update().completed
    blocked = bench.links('ItemService')['P-NEW']
    assert blocked.status == LinkStatus.IMPORT_BLOCKED
    assert 'already linked' in blocked.message
    assert blocked.crm_id is None
    with bench.app.app_context():
        assert len(_crm(bench).products.find_by_part_number('P-NEW')) == 1
        assert len(_crm(bench).products.find_by_part_number('SVC-1')) == 1


def test_imported_products_are_filed_under_the_wizards_defaults(us_bench):
    """A product created from a QuickBooks item gets the import category, type and warehouse;
    an existing product linked by part number keeps its own."""
    bench = us_bench
    _prepare(bench)
    with bench.app.app_context():
        category = ProductCategory(name='Imported')
        db.session.add(category)
        db.session.flush()
        kind = ProductType(name='Goods', category_id=category.id)
        store = Warehouse(name='Main store', is_main=True)
        db.session.add_all([kind, store])
        db.session.commit()
        placement = {'items.import_category': category.id, 'items.import_type': kind.id,
                     'items.inventory_warehouse': store.id}
    for key, value in placement.items():
        bench.cli('config', 'set', key, value)
    kept = _create(bench, 'products', _product('QB-PAPER', currency='USD'))
    _seed_qb(bench)
    assert bench.update().completed

    with bench.app.app_context():
        [consult] = _crm(bench).products.find_by_part_number('QB-CONSULT')
        created = db.session.get(Product, consult.id)
        assert (created.product_category_id, created.product_type_id, created.warehouse_id) == (
            placement['items.import_category'], placement['items.import_type'], placement['items.inventory_warehouse']
        )
        linked = db.session.get(Product, kept)
        assert linked.product_category_id is None
