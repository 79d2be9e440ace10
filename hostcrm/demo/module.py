"""Building the module zip and installing it through the Module Loader, as the "Upgrades" page does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask import Flask

from hostcrm.demo.commands import step
from hostcrm.modules import service
from hostcrm.modules.loading import FAILED, RESTART_REQUIRED, loader_state
from hostcrm.modules.manifest import MANIFEST_NAME, parse_manifest

REPO = Path(__file__).resolve().parents[2]


def build_module_zip() -> Path:
    """Build the module zip with package.sh; its last output line is the zip's path."""
    step('Building the module zip (package.sh)')
    result = subprocess.run(['bash', str(REPO / 'package.sh')],  # noqa: S603, S607 - fixed arguments, no shell
                            cwd=REPO, env={**os.environ, 'PYTHON': sys.executable}, check=True,
                            capture_output=True, text=True)
    archive = Path(result.stdout.strip().splitlines()[-1])
    archive = archive if archive.is_absolute() else REPO / archive
    step(f'Built {archive.relative_to(REPO) if archive.is_relative_to(REPO) else archive}')
    return archive


def install_module(app: Flask, archive: Path) -> bool:
    """Install the module, or upgrade it when the zip differs from what is installed.

    Returns True when this process must restart to run the new code: a module loaded at start-up
    cannot be swapped for another copy in the same process (the loader says "restart required").
    """
    data = archive.read_bytes()
    manifest = service.validate(app, data).manifest
    store = loader_state(app).store
    record = store.record(manifest.id)
    with app.app_context():
        if record is None:
            step(f'Installing {manifest.name} {manifest.version} through the Module Loader')
            record = service.install(app, data)
        elif record.version == manifest.version and _installed_checksums(app, manifest.id, record.version) \
                == manifest.checksums:
            step(f'{manifest.name} {manifest.version} is already installed.')
            return False
        else:
            step(f'Upgrading {manifest.name} {record.version} to the newly built {manifest.version} '
                 'through the Module Loader')
            record = service.upgrade(app, data, force=record.version == manifest.version)
    runtime = loader_state(app).modules.get(record.id)
    if runtime is not None and runtime.status == FAILED:
        step(f'Warning: the module was installed but failed to load: {runtime.error}')
    return runtime is not None and runtime.status == RESTART_REQUIRED


def _installed_checksums(app: Flask, module_id: str, version: str) -> dict[str, str] | None:
    path = loader_state(app).store.version_dir(module_id, version) / MANIFEST_NAME
    if not path.is_file():
        return None
    return parse_manifest(path.read_bytes()).checksums
