"""The conflicts page: both versions of each held record side by side, labelled, differences marked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from hostcrm.extensions import db
from onecrm_finance_qb.admin.conflict_view import FIELD_LABELS
from onecrm_finance_qb.host import (
    AccountData,
    Address,
    AssemblyComponent,
    AssemblyData,
    Contact,
    DiscountData,
    DiscountKind,
    ProductData,
    TaxRateData,
)
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.links import ConflictPolicy, LinkStatus, SyncConflict
from onecrm_finance_qb.state import get_host
from onecrm_finance_qb.sync import conflict_versions

from .conftest import XSS, add_links, add_server, csrf_token, get_link


@pytest.fixture
def server_id(app: Flask) -> int:
    return add_server(app)


def _hold(app: Flask, server_id: int, crm: AccountData, qb: AccountData | None) -> tuple[str, int]:
    """A CRM account with ``crm``'s data, held for review against QuickBooks' ``qb`` (None: not readable)."""
    with app.app_context():
        account_id = get_host(app).accounts.create_from_qb(crm)
        db.session.commit()
    [link_id] = add_links(app, server_id, [{'crm_id': account_id, 'name': crm.name, 'status': LinkStatus.HELD,
                                            'qb_id': 'Q1', 'edit_sequence': '5'}])
    with app.app_context():
        conflict = SyncConflict(server_id=server_id, link_id=link_id, qb_type='Customer', name=crm.name,
                                policy=ConflictPolicy.HOLD, crm_modified_at=utc_now(), qb_modified_at=utc_now(),
                                qb_version=conflict_versions.dump(qb) if qb else None, qb_edit_sequence='6')
        db.session.add(conflict)
        db.session.commit()
        return account_id, conflict.id


def _article(client: FlaskClient, conflict_id: int) -> etree._Element:
    html = client.get('/finance-qb/conflicts').get_data(as_text=True)
    assert XSS not in html
    return etree.HTML(html).xpath(f'//article[@data-conflict="{conflict_id}"]')[0]


def _rows(article: etree._Element) -> dict[str, tuple[str, str, bool]]:
    """Each field row by its label: the CRM value, the QuickBooks value, whether it is marked as differing."""
    return {
        row.xpath('string(th)'): (row.xpath('string(td[@class="crm-value"])'),
                                  row.xpath('string(td[@class="qb-value"])'), 'fqb-differs' in row.get('class'))
        for row in article.xpath('.//tr[contains(@class, "fqb-field")]')
    }


def test_both_versions_side_by_side_with_labels_and_differences(app: Flask, client: FlaskClient,
                                                               server_id: int) -> None:
    crm = AccountData(name='Acme', phone_office='555-1000', email='ap@acme.example', credit_limit=Decimal('500.00'),
                      billing_address=Address(street='1 Main St\nSuite 2', city='Springfield'))
    qb = AccountData(name='Acme', phone_office='555-2000', email='ap@acme.example', credit_limit=Decimal('500'),
                     description=XSS, billing_address=Address(street='1 Main St\nSuite 2', city='Springfield'))
    account_id, conflict_id = _hold(app, server_id, crm, qb)
    article = _article(client, conflict_id)
    rows = _rows(article)
    assert rows['Office phone'] == ('555-1000', '555-2000', True)
    assert rows['Email'] == ('ap@acme.example', 'ap@acme.example', False)
    assert rows['Credit limit'] == ('500', '500', False)
    assert rows['Billing address'] == ('1 Main St, Suite 2, Springfield',) * 2 + (False,)
    # QuickBooks-supplied text is shown as text, never as markup.
    assert rows['Description'] == ('', XSS, True)
    assert rows['Supplier'] == ('No', 'No', False)
    assert not {'phone_office', 'billing_address', 'is_supplier'} & set(rows)
    assert article.xpath('string(.//h2/a/@href)') == f'/admin/account/edit/?id={account_id}'


def test_a_version_quickbooks_could_not_map_shows_the_crm_side_and_says_so(app: Flask, client: FlaskClient,
                                                                           server_id: int) -> None:
    _account_id, conflict_id = _hold(app, server_id, AccountData(name='Acme', phone_office='555-1000'), None)
    article = _article(client, conflict_id)
    assert article.xpath('.//p[@class="fqb-qb-unknown"]')
    assert _rows(article)['Office phone'] == ('555-1000', '', False)


def test_keeping_the_crm_version_sends_it_with_the_edit_sequence_of_the_conflict(app: Flask, client: FlaskClient,
                                                                                  server_id: int) -> None:
    _account_id, conflict_id = _hold(app, server_id, AccountData(name='Acme'), AccountData(name='Acme'))
    token = csrf_token(client.get('/finance-qb/conflicts').get_data(as_text=True))
    client.post(f'/finance-qb/conflicts/{conflict_id}', data={'csrf_token': token, 'keep': 'crm'})
    with app.app_context():
        conflict = db.session.get(SyncConflict, conflict_id)
        assert conflict.resolved_at is not None
        link_id = conflict.link_id
    link = get_link(app, link_id)
    assert (link.status, link.edit_sequence) == (LinkStatus.PENDING_UPDATE, '6')


@pytest.mark.parametrize('data', [
    AccountData(name='a', contacts=(Contact(first_name='Ann'),), billing_address=Address(city='X')),
    ProductData(name='p', part_number='P-1', currency='USD', list_price=Decimal('1.50')),
    AssemblyData(name='a', part_number='A-1', components=(AssemblyComponent('p1', Decimal(2)),)),
    DiscountData(name='d', kind=DiscountKind.PERCENTAGE, value=Decimal('12.5')),
    TaxRateData(name='t', rate=Decimal('7.25')),
])
def test_every_field_a_version_shows_has_a_label(data: object) -> None:
    assert set(conflict_versions.project(data)) <= set(FIELD_LABELS)


def test_versions_are_plain_text_without_ids_or_lists() -> None:
    data = ProductData(name='p', part_number='P-1', currency='USD', list_price=Decimal('10.50'),
                       quantity_in_stock=Decimal('100'), supplier_id='s1', track_inventory=True)
    version = conflict_versions.load(conflict_versions.dump(data))
    assert version is not None
    assert (version['list_price'], version['quantity_in_stock'], version['track_inventory']) == ('10.5', '100', True)
    assert 'supplier_id' not in version
    assert conflict_versions.project(DiscountData(name='d', kind=DiscountKind.FIXED, value=Decimal(3)))['kind'] == \
        'fixed'
    assert 'contacts' not in conflict_versions.project(AccountData(name='a', contacts=(Contact(first_name='A'),)))


@pytest.mark.parametrize('text', [None, '', 'not json', '[1]'])
def test_a_missing_or_damaged_version_reads_as_none(text: str | None) -> None:
    assert conflict_versions.load(text) is None
