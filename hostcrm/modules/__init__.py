"""The Module Loader ("Upgrades & Customization"): installs, upgrades and loads CRM modules.

A module is a zip holding ``manifest.json`` and the module's files. The loader validates it
completely before writing anything (``archive``), keeps each version under
``HOSTCRM_MODULES_DIR/<id>/<version>/`` (``store``), runs the module's own Alembic migrations
(``migrations``), and loads installed modules when the CRM starts (``loading``). The page
(``views``), the ``flask modules`` commands (``cli``) and the demo share the operations in
``service``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from hostcrm.modules import views
from hostcrm.modules.cli import modules_cli
from hostcrm.modules.loading import LoaderState, load_installed_modules, loader_state
from hostcrm.modules.service import HOST_API_VERSION
from hostcrm.modules.store import ModuleStore


def init_app(app: Flask) -> None:
    """Register the page and the commands, then load the installed modules."""
    app.config.setdefault('HOSTCRM_API_VERSION', HOST_API_VERSION)
    app.extensions['hostcrm_modules'] = LoaderState(store=ModuleStore(Path(app.config['HOSTCRM_MODULES_DIR'])))
    views.init_app(app)
    app.cli.add_command(modules_cli)

    @app.before_request
    def _note_serving() -> None:
        loader_state(app).serving = True

    with app.app_context():
        load_installed_modules(app)
