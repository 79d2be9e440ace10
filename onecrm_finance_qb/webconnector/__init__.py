"""The QuickBooks Web Connector service: SOAP endpoint, sign-in, sessions, server identity, .qwc.

``init_app`` is called by the plugin's ``FinanceQB.init_app``. The sync engine replaces the
default run driver with :func:`set_run_driver`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from onecrm_finance_qb.webconnector.driver import IdentificationDriver, RunDriver

#: Key of the service's state in ``app.extensions``.
EXTENSION_KEY = 'finance_qb_webconnector'


@dataclass
class WebConnectorState:
    """The driver doing the work of each run."""

    driver: RunDriver


def init_app(app: Flask) -> None:
    """Register the SOAP endpoint (CSRF-exempt, no CRM login), the admin pages and the CLI commands."""
    from onecrm_finance_qb.cli import cli
    from onecrm_finance_qb.webconnector import endpoint, views
    from onecrm_finance_qb.webconnector.cli import register_commands

    if EXTENSION_KEY in app.extensions:
        return
    app.config.setdefault(endpoint.MAX_BYTES_KEY, endpoint.DEFAULT_MAX_BYTES)
    app.extensions[EXTENSION_KEY] = WebConnectorState(driver=IdentificationDriver())
    app.register_blueprint(endpoint.blueprint)
    app.register_blueprint(views.blueprint)
    if 'csrf' in app.extensions:
        app.extensions['csrf'].exempt(endpoint.blueprint)
    app.add_template_global(views.render_connector_panel, 'finance_qb_connector_panel')
    register_commands(cli)


def set_run_driver(app: Flask, driver: RunDriver) -> None:
    """Hand the work of every later run to ``driver`` (the sync engine)."""
    app.extensions[EXTENSION_KEY].driver = driver
