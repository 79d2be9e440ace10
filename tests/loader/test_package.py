"""manifest.json and package.sh: a deterministic, valid archive of the real module that installs."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

import hostcrm
from hostcrm.extensions import db
from hostcrm.modules import loading, service
from hostcrm.modules.archive import validate_archive
from hostcrm.modules.loading import LOADED
from hostcrm.modules.manifest import parse_manifest
from hostcrm.tabs import registered_tabs

REPO = Path(__file__).resolve().parents[2]
#: The real host factory, kept before the autouse fixture swaps in a fake one.
REAL_MAKE_HOST = loading.make_host


@pytest.fixture(scope='module')
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The module zip built twice by package.sh, into two folders."""
    paths = []
    for attempt in ('first', 'second'):
        dist = tmp_path_factory.mktemp(attempt)
        subprocess.run(['bash', str(REPO / 'package.sh')], env={'PATH': '/usr/bin:/bin', 'DIST_DIR': str(dist)},
                       check=True, capture_output=True)
        paths.append(_only_zip(dist))
    return paths[0], paths[1]


def _only_zip(dist: Path) -> Path:
    [archive] = dist.glob('*.zip')
    return archive


def test_manifest_is_valid_and_matches_pyproject():
    manifest = parse_manifest((REPO / 'manifest.json').read_bytes(), require_checksums=False)
    pyproject = tomllib.loads((REPO / 'pyproject.toml').read_text())

    assert manifest.version == pyproject['project']['version']
    assert manifest.entry_point == pyproject['project']['entry-points']['crm.plugins']['finance_qb']
    assert manifest.host_versions.contains(hostcrm.__version__)
    assert manifest.host_api.contains(service.HOST_API_VERSION)
    assert 'checksums' not in json.loads((REPO / 'manifest.json').read_text())


def test_manifest_locales_have_catalogs():
    manifest = parse_manifest((REPO / 'manifest.json').read_bytes(), require_checksums=False)

    for locale in manifest.locales:
        assert (REPO / 'translations' / locale / 'LC_MESSAGES' / 'messages.po').is_file(), locale


def test_two_builds_are_byte_identical(built):
    first, second = built

    assert first.name == 'onecrm_finance_qb-0.1.0.zip'
    assert first.read_bytes() == second.read_bytes()


def test_built_zip_validates_and_has_its_sha256(built):
    archive = built[0]
    data = archive.read_bytes()

    validated = validate_archive(data, host_version=hostcrm.__version__, host_api_version=service.HOST_API_VERSION)

    assert validated.manifest.id == 'onecrm_finance_qb'
    assert archive.with_name(archive.name + '.sha256').read_text() == (
        f'{hashlib.sha256(data).hexdigest()}  {archive.name}\n')
    names = set(validated.files)
    assert 'onecrm_finance_qb/plugin.py' in names
    assert 'migrations/env.py' in names
    assert {f'translations/{locale}/LC_MESSAGES/messages.mo' for locale in validated.manifest.locales} <= names
    assert not [name for name in names if '__pycache__' in name or name.endswith('.pyc') or '/tests/' in name]


def test_built_zip_entries_are_normalised(built):
    with zipfile.ZipFile(built[0]) as archive:
        entries = archive.infolist()

    assert [entry.filename for entry in entries] == sorted(entry.filename for entry in entries)
    assert {(entry.external_attr >> 16, entry.create_system, entry.extra) for entry in entries} == {
        (0o100644, 3, b'')}
    assert len({entry.date_time for entry in entries}) == 1


def test_real_module_installs_and_loads(built, tmp_path, monkeypatch):
    monkeypatch.setattr(loading, 'make_host', REAL_MAKE_HOST)
    app = hostcrm.create_app({
        'TESTING': True,
        'SECRET_KEY': 'test',
        'SQLALCHEMY_DATABASE_URI': f'sqlite:///{tmp_path / "crm.db"}',
        'HOSTCRM_MODULES_DIR': str(tmp_path / 'modules'),
    })
    with app.app_context():
        result = app.test_cli_runner().invoke(args=['init-db'])
    assert result.exit_code == 0, result.output

    record = service.install(app, built[0].read_bytes())

    assert record.version == '0.1.0'
    [row] = service.statuses(app)
    assert (row.status, row.error) == (LOADED, None)
    assert [tab.key for tab in registered_tabs(app)].count('finance_qb') == 1
    with app.app_context():
        tables = sa.inspect(db.engine).get_table_names()
    assert 'alembic_version_finance_qb' in tables
    assert [name for name in tables if name.startswith('qb_')]

    service.uninstall(app, 'onecrm_finance_qb', drop_tables=True)

    with app.app_context():
        tables = sa.inspect(db.engine).get_table_names()
    assert not [name for name in tables if name.startswith('qb_') or name == 'alembic_version_finance_qb']
