"""The sync engine: phases of setup lists, customers and vendors, driven by Web Connector runs.

``init_app`` hands the Web Connector service our :class:`~onecrm_finance_qb.sync.engine.SyncEngine`
as its run driver and adds the ``config`` and ``sync-status`` commands to ``flask finance-qb``.
Transactions arrive later as more families in :mod:`onecrm_finance_qb.sync.handlers`, added to
:func:`~onecrm_finance_qb.sync.engine.default_families` after vendors.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the engine into the Web Connector service and the CLI."""
    from onecrm_finance_qb.cli import cli
    from onecrm_finance_qb.sync.cli import register_commands
    from onecrm_finance_qb.sync.engine import SyncEngine
    from onecrm_finance_qb.webconnector import set_run_driver

    set_run_driver(app, SyncEngine())
    register_commands(cli)
