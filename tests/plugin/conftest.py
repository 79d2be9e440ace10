"""Fixtures of the plugin's tests: the real hostcrm with the plugin loaded, on SQLite in tmp_path."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from hostcrm.extensions import db
from hostcrm.finance_host import make_host
from hostcrm.models import User
from onecrm_finance_qb import migrating
from onecrm_finance_qb.plugin import FinanceQB
from tests.crm import new_crm

ADMIN_ID = 'a0000000-0000-4000-8000-000000000001'
USER_ID = 'a0000000-0000-4000-8000-000000000002'


def build_app(tmp_path: Path, database_url: str | None = None) -> Flask:
    """hostcrm on a fresh database with an administrator and a plain user, the plugin not yet loaded."""
    app = new_crm(tmp_path, database_url)
    with app.app_context():
        admin = User(id=ADMIN_ID, user_name='admin', first_name='Ada', is_admin=True, locale='en')
        admin.set_password('admin-password')
        user = User(id=USER_ID, user_name='user', first_name='Ursula', is_admin=False, locale='en')
        user.set_password('user-password')
        db.session.add_all([admin, user])
        db.session.commit()
    return app


def load_plugin(app: Flask) -> None:
    """What the Module Loader does: hostcrm's host object handed to the plugin."""
    FinanceQB().init_app(app, host=make_host(app))


@pytest.fixture
def bare_app(tmp_path: Path) -> Iterator[Flask]:
    """hostcrm with its users, before the plugin is loaded."""
    app = build_app(tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(bare_app: Flask) -> Flask:
    """hostcrm with the plugin loaded and its tables migrated to the newest revision."""
    load_plugin(bare_app)
    with bare_app.app_context(), db.engine.begin() as connection:
        migrating.upgrade(connection)
    return bare_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def log_in(client: FlaskClient, user_id: str) -> None:
    """Start a Flask-Login session for ``user_id`` without going through the login form."""
    with client.session_transaction() as session:
        session['_user_id'] = user_id
        session['_fresh'] = True


def set_locale(app: Flask, user_id: str, locale: str) -> None:
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == user_id).values(locale=locale))
        db.session.commit()


def csrf_token(html: str) -> str:
    """The CSRF token carried by the page's forms."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match is not None, 'no CSRF token on the page'
    return match.group(1)
