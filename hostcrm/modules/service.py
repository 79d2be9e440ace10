"""The Module Loader's operations: install, upgrade, rollback, uninstall and the list.

The admin page, the ``flask modules`` commands and the demo all call these functions, so there
is one code path. Each operation validates everything it can before it writes anything, holds
the modules folder's lock while it changes it, and records the new state only once the files and
the database are both in place; when a step fails, what was done is undone.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db
from hostcrm.i18n import gettext as _
from hostcrm.modules import migrations
from hostcrm.modules.archive import Limits, ValidatedArchive, validate_archive
from hostcrm.modules.errors import ModuleOperationError, ModuleRejected
from hostcrm.modules.loading import RESTART_REQUIRED, ModuleRuntime, activate, loader_state
from hostcrm.modules.manifest import MANIFEST_NAME, Manifest, parse_manifest
from hostcrm.modules.semver import semver_key
from hostcrm.modules.store import ModuleRecord, ModuleStore, utcnow

logger = logging.getLogger(__name__)

#: The version of the contract between the CRM and its modules, checked against a manifest's ``host_api``.
HOST_API_VERSION = '1.0'


@dataclass(frozen=True)
class ModuleStatus:
    """One line of the list of installed modules."""

    record: ModuleRecord
    #: None when the installed version's manifest cannot be read.
    manifest: Manifest | None
    status: str
    error: str | None

    @property
    def name(self) -> str:
        return self.manifest.name if self.manifest else self.record.id


def limits(app: Flask) -> Limits:
    return app.config.get('HOSTCRM_MODULES_LIMITS') or Limits()


def read_upload(stream: BinaryIO, app: Flask) -> bytes:
    """Read an uploaded archive, refusing it as soon as it passes the size limit."""
    limit = limits(app).archive_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ModuleRejected(_('The archive is larger than the limit of %(limit)s bytes.', limit=limit))
    return data


def validate(app: Flask, data: bytes) -> ValidatedArchive:
    """Check an archive against this CRM; writes nothing."""
    return validate_archive(data, host_version=app.config['HOSTCRM_VERSION'],
                            host_api_version=app.config['HOSTCRM_API_VERSION'], limits=limits(app))


def install(app: Flask, data: bytes) -> ModuleRecord:
    """Install a module that is not installed yet, then load it if this process can."""
    archive = validate(app, data)
    manifest = archive.manifest
    store = loader_state(app).store
    _refuse_if_installed(store, manifest)
    with store.lock():
        _refuse_if_installed(store, manifest)
        module_dir = store.module_dir(manifest.id)
        try:
            root = store.extract(manifest.id, manifest.version, archive.files)
            now = utcnow()
            record = ModuleRecord(manifest.id, manifest.version, None, installed_at=now, updated_at=now)
            with _schema_switched(app, manifest, root, source_root=None):
                store.write_record(record)
        except Exception as exc:
            store.discard(module_dir)
            raise _failed(_('Installing %(module)s %(version)s failed and was undone: %(error)s',
                            module=manifest.name, version=manifest.version, error=_describe(exc)), exc) from exc
    logger.info('Installed module %s %s', manifest.id, manifest.version)
    activate(app, record)
    return record


def upgrade(app: Flask, data: bytes, *, force: bool = False) -> ModuleRecord:
    """Replace the current version of an installed module, keeping it as the previous one."""
    archive = validate(app, data)
    manifest = archive.manifest
    store = loader_state(app).store
    _check_upgrade(store.record(manifest.id), manifest, force=force)
    with store.lock():
        record = _check_upgrade(store.record(manifest.id), manifest, force=force)
        source_root = store.version_dir(record.id, record.version)
        aside = store.set_aside(manifest.id, manifest.version) if store.version_dir(
            manifest.id, manifest.version).exists() else None
        if aside is not None and manifest.version == record.version:
            source_root = aside
        root = None
        try:
            root = store.extract(manifest.id, manifest.version, archive.files)
            previous = record.version if record.version != manifest.version else record.previous_version
            new_record = record.moved_to(manifest.version, previous_version=previous)
            with _schema_switched(app, manifest, root, source_root=source_root):
                store.write_record(new_record)
        except Exception as exc:
            if root is not None:
                store.discard(root)
            if aside is not None:
                store.put_back(manifest.id, aside)
            raise _failed(_('Upgrading %(module)s to %(version)s failed and was undone: %(error)s',
                            module=manifest.name, version=manifest.version, error=_describe(exc)), exc) from exc
        if aside is not None:
            store.discard(aside.parent)
        store.prune(new_record)
    logger.info('Upgraded module %s from %s to %s', manifest.id, record.version, manifest.version)
    activate(app, new_record)
    return new_record


def rollback(app: Flask, module_id: str) -> ModuleRecord:
    """Go back to the previous version; the version left becomes the previous one (a second rollback undoes it)."""
    store = loader_state(app).store
    _installed(store, module_id)
    with store.lock():
        record = _installed(store, module_id)
        if record.previous_version is None:
            raise ModuleRejected(_('%(module)s has no previous version to go back to.', module=module_id))
        source_root = store.version_dir(module_id, record.version)
        target_root = store.version_dir(module_id, record.previous_version)
        manifest = parse_manifest((target_root / MANIFEST_NAME).read_bytes())
        try:
            new_record = record.moved_to(record.previous_version, previous_version=record.version)
            with _schema_switched(app, manifest, target_root, source_root=source_root):
                store.write_record(new_record)
        except Exception as exc:
            raise _failed(_('Going back to %(module)s %(version)s failed and was undone: %(error)s',
                            module=manifest.name, version=manifest.version, error=_describe(exc)), exc) from exc
    logger.info('Rolled module %s back from %s to %s', module_id, record.version, new_record.version)
    activate(app, new_record)
    return new_record


def uninstall(app: Flask, module_id: str, *, drop_tables: bool = False) -> None:
    """Remove a module's files; its tables are kept unless ``drop_tables``."""
    store = loader_state(app).store
    _installed(store, module_id)
    with store.lock():
        record = _installed(store, module_id)
        root = store.version_dir(module_id, record.version)
        manifest = parse_manifest((root / MANIFEST_NAME).read_bytes())
        if drop_tables and manifest.remove_tables == 'keep':
            raise ModuleRejected(_('%(module)s keeps its tables when it is uninstalled.', module=manifest.name))
        if drop_tables and manifest.migrations is not None:
            try:
                migrations.downgrade(_engine(app), root, manifest.migrations, 'base')
                migrations.drop_version_table(_engine(app), manifest.migrations)
            except Exception as exc:
                raise _failed(_('Removing the tables of %(module)s failed; the module is still installed: '
                                '%(error)s', module=manifest.name, error=_describe(exc)), exc) from exc
        store.remove_module(module_id)
    _forget(app, manifest)
    logger.info('Uninstalled module %s %s (tables %s)', module_id, record.version,
                'dropped' if drop_tables else 'kept')


def statuses(app: Flask) -> list[ModuleStatus]:
    """The installed modules with what happened to each in this process."""
    state = loader_state(app)
    result = []
    for record in state.store.records():
        runtime = state.modules.get(record.id) or ModuleRuntime(status=RESTART_REQUIRED, version=record.version)
        if runtime.version != record.version:
            runtime = ModuleRuntime(status=RESTART_REQUIRED, version=record.version)
        result.append(ModuleStatus(record=record, manifest=_readable_manifest(state.store, record),
                                   status=runtime.status, error=runtime.error))
    return result


def _readable_manifest(store: ModuleStore, record: ModuleRecord) -> Manifest | None:
    try:
        return parse_manifest((store.version_dir(record.id, record.version) / MANIFEST_NAME).read_bytes())
    except (OSError, ModuleRejected):
        return None


def _installed(store: ModuleStore, module_id: str) -> ModuleRecord:
    record = store.record(module_id)
    if record is None:
        raise ModuleRejected(_('No module %(module)s is installed.', module=module_id))
    return record


def _refuse_if_installed(store: ModuleStore, manifest: Manifest) -> None:
    record = store.record(manifest.id)
    if record is not None:
        raise ModuleRejected(_('%(module)s is already installed (version %(version)s); upload it as an upgrade.',
                               module=manifest.name, version=record.version))


def _check_upgrade(record: ModuleRecord | None, manifest: Manifest, *, force: bool) -> ModuleRecord:
    if record is None:
        raise ModuleRejected(_('%(module)s is not installed; install it first.', module=manifest.name))
    if not force and semver_key(manifest.version) <= semver_key(record.version):
        raise ModuleRejected(_('%(module)s %(version)s is not newer than the installed version %(installed)s; '
                               'force the upgrade to install it anyway.', module=manifest.name,
                               version=manifest.version, installed=record.version))
    return record


@contextlib.contextmanager
def _schema_switched(app: Flask, manifest: Manifest, root: Path, *, source_root: Path | None) -> Iterator[None]:
    """Migrate to the version under ``root``; if the block then fails, the schema goes back too."""
    if manifest.migrations is None:
        yield
        return
    engine = _engine(app)
    roots = [path for path in (source_root, root) if path is not None]
    with migrations.restoring(engine, manifest.migrations, roots):
        migrations.switch(engine, manifest.migrations, root, source_root)
        yield


def _engine(app: Flask) -> sa.Engine:
    with app.app_context():
        return db.engine


def _forget(app: Flask, manifest: Manifest) -> None:
    """Drop an uninstalled module's tabs; its code stays in this process until the CRM restarts."""
    tabs = app.extensions.get('hostcrm_tabs', {})
    for spec in manifest.tabs:
        tabs.pop(spec.key, None)
    loader_state(app).modules.pop(manifest.id, None)


def _describe(exc: BaseException) -> str:
    return str(exc) or exc.__class__.__name__


def _failed(message: str, exc: Exception) -> ModuleOperationError:
    logger.error('%s', message, exc_info=exc)
    return ModuleOperationError(message)
