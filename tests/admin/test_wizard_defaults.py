"""The wizard's expense categories, defaults for imported products and non-US tax-rate slots, and the CLI keys."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from hostcrm.extensions import db
from hostcrm.models import BookingClass, ExpenseCategory, ProductCategory, ProductType, TaxRate, Warehouse
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.settings_store import get_setting

from .conftest import add_server, csrf_token


def _account(app: Flask, server_id: int, name: str, account_type: str) -> str:
    with app.app_context():
        row = ListMapping(server_id=server_id, kind=ListKind.ACCOUNT, qb_type='Account', qb_id=f'QB-{name}', name=name,
                          details=json.dumps({'AccountType': account_type}))
        db.session.add(row)
        db.session.commit()
        return row.qb_id


def _add(app: Flask, *records: object) -> list[str]:
    with app.app_context():
        db.session.add_all(records)
        db.session.commit()
        return [record.id for record in records]


def _page(client: FlaskClient, step: str) -> etree._Element:
    return etree.HTML(client.get(f'/finance-qb/wizard/{step}').get_data(as_text=True))


def _submit(client: FlaskClient, step: str, **data: object) -> tuple[int, str]:
    token = csrf_token(client.get(f'/finance-qb/wizard/{step}').get_data(as_text=True))
    response = client.post(f'/finance-qb/wizard/{step}', data={'csrf_token': token, **data})
    return response.status_code, response.get_data(as_text=True)


def _light(client: FlaskClient, step: str) -> str:
    return _page(client, step).xpath(f'//ol[@class="fqb-steps"]/li[@data-step="{step}"]/@data-light')[0]


def _setting(app: Flask, key: str, server_id: int) -> object:
    with app.app_context():
        return get_setting(db.session, key, server_id)


def _set_country(app: Flask, server_id: int, country: str) -> None:
    with app.app_context():
        db.session.get(QBServer, server_id).country = country
        db.session.commit()


@pytest.mark.usefixtures('transaction_phases')
def test_expense_categories_are_booked_to_expense_accounts(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    travel_account = _account(app, server_id, 'Travel Expense', 'Expense')
    _account(app, server_id, 'Freight', 'CostOfGoodsSold')
    _account(app, server_id, 'Checking', 'Bank')
    travel, meals = _add(app, ExpenseCategory(name='Travel'), ExpenseCategory(name='Meals'),
                         ExpenseCategory(name='Consulting', booking_class=BookingClass.SERVICES))[:2]
    page = _page(client, 'expense_categories')
    assert page.xpath('//table[@id="fqb-expense-categories"]//td[1]/text()') == ['Meals', 'Travel']
    assert page.xpath(f'//select[@name="expense-{travel}"]/option/text()') == ['(Not set)', 'Freight',
                                                                               'Travel Expense']
    assert _light(client, 'expense_categories') == 'yellow'
    status, html = _submit(client, 'expense_categories', nav='save', **{f'expense-{travel}': 'QB-Checking'})
    assert status == 200
    assert 'Travel: choose one of the QuickBooks accounts offered.' in html
    status, _html = _submit(client, 'expense_categories', nav='next',
                            **{f'expense-{travel}': travel_account, f'expense-{meals}': travel_account})
    assert status == 302
    assert _light(client, 'expense_categories') == 'green'
    with app.app_context():
        rows = db.session.scalars(sa.select(ListMapping).where(ListMapping.kind == ListKind.EXPENSE_CATEGORY)).all()
        assert {(row.crm_value, row.expense_account, row.qb_id) for row in rows} == {
            (travel, travel_account, None), (meals, travel_account, None)}


def test_defaults_for_imported_products(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    _account(app, server_id, 'Sales', 'Income')
    hardware, software = _add(app, ProductCategory(name='Hardware'), ProductCategory(name='Software'))
    disk, licence = _add(app, ProductType(name='Disk', category_id=hardware),
                         ProductType(name='Licence', category_id=software))
    side, main = _add(app, Warehouse(name='Annex'), Warehouse(name='Depot', is_main=True))
    page = _page(client, 'item_accounts')
    assert page.xpath('//select[@name="items.import_category"]/option/text()') == ['(Not set)', 'Hardware',
                                                                                    'Software']
    assert page.xpath('//select[@name="items.import_type"]/option/text()') == ['(Not set)', 'Disk (Hardware)',
                                                                                'Licence (Software)']
    assert page.xpath('//select[@name="items.inventory_warehouse"]/option/text()') == ['(Not set)', 'Depot **',
                                                                                        'Annex']
    status, html = _submit(client, 'item_accounts', nav='save', **{
        'items.import_category': hardware, 'items.import_type': licence, 'items.inventory_warehouse': main})
    assert status == 200
    assert 'this type is not offered in the chosen category' in html
    assert _setting(app, 'items.import_category', server_id) == ''
    status, html = _submit(client, 'item_accounts', nav='save', **{'items.inventory_warehouse': 'elsewhere'})
    assert 'Warehouse for Inventory Items: the value' in html
    status, _html = _submit(client, 'item_accounts', nav='save', **{
        'items.import_category': hardware, 'items.import_type': disk, 'items.inventory_warehouse': side})
    assert status == 302
    assert _setting(app, 'items.import_category', server_id) == hardware
    assert _setting(app, 'items.import_type', server_id) == disk
    assert _setting(app, 'items.inventory_warehouse', server_id) == side


@pytest.mark.usefixtures('transaction_phases')
def test_canadian_tax_rate_slots_are_guessed_by_name_and_saved(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    _set_country(app, server_id, 'CA')
    gst, pst = _add(app, TaxRate(name='GST', rate=5), TaxRate(name='Provincial Sales Tax', rate=7))
    page = _page(client, 'tax_rates')
    labels = page.xpath('//label[@for="tax_rate.slot_1" or @for="tax_rate.slot_2"]/text()')
    assert labels == ['General Sales Tax (GST)', 'Provincial Sales Tax (PST)']
    assert page.xpath('//select[@name="tax_rate.slot_1"]/option[@selected]/@value') == [gst]
    assert page.xpath('//select[@name="tax_rate.slot_2"]/option[@selected]/@value') == [pst]
    assert _setting(app, 'tax_rate.slot_1', server_id) == '', 'a suggestion is saved only when submitted'
    status, _html = _submit(client, 'tax_rates', nav='save', **{'tax_rate.slot_1': gst, 'tax_rate.slot_2': pst})
    assert status == 302
    assert (_setting(app, 'tax_rate.slot_1', server_id), _setting(app, 'tax_rate.slot_2', server_id)) == (gst, pst)


@pytest.mark.usefixtures('transaction_phases')
def test_uk_has_one_tax_rate_slot_and_the_us_none(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    assert not _page(client, 'tax_rates').xpath('//select[starts-with(@name, "tax_rate.")]')
    _set_country(app, server_id, 'UK')
    page = _page(client, 'tax_rates')
    assert page.xpath('//select[starts-with(@name, "tax_rate.")]/@name') == ['tax_rate.slot_1']
    assert page.xpath('//label[@for="tax_rate.slot_1"]/text()') == ['Value Added Tax (VAT)']


@pytest.mark.usefixtures('transaction_phases')
def test_cli_books_an_expense_category_to_an_account(app: Flask) -> None:
    server_id = add_server(app)
    account = _account(app, server_id, 'Travel Expense', 'Expense')
    _account(app, server_id, 'Checking', 'Bank')
    (travel,) = _add(app, ExpenseCategory(name='Travel'))
    runner = app.test_cli_runner()
    result = runner.invoke(args=['finance-qb', 'config', 'set', 'mapping.expense_category.travel', 'travel expense'])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == 'mapping.expense_category.travel = Travel Expense'
    refused = runner.invoke(args=['finance-qb', 'config', 'set', 'mapping.expense_category.Travel', 'Checking'])
    assert refused.exit_code != 0
    assert 'no active expense account' in refused.output
    unknown = runner.invoke(args=['finance-qb', 'config', 'set', 'mapping.expense_category.Golf', 'Travel Expense'])
    assert 'no expense category named' in unknown.output
    shown = runner.invoke(args=['finance-qb', 'config', 'show', '--json'])
    entries = {entry['key']: entry['value'] for entry in json.loads(shown.output)}
    assert entries['mapping.expense_category.Travel'] == 'Travel Expense'
    with app.app_context():
        row = db.session.scalars(sa.select(ListMapping).where(ListMapping.crm_value == travel)).one()
        assert row.expense_account == account
