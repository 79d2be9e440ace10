"""What the plugin keeps per application, in ``app.extensions['finance_qb']``.

Nothing is kept on the ``FinanceQB`` object itself, so one plugin object can serve several
applications (as in tests) and every piece of state is found from ``current_app``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from gettext import NullTranslations

from flask import Flask, current_app

from onecrm_finance_qb.host import Host

#: Key of the plugin's state in ``app.extensions``.
EXTENSION_KEY = 'finance_qb'


@dataclass
class FinanceQBState:
    """The host the plugin was given and the catalogs loaded so far, by locale."""

    host: Host
    translations: dict[str, NullTranslations] = field(default_factory=dict)


def get_state(app: Flask | None = None) -> FinanceQBState:
    """The plugin's state on ``app`` (default: the current application)."""
    return (app or current_app).extensions[EXTENSION_KEY]


def get_host(app: Flask | None = None) -> Host:
    """The host object the plugin was initialised with."""
    return get_state(app).host
