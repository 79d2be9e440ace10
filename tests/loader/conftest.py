"""Fixtures of the Module Loader tests: small CRM apps sharing a database and a modules folder."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_login import LoginManager, UserMixin

from hostcrm import i18n, modules
from hostcrm.extensions import csrf, db
from hostcrm.modules import loading
from tests.loader.modkit import HOST_VERSION, MODULE_ID


class _User(UserMixin):
    def __init__(self, user_id: str, is_admin: bool) -> None:
        self.id = user_id
        self.is_admin = is_admin


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., Flask]:
    """Factory of CRM apps sharing one database and one modules folder, like restarts of one CRM."""
    templates = tmp_path / 'templates'
    templates.mkdir()
    (templates / 'base.html').write_text('<html><body>{% block content %}{% endblock %}</body></html>')

    def make(**config: Any) -> Flask:
        app = Flask('hostcrm_loader_test', template_folder=str(templates), root_path=str(tmp_path))
        app.config.update(
            SECRET_KEY='test',
            TESTING=True,
            SQLALCHEMY_DATABASE_URI=f'sqlite:///{tmp_path / "crm.db"}',
            HOSTCRM_MODULES_DIR=str(tmp_path / 'modules'),
            HOSTCRM_VERSION=HOST_VERSION,
        )
        app.config.update(config)
        db.init_app(app)
        csrf.init_app(app)
        logins = LoginManager()
        logins.init_app(app)
        logins.user_loader(lambda user_id: _User(user_id, is_admin=user_id == 'admin'))
        i18n.init_app(app)
        modules.init_app(app)
        return app

    return make


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture(autouse=True)
def isolated_imports() -> Iterator[None]:
    """Forget the synthetic module's imports and path entries after each test.

    Only the synthetic package is forgotten: re-importing the CRM's or the plugin's modules would
    declare their tables a second time.
    """
    path_before = list(sys.path)
    yield
    sys.path[:] = path_before
    for name in [name for name in sys.modules if name.split('.')[0] == MODULE_ID]:
        del sys.modules[name]


class FakeHost:
    """Stands in for ``hostcrm.finance_host``, which the synthetic module does not need."""


@pytest.fixture(autouse=True)
def fake_host(monkeypatch: pytest.MonkeyPatch) -> FakeHost:
    host = FakeHost()
    monkeypatch.setattr(loading, 'make_host', lambda app: host)
    return host
