"""The navigation bar: built-in tabs and module tabs, grouped, admin-only ones for admins."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from hostcrm.tabs import Tab, register_tab


@pytest.fixture
def module_tabs(app: Flask) -> None:
    """Two tabs as modules register them: one for everybody, one for administrators."""
    app.add_url_rule('/finance', 'finance_tab', lambda: 'finance')
    app.add_url_rule('/reports', 'reports_tab', lambda: 'reports')
    register_tab(app, Tab('finance_qb', 'Finance (QB)', 'finance_tab', admin_only=True))
    register_tab(app, Tab('reports', 'Sales reports', 'reports_tab'))


def test_admin_sees_every_module_tab_under_other(module_tabs: None, admin_client: FlaskClient) -> None:
    page = admin_client.get('/').get_data(as_text=True)
    assert '<summary>Other</summary>' in page
    assert 'href="/finance" data-tab="finance_qb">Finance (QB)</a>' in page
    assert 'href="/reports" data-tab="reports">Sales reports</a>' in page
    assert page.index('Finance (QB)') < page.index('Sales reports')
    assert 'href="/admin/">Administration</a>' in page


def test_user_does_not_see_admin_only_tabs(module_tabs: None, user_client: FlaskClient) -> None:
    page = user_client.get('/').get_data(as_text=True)
    assert 'Sales reports' in page
    assert 'Finance (QB)' not in page
    assert 'Administration' not in page


def test_group_label_is_translated(module_tabs: None, user_client: FlaskClient) -> None:
    page = user_client.get('/', headers={'Accept-Language': 'fr-CA'}).get_data(as_text=True)
    assert '<summary>Autres</summary>' in page


def test_anonymous_pages_show_no_tabs(module_tabs: None, app: Flask) -> None:
    page = app.test_client().get('/login').get_data(as_text=True)
    assert 'Sales reports' not in page
    assert 'Log out' not in page
