"""Helpers of the host CRM tests: building apps, adding users, logging in through the real forms."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from hostcrm import create_app
from hostcrm.extensions import db
from hostcrm.models import User
from hostcrm.sampledata import install_reference_data

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = 'correct horse battery staple'


def make_app(database_url: str, tmp_path: Path, **config: Any) -> Flask:
    """A CRM app on ``database_url`` with its tables and reference data created."""
    app = create_app(
        {
            'SQLALCHEMY_DATABASE_URI': database_url,
            'SECRET_KEY': 'test secret',
            'HOSTCRM_MODULES_DIR': str(tmp_path / 'modules'),
            'TESTING': True,
            **config,
        }
    )
    with app.app_context():
        db.create_all()
        install_reference_data(db.session)
    return app


def add_user(app: Flask, user_name: str, *, is_admin: bool, **fields: Any) -> str:
    with app.app_context():
        user = User(user_name=user_name, is_admin=is_admin, **fields)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user.id


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form served at ``url``."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    match = CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, f'no CSRF token in {url}'
    return match.group(1)


def log_in(client: FlaskClient, user_name: str, password: str = PASSWORD) -> Any:
    token = csrf_token(client, '/login')
    return client.post('/login', data={'csrf_token': token, 'user_name': user_name, 'password': password})
