"""The Finance (QB) tab of a bench's CRM, as an administrator sees it in a browser."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from lxml import etree

from hostcrm.extensions import db
from hostcrm.models import User

ADMIN_ID = 'c0000000-0000-4000-8000-000000000001'


def admin_client(bench) -> FlaskClient:
    """A client of the bench's CRM, logged in as a new administrator."""
    with bench.app.app_context():
        user = User(id=ADMIN_ID, user_name='admin', first_name='Admin', is_admin=True, locale='en')
        user.set_password('admin-password')
        db.session.add(user)
        db.session.commit()
    client = bench.app.test_client()
    with client.session_transaction() as session:
        session['_user_id'] = ADMIN_ID
        session['_fresh'] = True
    return client


def page(client: FlaskClient, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200
    return etree.HTML(response.get_data(as_text=True))


def post_form(client: FlaskClient, form_page: str, url: str, **fields: str) -> str:
    """Post ``fields`` to ``url`` with the CSRF token of ``form_page``, following the redirect."""
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(form_page).get_data(as_text=True))
    assert token is not None, 'no CSRF token on the page'
    response = client.post(url, data={'csrf_token': token.group(1), **fields}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def summary(tree: etree._Element) -> dict[str, str]:
    """A run detail page's figures, by their (English) term."""
    terms = tree.xpath('//dl[@class="run-summary"]/dt')
    return {term.xpath('string()').strip(): term.xpath('string(following-sibling::dd[1])').strip() for term in terms}
