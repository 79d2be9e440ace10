"""The reference CRM as the plugin's tests build it: a fresh database, the plugin loaded and migrated."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from hostcrm import create_app
from hostcrm.extensions import db
from hostcrm.finance_host import make_host
from onecrm_finance_qb import migrating
from onecrm_finance_qb.plugin import FinanceQB


def new_crm(tmp_path: Path, database_url: str | None = None) -> Flask:
    """hostcrm on a fresh database (SQLite in ``tmp_path`` by default), its tables created."""
    app = create_app(
        {
            'TESTING': True,
            'SECRET_KEY': 'tests',
            'SQLALCHEMY_DATABASE_URI': database_url or f'sqlite:///{tmp_path / "crm.db"}',
            'HOSTCRM_MODULES_DIR': str(tmp_path / 'modules'),
            # Changes are visible to the sync at once; production waits for concurrent transactions to
            # settle, and that hold-back has its own test.
            'HOSTCRM_CHANGE_SETTLE_SECONDS': 0,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def load_plugin(app: Flask) -> Flask:
    """Load Finance (QB) into ``app`` as the Module Loader does, and bring its tables up to date."""
    FinanceQB().init_app(app, host=make_host(app))
    with app.app_context(), db.engine.begin() as connection:
        migrating.upgrade(connection)
    return app
