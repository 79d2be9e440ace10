"""hostcrm: the reference CRM that the Finance (QB) module plugs into.

A small but real CRM (accounts, contacts, products, quotes, invoices, payments...) with an
administrator's Module Loader ("Upgrades & Customization"). It exists so the plugin has a real
installation to extend in the demo, the tests and evaluations.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

__version__ = '8.6.0'


def _default_config(instance_path: str) -> dict[str, Any]:
    instance = Path(instance_path)
    return {
        'SQLALCHEMY_DATABASE_URI': os.environ.get(
            'HOSTCRM_DATABASE_URL', f'sqlite:///{instance / "hostcrm.db"}'
        ),
        'SECRET_KEY': os.environ.get('HOSTCRM_SECRET_KEY'),
        'HOSTCRM_MODULES_DIR': os.environ.get('HOSTCRM_MODULES_DIR', str(instance / 'modules')),
        'HOSTCRM_VERSION': __version__,
        'WTF_CSRF_ENABLED': True,
    }


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the CRM application; ``config`` overrides the environment's settings."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(_default_config(app.instance_path))
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config['SECRET_KEY']:
        app.config['SECRET_KEY'] = _instance_secret_key(Path(app.instance_path))

    from hostcrm import admin, auth, cli, i18n, modules, views
    from hostcrm.extensions import csrf, db, login_manager

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    views.init_app(app)
    admin.init_app(app)
    cli.init_app(app)
    modules.init_app(app)
    return app


def _instance_secret_key(instance: Path) -> str:
    """A per-installation random key kept in the instance folder, so sessions survive restarts."""
    import secrets

    key_file = instance / 'secret_key'
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
