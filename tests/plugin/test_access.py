"""The Finance (QB) tab: shown to administrators only, refused to everyone else, CSRF-protected."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from hostcrm.extensions import db
from onecrm_finance_qb import __version__, migrating
from onecrm_finance_qb.settings_store import get_setting

from .conftest import ADMIN_ID, USER_ID, csrf_token, log_in

GOOD_ADDRESS = 'https://crm.example.com'


#: The SOAP endpoint: the Web Connector signs in with its own credential, not as a CRM user.
SOAP_BLUEPRINT = 'finance_qb_qbwc'


def _is_admin_page(endpoint: str) -> bool:
    blueprint = endpoint.partition('.')[0]
    return blueprint.startswith('finance_qb') and blueprint != SOAP_BLUEPRINT


def _plugin_requests(app: Flask) -> list[tuple[str, str]]:
    """(method, URL) of every route of the plugin's admin blueprints, so new routes are covered as they appear."""
    requests = []
    for rule in app.url_map.iter_rules():
        if _is_admin_page(rule.endpoint):
            url = rule.build(dict.fromkeys(rule.arguments, '1'), append_unknown=False)[1]
            requests.extend((method, url) for method in sorted(rule.methods - {'HEAD', 'OPTIONS'}))
    assert requests, 'the blueprint has no routes'
    return requests


def _client_as(app: Flask, user_id: str | None) -> FlaskClient:
    client = app.test_client()
    if user_id is not None:
        log_in(client, user_id)
    return client


def test_tab_shown_to_administrators_only(app: Flask) -> None:
    assert 'data-tab="finance_qb"' in _client_as(app, ADMIN_ID).get('/').get_data(as_text=True)
    assert 'data-tab="finance_qb"' not in _client_as(app, USER_ID).get('/').get_data(as_text=True)


def test_every_url_is_forbidden_to_non_administrators(app: Flask) -> None:
    client = _client_as(app, USER_ID)
    # A valid token (from a host page), so that the refusal comes from the admin check, not CSRF.
    token = csrf_token(client.get('/').get_data(as_text=True))
    for method, url in _plugin_requests(app):
        response = client.open(url, method=method, data={'csrf_token': token, 'base_url': GOOD_ADDRESS})
        assert response.status_code == 403, (method, url)


def test_every_url_is_refused_to_anonymous_visitors(app: Flask) -> None:
    client = _client_as(app, None)
    token = csrf_token(client.get('/login').get_data(as_text=True))
    for method, url in _plugin_requests(app):
        response = client.open(url, method=method, data={'csrf_token': token, 'base_url': GOOD_ADDRESS})
        assert response.status_code in (302, 401, 403), (method, url)
        if response.status_code == 302:
            assert '/login' in response.headers['Location'], (method, url)


def test_status_page_for_administrators(app: Flask) -> None:
    response = _client_as(app, ADMIN_ID).get('/finance-qb/')
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert __version__ in page
    assert f'Up to date (revision {migrating.head_revision()}).' in page
    assert 'name="base_url"' in page


def test_status_page_before_the_tables_exist(app: Flask) -> None:
    with app.app_context(), db.engine.begin() as connection:
        migrating.downgrade(connection, 'base')
    page = _client_as(app, ADMIN_ID).get('/finance-qb/').get_data(as_text=True)
    assert 'flask finance-qb db upgrade' in page
    assert 'name="base_url"' not in page


def test_a_form_without_csrf_token_is_refused(app: Flask) -> None:
    client = _client_as(app, ADMIN_ID)
    response = client.post('/finance-qb/server-address', data={'base_url': GOOD_ADDRESS})
    assert response.status_code == 400
    with app.app_context():
        assert get_setting(db.session, 'webconnector.base_url') == ''


def test_a_form_with_a_wrong_csrf_token_is_refused(app: Flask) -> None:
    client = _client_as(app, ADMIN_ID)
    client.get('/finance-qb/')
    response = client.post('/finance-qb/server-address', data={'base_url': GOOD_ADDRESS, 'csrf_token': 'forged'})
    assert response.status_code == 400


def test_csrf_is_enforced_even_where_the_host_does_not_check(app: Flask) -> None:
    """The tab refuses tokenless forms itself; it does not rely on the host's CSRFProtect."""
    app.extensions['csrf'].exempt('finance_qb')
    response = _client_as(app, ADMIN_ID).post('/finance-qb/server-address', data={'base_url': GOOD_ADDRESS})
    assert response.status_code == 400


def test_server_address_saved_with_a_token(app: Flask) -> None:
    client = _client_as(app, ADMIN_ID)
    token = csrf_token(client.get('/finance-qb/').get_data(as_text=True))
    response = client.post('/finance-qb/server-address', data={'base_url': f'{GOOD_ADDRESS}/', 'csrf_token': token})
    assert response.status_code == 302
    assert response.headers['Location'].endswith('/finance-qb/')
    with app.app_context():
        assert get_setting(db.session, 'webconnector.base_url') == GOOD_ADDRESS
    page = client.get('/finance-qb/').get_data(as_text=True)
    assert 'Server address saved.' in page
    assert f'value="{GOOD_ADDRESS}"' in page


@pytest.mark.parametrize('address', ['http://crm.example.com', 'crm.example.com', ''])
def test_a_bad_server_address_is_explained_not_saved(app: Flask, address: str) -> None:
    client = _client_as(app, ADMIN_ID)
    token = csrf_token(client.get('/finance-qb/').get_data(as_text=True))
    response = client.post('/finance-qb/server-address', data={'base_url': address, 'csrf_token': token})
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert get_setting(db.session, 'webconnector.base_url') == ''
