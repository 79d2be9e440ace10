"""Builders of synthetic module archives and probes of what the loader changed.

The synthetic module ``qbtest_module`` is tiny but real: a manifest, a package whose plugin
class registers a blueprint, and an Alembic environment whose first revision creates the table
``qbtest_thing``. Version 2.0.0 adds a second revision; either revision can be made to fail
half-way (after creating a table) to test that a failed migration is undone.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db

MODULE_ID = 'qbtest_module'
HOST_VERSION = '8.6.0'

_ENV_PY = '''\
from alembic import context

config = context.config
context.configure(
    connection=config.attributes['connection'],
    version_table=config.get_main_option('version_table'),
)
with context.begin_transaction():
    context.run_migrations()
'''

_REVISION_PY = '''\
import sqlalchemy as sa
from alembic import op

revision = {revision!r}
down_revision = {down_revision!r}


def upgrade():
    op.create_table({table!r}, sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(50)))
    {failure}


def downgrade():
    op.drop_table({table!r})
'''

_PLUGIN_PY = '''\
from flask import Blueprint

VERSION = {version!r}


class Plugin:
    """The synthetic module's entry point."""

    def init_app(self, app, host):
        {failure}
        blueprint = Blueprint('qbtest', __name__, url_prefix='/qbtest')
        blueprint.add_url_rule('/', 'index', lambda: 'qbtest ' + VERSION)
        app.register_blueprint(blueprint)
        app.extensions['qbtest'] = {{'version': VERSION, 'host': host}}
'''


def manifest_data(version: str = '1.0.0', **overrides: Any) -> dict[str, Any]:
    """The synthetic module's manifest, without checksums."""
    data = {
        'id': MODULE_ID,
        'name': 'QB Test',
        'description': 'A module used by the loader tests.',
        'author': 'Tests',
        'version': version,
        'published_date': '2024-05-01',
        'type': 'module',
        'host_versions': '>=8.6,<9',
        'host_api': '>=1,<2',
        'entry_point': 'qbtest_module.plugin:Plugin',
        'tabs': [{'key': 'qbtest', 'label': 'QB Test', 'endpoint': 'qbtest.index', 'group': 'Other',
                  'permission': 'admin'}],
        'locales': ['en'],
        'migrations': {'script_location': 'migrations', 'version_table': 'alembic_version_qbtest'},
        'allowlist': ['qbtest_module/**', 'migrations/**', 'README.md'],
        'remove_tables': 'prompt',
    }
    data.update(overrides)
    return data


def module_files(
    version: str = '1.0.0', *, failing_revision: str | None = None, init_fails: bool = False
) -> dict[str, bytes]:
    """Every file of the synthetic module except the manifest; version 2.x ships a second revision."""
    revisions = [('a1', None, 'qbtest_thing')]
    if not version.startswith('1.'):
        revisions.append(('b2', 'a1', 'qbtest_other'))
    files = {
        'qbtest_module/__init__.py': b'',
        'qbtest_module/plugin.py': _PLUGIN_PY.format(
            version=version, failure="raise RuntimeError('plugin exploded')" if init_fails else 'pass').encode(),
        'migrations/env.py': _ENV_PY.encode(),
        'README.md': b'# QB Test\n',
    }
    for revision, down_revision, table in revisions:
        failure = "raise RuntimeError('migration exploded')" if revision == failing_revision else 'pass'
        files[f'migrations/versions/{revision}_create_{table}.py'] = _REVISION_PY.format(
            revision=revision, down_revision=down_revision, table=table, failure=failure).encode()
    return files


def with_manifest(files: dict[str, bytes], manifest: dict[str, Any]) -> dict[str, bytes]:
    """``files`` plus a manifest whose checksums cover them."""
    manifest = dict(manifest)
    manifest.setdefault('checksums', {name: hashlib.sha256(content).hexdigest() for name, content in files.items()})
    return {'manifest.json': json.dumps(manifest, indent=2).encode(), **files}


def zip_bytes(entries: list[tuple[str | zipfile.ZipInfo, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``entries`` written as given, duplicates included."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # Hostile archives repeat names on purpose; zipfile warns about it while writing them.
        warnings.filterwarnings('ignore', 'Duplicate name', UserWarning)
        with zipfile.ZipFile(buffer, 'w', compression=compression) as archive:
            for name, content in entries:
                archive.writestr(name, content)
    return buffer.getvalue()


def build_module_zip(version: str = '1.0.0', *, failing_revision: str | None = None, init_fails: bool = False,
                     replace_files: dict[str, bytes] | None = None, **manifest_overrides: Any) -> bytes:
    """A valid archive of the synthetic module (unless the overrides make it invalid)."""
    files = module_files(version, failing_revision=failing_revision, init_fails=init_fails)
    files.update(replace_files or {})
    return zip_bytes(list(with_manifest(files, manifest_data(version, **manifest_overrides)).items()))


def snapshot(root: Path) -> dict[str, str]:
    """Every path under ``root`` with a digest of its content, to show that nothing changed."""
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else 'dir'
        for path in sorted(root.rglob('*'))
    }


def table_names(app: Flask) -> set[str]:
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names())


def module_revision(app: Flask) -> str | None:
    with app.app_context(), db.engine.connect() as connection:
        if 'alembic_version_qbtest' not in sa.inspect(connection).get_table_names():
            return None
        return connection.execute(sa.text('SELECT version_num FROM alembic_version_qbtest')).scalar()
