"""Loading installed modules into the running CRM, so that a broken module never stops it.

Each module's root goes at the front of ``sys.path``, its entry point class is imported and
instantiated, and ``instance.init_app(app, host=...)`` wires it in. Any failure is recorded in
``app.extensions['hostcrm_modules']`` and logged; the CRM starts without that module.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from hostcrm.modules.manifest import MANIFEST_NAME, Manifest, parse_manifest
from hostcrm.modules.store import ModuleRecord, ModuleStore
from hostcrm.tabs import Tab, register_tab, registered_tabs

logger = logging.getLogger(__name__)

LOADED = 'loaded'
FAILED = 'error'
RESTART_REQUIRED = 'restart required'


@dataclass
class ModuleRuntime:
    """What happened to one module in this process."""

    status: str
    version: str
    error: str | None = None
    instance: Any = None


@dataclass
class LoaderState:
    """The Module Loader's per-application state, kept in ``app.extensions['hostcrm_modules']``."""

    store: ModuleStore
    modules: dict[str, ModuleRuntime] = field(default_factory=dict)
    #: Set by the first request: from then on Flask accepts no new blueprints, so changes wait for a restart.
    serving: bool = False


def loader_state(app: Flask) -> LoaderState:
    return app.extensions['hostcrm_modules']


def make_host(app: Flask) -> Any:
    """The host's implementation of the module contract, imported only when a module is loaded."""
    from hostcrm.finance_host import make_host as host_factory

    return host_factory(app)


def load_installed_modules(app: Flask) -> None:
    """Load every installed module at start-up, recording failures instead of raising them."""
    state = loader_state(app)
    for record in state.store.records():
        activate(app, record)


def activate(app: Flask, record: ModuleRecord) -> ModuleRuntime:
    """Load the current version of a module into ``app`` now, or note that a restart is needed."""
    state = loader_state(app)
    if state.serving or record.id in state.modules:
        runtime = ModuleRuntime(status=RESTART_REQUIRED, version=record.version)
    else:
        runtime = _load(app, state.store.version_dir(record.id, record.version), record.version)
    state.modules[record.id] = runtime
    return runtime


def _load(app: Flask, root: Path, version: str) -> ModuleRuntime:
    try:
        manifest = parse_manifest((root / MANIFEST_NAME).read_bytes())
        host_version = app.config['HOSTCRM_VERSION']
        if not manifest.host_versions.contains(host_version, prereleases=True):
            raise RuntimeError(f'needs a CRM version {manifest.host_versions}; this CRM is version {host_version}')
        instance = _instantiate(root, manifest)
        instance.init_app(app, host=make_host(app))
        _register_tabs(app, manifest)
    except Exception as exc:  # a module's own code can raise anything; the CRM must still start
        logger.exception('Module at %s failed to load', root)
        return ModuleRuntime(status=FAILED, version=version, error=f'{exc.__class__.__name__}: {exc}')
    logger.info('Loaded module %s %s from %s', manifest.id, manifest.version, root)
    return ModuleRuntime(status=LOADED, version=version, instance=instance)


def _instantiate(root: Path, manifest: Manifest) -> Any:
    module_name, _sep, class_name = manifest.entry_point.partition(':')
    top_level = module_name.split('.')[0]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    already = sys.modules.get(top_level)
    if already is not None:
        logger.debug('%s was already imported from %s; the module uses that copy', top_level,
                     getattr(already, '__file__', None))
    plugin_class = getattr(importlib.import_module(module_name), class_name)
    if not inspect.isclass(plugin_class):
        raise TypeError(f'entry point {manifest.entry_point} is not a class')
    return plugin_class()


def _register_tabs(app: Flask, manifest: Manifest) -> None:
    """Add the manifest's tabs, unless the module registered a tab with the same key itself."""
    existing = {tab.key for tab in registered_tabs(app)}
    for spec in manifest.tabs:
        if spec.key not in existing:
            register_tab(app, Tab(key=spec.key, label=spec.label, endpoint=spec.endpoint, group=spec.group,
                                  admin_only=spec.permission == 'admin'))
