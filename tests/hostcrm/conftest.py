"""Fixtures of the host CRM tests: an app on a fresh in-memory database, users, logged-in clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from hostcrm.extensions import db
from tests.hostcrm.support import add_user, log_in, make_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """The CRM on an in-memory SQLite database (Flask-SQLAlchemy shares one connection for it)."""
    app = make_app('sqlite://', tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.fixture
def admin_id(app: Flask) -> str:
    return add_user(app, 'boss', is_admin=True, first_name='Ada', last_name='Admin')


@pytest.fixture
def user_id(app: Flask) -> str:
    return add_user(app, 'clerk', is_admin=False, first_name='Carl', last_name='Clerk')


@pytest.fixture
def admin_client(app: Flask, admin_id: str) -> FlaskClient:
    client = app.test_client()
    assert log_in(client, 'boss').status_code == 302
    return client


@pytest.fixture
def user_client(app: Flask, user_id: str) -> FlaskClient:
    client = app.test_client()
    assert log_in(client, 'clerk').status_code == 302
    return client
