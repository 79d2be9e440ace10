"""The status panel and the Server Selection step: lights, admin only, CSRF, escaping, downloads."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from lxml import etree

from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.settings_store import get_setting, set_setting
from onecrm_finance_qb.webconnector.credentials import LockoutPolicy, check_sign_in
from onecrm_finance_qb.webconnector.servers import accept, last_attempt

from .conftest import PASSWORD, USERNAME
from .hcp_samples import OWNER_ID, hcp_response

STATUS = '/finance-qb/'
SERVERS = '/finance-qb/connector/servers'


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def connect(call, company_file='C:\\rock castle.qbw', **hcp):
    ticket = call('authenticate', USERNAME, PASSWORD)[0]
    call('send_request_xml', ticket, hcp_response(**hcp), company_file, 'US', 13, 0)
    call('close_connection', ticket)


def light(html: str) -> str:
    return re.search(r'<section class="finance-qb-connector" data-light="(\w+)"', html).group(1)


def test_status_lights(app, host, call):
    client = app.test_client()
    assert light(client.get(STATUS).get_data(as_text=True)) == 'red'
    connect(call)
    page = client.get(STATUS).get_data(as_text=True)
    assert light(page) == 'yellow'
    assert SERVERS in page
    assert 'data-result="aborted"' in page
    with app.app_context():
        server = last_attempt(host.db.session)
        accept(host.db.session, server.id, server.first_seen)
        set_setting(host.db.session, 'sync.allowed', True, server.id)
        host.db.session.commit()
    page = client.get(STATUS).get_data(as_text=True)
    assert light(page) == 'green'


def test_result_labels_are_translated(app, host, call):
    connect(call)
    host.locale = 'fr_CA'
    page = app.test_client().get(STATUS).get_data(as_text=True)
    assert 'Download Web Connector configuration file (.qwc)' not in page


@pytest.mark.parametrize('url', [SERVERS, '/finance-qb/connector/qwc'])
def test_administrators_only(app, host, url):
    host.admin = False
    assert app.test_client().get(url).status_code == 403


@pytest.mark.parametrize('path', ['credential', 'servers/accept', 'servers/attempt'])
def test_forms_need_a_csrf_token(app, path):
    assert app.test_client().post(f'/finance-qb/connector/{path}', data={'action': 'ignore'}).status_code == 400


def test_quickbooks_text_is_escaped(app, call):
    evil = '&lt;script&gt;evil()&lt;/script&gt;'
    connect(call, company_file='C:\\<script>alert(1)</script>.qbw', company_name=evil)
    page = app.test_client().get(SERVERS).get_data(as_text=True)
    assert '<script>' not in page
    assert '&lt;script&gt;evil()&lt;/script&gt;' in page


def test_accept_from_the_form(app, host, call):
    connect(call, sales_tax=False, estimates=False)
    client = app.test_client()
    page = client.get(SERVERS).get_data(as_text=True)
    assert 'Sales tax is disabled for this company file.' in page
    assert 'Estimates are disabled for this company file.' in page
    assert 'Inventory and purchase orders are disabled' not in page
    response = client.post(
        f'{SERVERS}/accept', data={'csrf_token': csrf_token(page), 'accept': 'y', 'always_request_file': 'y'}
    )
    assert response.status_code == 302
    with app.app_context():
        primary = host.db.session.scalars(sa.select(QBServer).where(QBServer.is_primary.is_(True))).one()
        assert primary.company_file == 'C:\\rock castle.qbw'
        assert get_setting(host.db.session, 'server.limit_filename') is True


def test_four_options_panel_and_resolution(app, host, call):
    connect(call)
    with app.app_context():
        server = last_attempt(host.db.session)
        accept(host.db.session, server.id, server.first_seen)
        host.db.session.commit()
    connect(call, company_file='C:\\other.qbw', file_id='{22222222-2222-2222-2222-222222222222}')
    client = app.test_client()
    page = client.get(SERVERS).get_data(as_text=True)
    assert 'Last connection attempt' in page
    for label in ('Take no action', 'Ignore this connection attempt', 'Use these new connection details',
                  'Replace the primary QuickBooks server'):  # fmt: skip
        assert label in page
    response = client.post(f'{SERVERS}/attempt', data={'csrf_token': csrf_token(page), 'action': 'replace'})
    assert response.status_code == 302
    with app.app_context():
        primary = host.db.session.scalars(sa.select(QBServer).where(QBServer.is_primary.is_(True))).one()
        assert primary.company_file == 'C:\\other.qbw'
        assert last_attempt(host.db.session) is None


def test_set_credential_from_the_status_screen(app, host):
    client = app.test_client()
    token = csrf_token(client.get(STATUS).get_data(as_text=True))
    new_password = 'an entirely new sync password'
    response = client.post(
        '/finance-qb/connector/credential',
        data={'csrf_token': token, 'username': 'other', 'password': new_password, 'confirm': new_password},
    )
    assert response.status_code == 302
    with app.app_context():
        policy = LockoutPolicy(3, timedelta(seconds=1), timedelta(days=1))
        assert check_sign_in(host.db.session, 'other', new_password, policy, utc_now()) is not None


def test_short_password_refused(app):
    client = app.test_client()
    token = csrf_token(client.get(STATUS).get_data(as_text=True))
    data = {'csrf_token': token, 'username': 'x', 'password': 'short', 'confirm': 'short'}
    client.post('/finance-qb/connector/credential', data=data)
    page = client.get(STATUS).get_data(as_text=True)
    assert f'signs in as {USERNAME}' in page


def test_qwc_download_and_file_id_reuse(app, host, call):
    client = app.test_client()
    # No server address yet: a clear message, no file.
    response = client.get('/finance-qb/connector/qwc')
    assert response.status_code == 302
    with app.app_context():
        set_setting(host.db.session, 'webconnector.base_url', 'https://crm.example.com')
        host.db.session.commit()
    first = etree.fromstring(client.get('/finance-qb/connector/qwc').data)
    second = etree.fromstring(client.get('/finance-qb/connector/qwc').data)
    assert first.findtext('AppURL') == 'https://crm.example.com/finance-qb/qbwc'
    assert first.findtext('AppSupport') == 'https://crm.example.com/finance-qb/qbwc/support'
    assert first.findtext('UserName') == USERNAME
    assert first.findtext('OwnerID') == OWNER_ID
    # While nothing is paired, the same pending FileID is handed out.
    assert first.findtext('FileID') == second.findtext('FileID')
    connect(call, file_id=first.findtext('FileID'))
    with app.app_context():
        server = last_attempt(host.db.session)
        accept(host.db.session, server.id, server.first_seen)
        host.db.session.commit()
    again = etree.fromstring(client.get('/finance-qb/connector/qwc').data)
    assert again.findtext('FileID') == first.findtext('FileID')
