"""The CRM under measurement: hostcrm with the Finance (QB) plugin, its data in one folder."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from hostcrm import create_app
from hostcrm.finance_host import DEFAULT_SETTLE_SECONDS, SETTLE_KEY, make_host
from onecrm_finance_qb.plugin import FinanceQB


def crm_app(folder: Path, settle_seconds: float = DEFAULT_SETTLE_SECONDS) -> Flask:
    """hostcrm with the plugin plugged in directly (what the Module Loader does after an install).

    ``settle_seconds`` is how old a CRM change must be before the sync sees it.
    """
    app = create_app({
        'SQLALCHEMY_DATABASE_URI': f'sqlite:///{folder / "crm.db"}',
        'HOSTCRM_MODULES_DIR': str(folder / 'modules'),
        'SECRET_KEY': 'benchmark',
        SETTLE_KEY: settle_seconds,
    })
    FinanceQB().init_app(app, host=make_host(app))
    return app
