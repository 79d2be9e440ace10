"""Flask-Admin screens: administrators only, CSRF-protected forms, soft deletes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from hostcrm.admin import VIEWS
from hostcrm.extensions import db
from hostcrm.models import Account, Currency, Product, TaxRate, User
from hostcrm.models.products import TrackInventory
from tests.hostcrm.support import csrf_token, log_in

# Flask-Admin 2.2's select fields (relations, enums) still build and yield plain tuples, which
# WTForms 3.3 deprecates; the forms work, and the fix belongs to Flask-Admin.
pytestmark = [
    pytest.mark.filterwarnings('ignore:Yielding raw tuples from iter_choices:DeprecationWarning'),
    pytest.mark.filterwarnings('ignore:Passing SelectField choices as tuples:DeprecationWarning'),
]


def _account(app: Flask, name: str = 'Globex Corp.') -> str:
    with app.app_context():
        account = Account(name=name)
        db.session.add(account)
        db.session.commit()
        return account.id


def test_anonymous_is_sent_to_login(app: Flask) -> None:
    response = app.test_client().get('/admin/account/')
    assert response.status_code == 302
    assert '/login' in response.headers['Location']


@pytest.mark.parametrize('url', ['/admin/', '/admin/account/', '/admin/account/new/', '/admin/user/'])
def test_non_admin_gets_403(user_client: FlaskClient, url: str) -> None:
    assert user_client.get(url).status_code == 403


def test_non_admin_cannot_post(app: Flask, user_client: FlaskClient) -> None:
    token = csrf_token(user_client, '/preferences')
    response = user_client.post('/admin/account/new/', data={'csrf_token': token, 'name': 'Sneaky'})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(Account).where(Account.name == 'Sneaky')) is None


def test_every_list_view_renders(app: Flask, admin_client: FlaskClient) -> None:
    _account(app)
    for model, *_ in VIEWS:
        response = admin_client.get(f'/admin/{model.__name__.lower()}/')
        assert response.status_code == 200, model.__name__


def test_every_create_form_renders_with_csrf(admin_client: FlaskClient) -> None:
    for model, *_ in VIEWS:
        url = f'/admin/{model.__name__.lower()}/new/'
        assert csrf_token(admin_client, url), model.__name__


def test_create_edit_and_delete_an_account(app: Flask, admin_client: FlaskClient) -> None:
    token = csrf_token(admin_client, '/admin/account/new/')
    response = admin_client.post(
        '/admin/account/new/',
        data={'csrf_token': token, 'name': 'Initech', 'credit_limit': '1500.25', 'balance': '0', 'is_supplier': 'y'},
    )
    assert response.status_code == 302
    with app.app_context():
        account = db.session.scalar(sa.select(Account).where(Account.name == 'Initech'))
        assert account.credit_limit == Decimal('1500.25')
        assert account.is_supplier
        account_id, created_at = account.id, account.date_modified

    edit_url = f'/admin/account/edit/?id={account_id}'
    token = csrf_token(admin_client, edit_url)
    response = admin_client.post(edit_url, data={'csrf_token': token, 'name': 'Initech LLC', 'balance': '10'})
    assert response.status_code == 302
    with app.app_context():
        account = db.session.get(Account, account_id)
        assert (account.name, account.balance) == ('Initech LLC', Decimal(10))
        assert account.date_modified > created_at

    token = csrf_token(admin_client, '/admin/account/')
    response = admin_client.post('/admin/account/delete/', data={'csrf_token': token, 'id': account_id})
    assert response.status_code == 302
    with app.app_context():
        account = db.session.get(Account, account_id)
        assert account is not None
        assert account.deleted
    assert 'Initech' not in admin_client.get('/admin/account/').get_data(as_text=True)
    assert admin_client.get(f'/admin/account/details/?id={account_id}').status_code == 302


def test_admin_form_without_csrf_is_refused(app: Flask, admin_client: FlaskClient) -> None:
    response = admin_client.post('/admin/taxrate/new/', data={'name': 'Forged', 'rate': '5'})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(TaxRate).where(TaxRate.name == 'Forged')) is None


def test_create_tax_rate_and_currency(app: Flask, admin_client: FlaskClient) -> None:
    token = csrf_token(admin_client, '/admin/taxrate/new/')
    admin_client.post(
        '/admin/taxrate/new/', data={'csrf_token': token, 'name': 'QST', 'rate': '9.975', 'position': '0'}
    )
    token = csrf_token(admin_client, '/admin/currency/new/')
    admin_client.post(
        '/admin/currency/new/',
        data={
            'csrf_token': token,
            'iso4217': 'CAD',
            'name': 'Canadian Dollar',
            'symbol': 'CA$',
            'conversion_rate': '1.3625',
        },
    )
    with app.app_context():
        assert db.session.scalar(sa.select(TaxRate.rate).where(TaxRate.name == 'QST')) == Decimal('9.975')
        assert db.session.scalar(sa.select(Currency.conversion_rate).where(Currency.iso4217 == 'CAD')) == Decimal(
            '1.3625'
        )


def test_enum_column_offers_its_values(admin_client: FlaskClient) -> None:
    page = admin_client.get('/admin/product/new/').get_data(as_text=True)
    assert re.search(r'<option[^>]*value="automatic"', page)


def test_admin_creates_user_with_hashed_password(app: Flask, admin_client: FlaskClient) -> None:
    token = csrf_token(admin_client, '/admin/user/new/')
    response = admin_client.post(
        '/admin/user/new/',
        data={'csrf_token': token, 'user_name': 'newbie', 'new_password': 'fresh secret', 'is_active': 'y'},
    )
    assert response.status_code == 302
    assert 'password_hash' not in admin_client.get('/admin/user/').get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.user_name == 'newbie'))
        assert user.check_password('fresh secret')
    assert log_in(app.test_client(), 'newbie', 'fresh secret').status_code == 302


def test_new_user_without_password_is_not_created(app: Flask, admin_client: FlaskClient) -> None:
    token = csrf_token(admin_client, '/admin/user/new/')
    response = admin_client.post(
        '/admin/user/new/', data={'csrf_token': token, 'user_name': 'nopass', 'is_active': 'y'}
    )
    assert 'A new user needs a password.' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.user_name == 'nopass')) is None


def test_editing_a_product_keeps_its_inventory_tracking(app: Flask, admin_client: FlaskClient) -> None:
    """The edit form preselects the stored enum value, so saving it unchanged changes nothing."""
    with app.app_context():
        product = Product(name='Gadget', manufacturer_part_no='GADGET-1', track_inventory=TrackInventory.MANUAL)
        db.session.add(product)
        db.session.commit()
        product_id = product.id

    page = admin_client.get(f'/admin/product/edit/?id={product_id}').get_data(as_text=True)
    select = re.search(r'<select[^>]*name="track_inventory".*?</select>', page, re.S).group(0)
    assert re.search(r'<option selected value="manual">', select)
    (chosen,) = re.findall(r'<option selected value="([^"]+)">', select)
    token = csrf_token(admin_client, f'/admin/product/edit/?id={product_id}')
    response = admin_client.post(
        f'/admin/product/edit/?id={product_id}',
        data={'csrf_token': token, 'name': 'Gadget 2', 'manufacturer_part_no': 'GADGET-1', 'track_inventory': chosen},
    )
    assert response.status_code == 302
    with app.app_context():
        product = db.session.get(Product, product_id)
        assert product.name == 'Gadget 2'
        assert product.track_inventory is TrackInventory.MANUAL
