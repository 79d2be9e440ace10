"""The configuration wizard: lights, opening step, mapping pages, settings pages, Go Live's rules."""

from __future__ import annotations

import html as html_text
import json

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from hostcrm.extensions import db
from onecrm_finance_qb.host import DropdownList
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.settings_store import get_setting
from onecrm_finance_qb.state import get_host

from .conftest import XSS, add_server, csrf_token

BATCHES = dict.fromkeys(('batch.accounts_import', 'batch.accounts_export', 'batch.products_import',
                         'batch.products_export'), '50')
TRANSACTION_BATCHES = dict.fromkeys(('batch.invoices_import', 'batch.invoices_export', 'batch.payments_import',
                                     'batch.payments_export'), '50')


def _mapping(app: Flask, server_id: int, kind: ListKind, name: str, crm_value: str | None = None,
             auto: bool = False, **details: str) -> int:
    with app.app_context():
        row = ListMapping(server_id=server_id, kind=kind, qb_type='X', qb_id=f'QB-{kind}-{name}', name=name,
                          crm_value=crm_value, auto_mapped=auto, details=json.dumps(details))
        db.session.add(row)
        db.session.commit()
        return row.id


def _crm_value(app: Flask, row_id: int) -> str | None:
    with app.app_context():
        return db.session.get(ListMapping, row_id).crm_value


def _lights(client: FlaskClient, step: str) -> dict[str, str]:
    page = etree.HTML(client.get(f'/finance-qb/wizard/{step}').get_data(as_text=True))
    return {item.get('data-step'): item.get('data-light') for item in page.xpath('//ol[@class="fqb-steps"]/li')}


def _submit(client: FlaskClient, step: str, **data: object) -> tuple[int, str, str | None]:
    token = csrf_token(client.get(f'/finance-qb/wizard/{step}').get_data(as_text=True))
    response = client.post(f'/finance-qb/wizard/{step}', data={'csrf_token': token, **data})
    return response.status_code, response.get_data(as_text=True), response.headers.get('Location')


def _setting(app: Flask, key: str, server_id: int) -> object:
    with app.app_context():
        return get_setting(db.session, key, server_id)


def test_without_a_server_the_wizard_opens_at_server_selection(client: FlaskClient) -> None:
    response = client.get('/finance-qb/wizard/')
    assert response.headers['Location'].endswith('/finance-qb/wizard/server')
    assert _lights(client, 'server')['server'] == 'red'


def test_opens_at_the_first_step_needing_attention(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app, home_currency='US Dollar', multicurrency=True)
    _mapping(app, server_id, ListKind.CURRENCY, 'US Dollar', CurrencyCode='USD')
    assert client.get('/finance-qb/wizard/').headers['Location'].endswith('/wizard/currencies')
    lights = _lights(client, 'currencies')
    assert lights['server'] == 'green'
    assert lights['currencies'] == 'red'
    assert lights['terms'] == 'green'
    assert 'QuickBooks primary currency is not mapped.' in client.get('/finance-qb/wizard/currencies').get_data(
        as_text=True)


def test_before_any_list_arrives_mapping_steps_are_grey(app: Flask, client: FlaskClient) -> None:
    add_server(app)
    lights = _lights(client, 'terms')
    assert lights['terms'] == 'grey'
    assert client.get('/finance-qb/wizard/').headers['Location'].endswith('/wizard/go_live')


def test_mapping_page_shows_suggestions_and_saves_choices(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    with app.app_context():
        net30 = get_host(app).dropdowns.add_option(DropdownList.TERMS, 'Net 30 Days')
        db.session.commit()
    suggested = _mapping(app, server_id, ListKind.TERMS, 'Net 30', crm_value=net30, auto=True)
    unmapped = _mapping(app, server_id, ListKind.TERMS, XSS)
    html = client.get('/finance-qb/wizard/terms').get_data(as_text=True)
    assert XSS not in html
    page = etree.HTML(html)
    assert page.xpath(f'//tr[@data-mapping="{suggested}"]//option[@selected]/@value') == [net30]
    assert page.xpath(f'string(//tr[@data-mapping="{suggested}"]//span[@class="fqb-suggested"])') == 'suggested'
    assert _lights(client, 'terms')['terms'] == 'yellow'

    choices = {f'map-{suggested}': net30, f'map-{unmapped}': '+'}
    status, _html, location = _submit(client, 'terms', nav='next', **choices)
    assert status == 302
    assert location.endswith('/wizard/payment_methods')
    added = _crm_value(app, unmapped)
    with app.app_context():
        labels = {option.key: option.label for option in get_host(app).dropdowns.options(DropdownList.TERMS)}
    assert labels[added] == XSS
    assert _lights(client, 'terms')['terms'] == 'green'


def test_add_to_list_for_all_unmapped(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    rows = [_mapping(app, server_id, ListKind.SHIP_METHOD, name) for name in ('UPS', 'Fedex')]
    status, _html, location = _submit(client, 'ship_methods', nav='add_all')
    assert status == 302
    assert location.endswith('/wizard/ship_methods')
    with app.app_context():
        names = {get_host(app).shipping_providers.get(_crm_value(app, row)).name for row in rows}
    assert names == {'UPS', 'Fedex'}


def test_a_value_the_crm_does_not_have_is_refused_and_nothing_is_saved(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    first = _mapping(app, server_id, ListKind.PAYMENT_METHOD, 'Cash')
    second = _mapping(app, server_id, ListKind.PAYMENT_METHOD, 'Visa')
    with app.app_context():
        cash = get_host(app).dropdowns.add_option(DropdownList.PAYMENT_TYPES, 'Cash')
        db.session.commit()
    status, html, _location = _submit(client, 'payment_methods', nav='next',
                                      **{f'map-{first}': cash, f'map-{second}': 'no-such-option'})
    assert status == 200
    assert 'is not a CRM value for Visa' in html_text.unescape(html)
    assert _crm_value(app, first) is None


def test_go_live_saves_the_same_settings_the_cli_sets(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    status, _html, location = _submit(client, 'go_live', nav='finish', **{
        'import.customers': '1', 'import.products': '1', 'export.customers': '1', 'export.products': '1',
        'batch.accounts_import': '120', 'batch.accounts_export': '50', 'batch.products_import': '50',
        'batch.products_export': '50', 'sync.allowed': '1',
    })
    assert status == 302
    assert location.endswith('/finance-qb/')
    assert _setting(app, 'sync.allowed', server_id) is True
    assert _setting(app, 'batch.accounts_import', server_id) == 120
    assert _setting(app, 'import.vendors', server_id) is False
    runner = app.test_cli_runner()
    result = runner.invoke(args=['finance-qb', 'config', 'set', 'batch.accounts_import', '77'])
    assert result.exit_code == 0, result.output
    page = etree.HTML(client.get('/finance-qb/wizard/go_live').get_data(as_text=True))
    assert page.xpath('//input[@name="batch.accounts_import"]/@value') == ['77']
    assert _lights(client, 'go_live')['go_live'] == 'green'


@pytest.mark.parametrize(
    ('fields', 'message'),
    [
        ({'import.invoices': '1', 'import.products': '1'}, '"Import Invoices and Incoming Payments" needs'),
        ({'export.bills': '1', 'export.vendors': '1'}, '"Export Bills and Outgoing Payments" needs "Export Products"'),
        ({'batch.accounts_import': '0'}, 'Accounts per import request: the value "0" is not acceptable.'),
        ({'batch.accounts_import': 'many'}, 'the value "many" is not acceptable'),
    ],
)
@pytest.mark.usefixtures('transaction_phases')
def test_go_live_refuses_inconsistent_choices(app: Flask, client: FlaskClient, fields: dict, message: str) -> None:
    server_id = add_server(app)
    status, html, _location = _submit(client, 'go_live', nav='finish',
                                      **{**BATCHES, **TRANSACTION_BATCHES, 'sync.allowed': '1', **fields})
    assert status == 200
    assert message in html_text.unescape(html)
    assert _setting(app, 'sync.allowed', server_id) is False


def test_go_live_refuses_to_enable_sync_while_a_step_is_red(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app, home_currency='Euro', multicurrency=True)
    _mapping(app, server_id, ListKind.CURRENCY, 'Euro', CurrencyCode='EUR')
    status, html, _location = _submit(client, 'go_live', nav='finish', **{**BATCHES, 'sync.allowed': '1'})
    assert status == 200
    assert 'Currencies: QuickBooks primary currency is not mapped.' in html_text.unescape(html)
    assert _setting(app, 'sync.allowed', server_id) is False


def test_back_and_cancel_are_links_that_save_nothing(app: Flask, client: FlaskClient) -> None:
    add_server(app)
    page = etree.HTML(client.get('/finance-qb/wizard/tax_codes').get_data(as_text=True))
    assert page.xpath('//a[@id="fqb-back"]/@href') == ['/finance-qb/wizard/tax_rates']
    assert page.xpath('//a[@id="fqb-cancel"]/@href') == ['/finance-qb/']
    assert client.get('/finance-qb/wizard/no_such_step').status_code == 404


def test_only_declared_settings_are_offered(app: Flask, client: FlaskClient) -> None:
    add_server(app)
    page = etree.HTML(client.get('/finance-qb/wizard/go_live').get_data(as_text=True))
    names = set(page.xpath('//form[@id="fqb-wizard-form"]//input[@name!="csrf_token"]/@name'))
    from onecrm_finance_qb.settings_registry import SETTINGS

    assert names <= set(SETTINGS)
    assert 'sync.allowed' in names
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ListMapping)) == 0


def test_settings_only_unbuilt_phases_read_are_not_offered(app: Flask, client: FlaskClient) -> None:
    """Transaction switches, batch sizes, accounts, fallbacks, tax slots and expense categories wait for their phase."""
    server_id = add_server(app)
    with app.app_context():
        db.session.get(QBServer, server_id).country = 'CA'
        db.session.commit()
    go_live = etree.HTML(client.get('/finance-qb/wizard/go_live').get_data(as_text=True))
    offered = set(go_live.xpath('//form[@id="fqb-wizard-form"]//input/@name'))
    assert {'import.customers', 'export.products', 'batch.accounts_import'} <= offered
    assert not offered & {'import.invoices', 'export.quotes', 'export.bills', 'batch.invoices_import',
                          'batch.payments_export'}
    accounts = etree.HTML(client.get('/finance-qb/wizard/item_accounts').get_data(as_text=True))
    pickers = set(accounts.xpath('//select/@name'))
    assert 'items.income_account' in pickers
    assert not pickers & {'items.accounts_receivable', 'items.accounts_payable', 'items.checking_account',
                          'items.cc_account'}
    tax_rates = client.get('/finance-qb/wizard/tax_rates').get_data(as_text=True)
    assert 'tax_rate.slot_1' not in tax_rates
    payment_methods = client.get('/finance-qb/wizard/payment_methods').get_data(as_text=True)
    assert 'payment_method.default_import' not in payment_methods
    assert 'expense_categories' not in _lights(client, 'go_live')
    assert client.get('/finance-qb/wizard/expense_categories').status_code == 404
    runner = app.test_cli_runner()
    shown = runner.invoke(args=['finance-qb', 'config', 'show', '--json'])
    keys = {entry['key'] for entry in json.loads(shown.output)}
    assert 'import.customers' in keys
    assert not {key for key in keys if key.startswith(('import.invoices', 'tax_rate.', 'mapping.expense_category.'))}
    refused = runner.invoke(args=['finance-qb', 'config', 'set', 'export.invoices', 'true'])
    assert refused.exit_code != 0
    assert 'export.invoices is read by the invoices sync, which this version does not run yet' in refused.output
    assert _setting(app, 'export.invoices', server_id) is True, 'the declared default is untouched'


@pytest.mark.usefixtures('transaction_phases')
def test_item_accounts_offer_accounts_of_the_right_type(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    _mapping(app, server_id, ListKind.ACCOUNT, 'Sales', AccountType='Income')
    _mapping(app, server_id, ListKind.ACCOUNT, 'Checking', AccountType='Bank')
    page = etree.HTML(client.get('/finance-qb/wizard/item_accounts').get_data(as_text=True))
    assert page.xpath('//select[@name="items.income_account"]/option/text()') == ['(Not set)', 'Sales']
    assert page.xpath('//select[@name="items.checking_account"]/option/text()') == ['(Not set)', 'Checking']
    assert _lights(client, 'item_accounts')['item_accounts'] == 'yellow'
    status, html, _location = _submit(client, 'item_accounts', nav='next', **{
        'items.income_account': 'QB-account-Checking', 'items.checking_account': 'QB-account-Checking'})
    assert status == 200
    assert 'Default Product Income Account: choose one of the QuickBooks accounts offered.' in html
    status, _html, location = _submit(client, 'item_accounts', nav='next', **{
        'items.income_account': 'QB-account-Sales', 'items.checking_account': 'QB-account-Checking'})
    assert location.endswith('/wizard/expense_categories')
    assert _setting(app, 'items.income_account', server_id) == 'QB-account-Sales'
    assert _setting(app, 'items.checking_account', server_id) == 'QB-account-Checking'
    assert _lights(client, 'item_accounts')['item_accounts'] == 'yellow'


@pytest.mark.usefixtures('transaction_phases')
def test_item_accounts_step_is_grey_until_quickbooks_sends_its_accounts(app: Flask, client: FlaskClient) -> None:
    add_server(app)
    assert _lights(client, 'go_live')['item_accounts'] == 'grey'
    assert _lights(client, 'go_live')['expense_categories'] == 'grey'


def test_fallback_terms_are_chosen_among_the_crm_terms(app: Flask, client: FlaskClient,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from onecrm_finance_qb.settings_registry import SETTINGS, SettingDefinition, SettingScope, SettingType

    key = 'terms.default_import'
    monkeypatch.setitem(SETTINGS, key, SettingDefinition(key, SettingType.STR, '', SettingScope.SERVER, key))
    server_id = add_server(app)
    with app.app_context():
        net30 = get_host(app).dropdowns.add_option(DropdownList.TERMS, 'Net 30')
        db.session.commit()
    row = _mapping(app, server_id, ListKind.TERMS, 'Net 30', crm_value=net30)
    page = etree.HTML(client.get('/finance-qb/wizard/terms').get_data(as_text=True))
    assert net30 in page.xpath(f'//select[@name="{key}"]/option/@value')
    status, html, _location = _submit(client, 'terms', nav='next', **{f'map-{row}': net30, key: 'invented'})
    assert status == 200
    assert 'Fallback Terms for Imports: the value "invented" is not acceptable.' in html_text.unescape(html)
    status, _html, _location = _submit(client, 'terms', nav='next', **{f'map-{row}': net30, key: net30})
    assert status == 302
    assert _setting(app, key, server_id) == net30
