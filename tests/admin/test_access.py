"""Every page of the wizard, the lists and the history is for administrators, and every form needs its token."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .conftest import USER_ID, add_server, csrf_token, log_in

PAGES = ('/finance-qb/wizard/', '/finance-qb/wizard/go_live', '/finance-qb/sync/entities', '/finance-qb/sync/items',
         '/finance-qb/sync/transactions', '/finance-qb/conflicts', '/finance-qb/runs/')
FORMS = ('/finance-qb/wizard/go_live', '/finance-qb/sync/entities/action', '/finance-qb/conflicts/1')


@pytest.mark.parametrize('path', PAGES + FORMS)
def test_a_plain_user_is_refused(app: Flask, path: str) -> None:
    client = app.test_client()
    log_in(client, USER_ID)
    assert client.get(path).status_code in (403, 405)
    # A valid token from the CRM's own pages: the refusal is about the user, not the token.
    token = csrf_token(client.get('/').get_data(as_text=True))
    assert client.post(path, data={'csrf_token': token}).status_code in (403, 405)


@pytest.mark.parametrize('path', PAGES)
def test_an_anonymous_visitor_is_refused(app: Flask, path: str) -> None:
    response = app.test_client().get(path)
    assert response.status_code in (302, 401, 403)
    assert 'Finance (QB)' not in response.get_data(as_text=True)


@pytest.mark.parametrize('path', PAGES)
def test_the_administrator_gets_every_page(app: Flask, client: FlaskClient, path: str) -> None:
    add_server(app)
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200


@pytest.mark.parametrize('path', FORMS)
def test_forms_without_a_token_are_refused(app: Flask, client: FlaskClient, path: str) -> None:
    add_server(app)
    assert client.post(path, data={'action': 'disable', 'scope': 'all', 'nav': 'finish', 'keep': 'crm'}).status_code \
        == 400
