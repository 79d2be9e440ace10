"""The plugin's entry point, registered with the host CRM like any Flask extension."""

from __future__ import annotations

from flask import Flask
from jinja2.ext import InternationalizationExtension

from onecrm_finance_qb import sync, webconnector
from onecrm_finance_qb.admin.blueprint import create_blueprint
from onecrm_finance_qb.cli import cli
from onecrm_finance_qb.host import Host, check_compatible
from onecrm_finance_qb.i18n import lazy_gettext
from onecrm_finance_qb.state import EXTENSION_KEY, FinanceQBState

#: Defaults of the plugin's Flask configuration keys; the host's configuration wins.
CONFIG_DEFAULTS = {
    #: The host's navigation group the Finance (QB) tab is shown under.
    'FINANCE_QB_TAB_GROUP': 'Other',
}


class FinanceQB:
    """Finance (QB)

    Keeps the CRM's accounts, products, quotes, invoices, credit notes, bills and payments in sync
    with QuickBooks Desktop through the QuickBooks Web Connector.
    """

    def init_app(self, app: Flask, host: Host) -> None:
        """Plug the module into ``app``; a second call on the same application does nothing."""
        if EXTENSION_KEY in app.extensions:
            return
        check_compatible(host)
        for key, value in CONFIG_DEFAULTS.items():
            app.config.setdefault(key, value)
        app.extensions[EXTENSION_KEY] = FinanceQBState(host=host)
        _enable_trans_blocks(app)
        app.register_blueprint(create_blueprint())
        app.cli.add_command(cli)
        host.register_tab(
            'finance_qb', lazy_gettext('Finance (QB)'), 'finance_qb.status', app.config['FINANCE_QB_TAB_GROUP'], True
        )
        webconnector.init_app(app)
        sync.init_app(app)


def _enable_trans_blocks(app: Flask) -> None:
    """Let the plugin's templates use ``{% trans %}``; the gettext they call comes from the blueprint.

    A host that already has the i18n extension keeps it untouched (adding it again would reset the
    host's gettext calling style).
    """
    if InternationalizationExtension.identifier not in app.jinja_env.extensions:
        app.jinja_env.add_extension(InternationalizationExtension)
