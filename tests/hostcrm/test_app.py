"""The application factory and its configuration from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from hostcrm import create_app
from hostcrm.extensions import db
from hostcrm.models import Account
from tests.hostcrm.support import make_app


def test_factory_on_a_sqlite_file(tmp_path: Path) -> None:
    app = make_app(f'sqlite:///{tmp_path / "crm.db"}', tmp_path)
    with app.app_context():
        db.session.add(Account(name='Persisted'))
        db.session.commit()
        db.engine.dispose()
    assert (tmp_path / 'crm.db').is_file()
    engine = sa.create_engine(f'sqlite:///{tmp_path / "crm.db"}')
    with engine.connect() as connection:
        assert connection.scalar(sa.text('SELECT name FROM accounts')) == 'Persisted'
    engine.dispose()


def test_configuration_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('HOSTCRM_DATABASE_URL', f'sqlite:///{tmp_path / "env.db"}')
    monkeypatch.setenv('HOSTCRM_SECRET_KEY', 'from the environment')
    monkeypatch.setenv('HOSTCRM_MODULES_DIR', str(tmp_path / 'mods'))
    app = create_app()
    assert app.config['SQLALCHEMY_DATABASE_URI'] == f'sqlite:///{tmp_path / "env.db"}'
    assert app.config['SECRET_KEY'] == 'from the environment'
    assert app.config['HOSTCRM_MODULES_DIR'] == str(tmp_path / 'mods')
    assert app.config['WTF_CSRF_ENABLED'] is True


def test_default_database_lives_in_the_instance_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv('HOSTCRM_DATABASE_URL', raising=False)
    app = create_app({'SECRET_KEY': 'x', 'HOSTCRM_MODULES_DIR': str(tmp_path / 'mods')})
    assert app.config['SQLALCHEMY_DATABASE_URI'] == f'sqlite:///{Path(app.instance_path) / "hostcrm.db"}'


def test_every_view_is_registered(tmp_path: Path) -> None:
    app = make_app('sqlite://', tmp_path)
    endpoints = set(app.view_functions)
    assert {'auth.login', 'auth.logout', 'crm.dashboard', 'crm.preferences', 'admin.index'} <= endpoints
    assert {'account.index_view', 'invoiceline.create_view', 'paymentallocation.edit_view'} <= endpoints
