"""Logging in and out, refusals, CSRF on the login form."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from hostcrm.extensions import db
from hostcrm.models import User
from tests.hostcrm.support import PASSWORD, csrf_token, log_in


def test_dashboard_requires_login(app: Flask) -> None:
    response = app.test_client().get('/')
    assert response.status_code == 302
    assert response.headers['Location'].startswith('/login?next=')


def test_login_then_dashboard(app: Flask, user_id: str) -> None:
    client = app.test_client()
    response = log_in(client, 'clerk')
    assert response.status_code == 302
    assert response.headers['Location'] == '/'
    page = client.get('/').get_data(as_text=True)
    assert 'Welcome, Carl Clerk' in page
    assert 'Administration' not in page


def test_login_follows_local_next_only(app: Flask, user_id: str) -> None:
    client = app.test_client()
    token = csrf_token(client, '/login')
    data = {'csrf_token': token, 'user_name': 'clerk', 'password': PASSWORD}
    response = client.post('/login?next=https://evil.example.com/', data=data)
    assert response.headers['Location'] == '/'
    client.post('/logout', data={'csrf_token': csrf_token(client, '/')})
    token = csrf_token(client, '/login')
    response = client.post('/login?next=/preferences', data={**data, 'csrf_token': token})
    assert response.headers['Location'] == '/preferences'


def test_wrong_password_is_refused(app: Flask, user_id: str) -> None:
    client = app.test_client()
    response = log_in(client, 'clerk', 'wrong password')
    assert response.status_code == 200
    assert 'Invalid user name or password.' in response.get_data(as_text=True)
    assert client.get('/').status_code == 302


def test_unknown_user_gets_the_same_answer(app: Flask) -> None:
    response = log_in(app.test_client(), 'nobody')
    assert 'Invalid user name or password.' in response.get_data(as_text=True)


def test_inactive_user_is_refused(app: Flask, user_id: str) -> None:
    with app.app_context():
        db.session.get(User, user_id).is_active = False
        db.session.commit()
    response = log_in(app.test_client(), 'clerk')
    assert 'Invalid user name or password.' in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(app: Flask, user_id: str) -> None:
    client = app.test_client()
    response = client.post('/login', data={'user_name': 'clerk', 'password': PASSWORD})
    assert response.status_code == 400
    assert client.get('/').status_code == 302


def test_password_is_stored_hashed(app: Flask, user_id: str) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert PASSWORD not in user.password_hash
        assert user.password_hash.startswith(('scrypt:', 'pbkdf2:'))
        assert user.check_password(PASSWORD)
        assert not user.check_password(PASSWORD.upper())


def test_logout_needs_post_with_token(user_client: FlaskClient) -> None:
    assert user_client.get('/logout').status_code == 405
    assert user_client.post('/logout').status_code == 400
    assert user_client.get('/').status_code == 200
    response = user_client.post('/logout', data={'csrf_token': csrf_token(user_client, '/')})
    assert response.status_code == 302
    assert user_client.get('/').status_code == 302
