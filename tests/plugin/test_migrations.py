"""The plugin's migrations: up, down to nothing, up again, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask

from hostcrm.extensions import db
from onecrm_finance_qb import migrating
from onecrm_finance_qb.models import metadata
from onecrm_finance_qb.paths import MIGRATIONS_DIR

from .conftest import load_plugin

PLUGIN_TABLES = {'qb_settings'}
HOST_TABLE = 'host_accounts'


def _tables(connection: sa.Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


def _autogenerate_diff(connection: sa.Connection) -> list[object]:
    """What Alembic would still generate: empty when the migrations build exactly the models."""
    env_options = {
        'include_object': lambda obj, name, type_, reflected, compare_to: type_ != 'table' or name.startswith('qb_'),
        'compare_type': True,
    }
    return compare_metadata(MigrationContext.configure(connection, opts=env_options), metadata)


def _round_trip(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        # A host table in the same database must be left alone by the plugin's migrations.
        sa.Table(HOST_TABLE, sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True)).create(connection)

    with engine.begin() as connection:
        migrating.upgrade(connection)
    with engine.connect() as connection:
        assert PLUGIN_TABLES | {migrating.VERSION_TABLE, HOST_TABLE} <= _tables(connection)
        assert migrating.current_revision(connection) == migrating.head_revision()
        assert migrating.is_up_to_date(connection)

    with engine.begin() as connection:
        migrating.downgrade(connection, 'base')
    with engine.connect() as connection:
        remaining = _tables(connection)
        assert not remaining & (PLUGIN_TABLES | {migrating.VERSION_TABLE})
        assert HOST_TABLE in remaining
        assert migrating.current_revision(connection) is None

    with engine.begin() as connection:
        migrating.upgrade(connection)
    with engine.connect() as connection:
        assert PLUGIN_TABLES | {migrating.VERSION_TABLE} <= _tables(connection)
        assert migrating.current_revision(connection) == migrating.head_revision()


def test_round_trip_on_sqlite(tmp_path: Path) -> None:
    engine = sa.create_engine(f'sqlite:///{tmp_path / "plugin.db"}')
    try:
        _round_trip(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_round_trip_on_postgresql(fresh_database) -> None:
    engine = sa.create_engine(fresh_database('postgresql'))
    try:
        _round_trip(engine)
    finally:
        engine.dispose()


@pytest.mark.mariadb
def test_round_trip_on_mariadb(fresh_database) -> None:
    engine = sa.create_engine(fresh_database('mariadb'))
    try:
        _round_trip(engine)
    finally:
        engine.dispose()


def _links_get_their_name_key(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        migrating.upgrade(connection, '01e834471231')
        links = sa.Table('qb_links', sa.MetaData(), autoload_with=connection)
        connection.execute(links.insert(), [
            {'server_id': 1, 'crm_kind': 'account', 'qb_type': 'Customer', 'name': name, 'first_sync': 'not_synced',
             'status': 'enabled', 'message': '', 'attempts': 0,
             'created_at': datetime(2026, 11, 26, 10, 0)}
            for name in ('Émile Café SARL', 'ACME Widgets', '')
        ])
    with engine.begin() as connection:
        migrating.upgrade(connection)
        links = sa.Table('qb_links', sa.MetaData(), autoload_with=connection)
        keys = dict(connection.execute(sa.select(links.c.name, links.c.name_key)).all())
    assert keys == {'Émile Café SARL': 'émile café sarl', 'ACME Widgets': 'acme widgets', '': ''}


def test_existing_links_get_their_name_key_lowered_as_python_lowers_it(tmp_path: Path) -> None:
    """SQLite's LOWER() would leave É alone, and the lookup, which lowers in Python, would miss it."""
    engine = sa.create_engine(f'sqlite:///{tmp_path / "plugin.db"}')
    try:
        _links_get_their_name_key(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_existing_links_get_their_name_key_on_postgresql(fresh_database) -> None:
    engine = sa.create_engine(fresh_database('postgresql'))
    try:
        _links_get_their_name_key(engine)
    finally:
        engine.dispose()


@pytest.mark.mariadb
def test_existing_links_get_their_name_key_on_mariadb(fresh_database) -> None:
    engine = sa.create_engine(fresh_database('mariadb'))
    try:
        _links_get_their_name_key(engine)
    finally:
        engine.dispose()


def _links_get_their_modified_sort(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        migrating.upgrade(connection, '7c2f4e9a1b35')
        links = sa.Table('qb_links', sa.MetaData(), autoload_with=connection)
        connection.execute(links.insert(), [
            {'server_id': 1, 'crm_kind': 'account', 'qb_type': 'Customer', 'name': name, 'first_sync': 'not_synced',
             'status': 'enabled', 'message': '', 'attempts': 0, 'created_at': datetime(2026, 11, 26, 10, 0),
             'qb_modified_at': modified}
            for name, modified in (('Changed in QuickBooks', datetime(2026, 11, 26, 11, 30, 0, 250000)),
                                   ('Never read back', None))
        ])
    with engine.begin() as connection:
        migrating.upgrade(connection)
        links = sa.Table('qb_links', sa.MetaData(), autoload_with=connection)
        rows = connection.execute(sa.select(links.c.name, links.c.qb_modified_at, links.c.created_at,
                                            links.c.modified_sort)).all()
    changed, never_read = sorted(rows)
    assert changed.modified_sort == changed.qb_modified_at != changed.created_at
    assert never_read.modified_sort == never_read.created_at
    with engine.begin() as connection:
        migrating.downgrade(connection, '7c2f4e9a1b35')
        links = sa.Table('qb_links', sa.MetaData(), autoload_with=connection)
        assert 'modified_sort' not in links.c
        assert connection.scalar(sa.select(sa.func.count()).select_from(links)) == 2


def test_existing_links_get_their_modified_sort(tmp_path: Path) -> None:
    """SQLite cannot add a stored column in place: the table is rebuilt, its rows kept and given the value."""
    engine = sa.create_engine(f'sqlite:///{tmp_path / "plugin.db"}')
    try:
        _links_get_their_modified_sort(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_existing_links_get_their_modified_sort_on_postgresql(fresh_database) -> None:
    engine = sa.create_engine(fresh_database('postgresql'))
    try:
        _links_get_their_modified_sort(engine)
    finally:
        engine.dispose()


@pytest.mark.mariadb
def test_existing_links_get_their_modified_sort_on_mariadb(fresh_database) -> None:
    engine = sa.create_engine(fresh_database('mariadb'))
    try:
        _links_get_their_modified_sort(engine)
    finally:
        engine.dispose()


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """Every model change comes with its migration: Alembic finds nothing left to generate."""
    engine = sa.create_engine(f'sqlite:///{tmp_path / "plugin.db"}')
    try:
        with engine.begin() as connection:
            migrating.upgrade(connection)
        with engine.connect() as connection:
            assert _autogenerate_diff(connection) == []
    finally:
        engine.dispose()


def test_revision_files_follow_the_naming_rule() -> None:
    names = [path.name for path in (MIGRATIONS_DIR / 'versions').glob('*.py')]
    assert names
    revisions = {entry.revision for entry in migrating.history()}
    for name in names:
        match = re.fullmatch(r'\d{8}_\d{4}_([0-9a-f]{12})_[a-z0-9_]+\.py', name)
        assert match is not None, name
        assert match.group(1) in revisions, name


def test_migrations_do_not_import_models() -> None:
    for path in (MIGRATIONS_DIR / 'versions').glob('*.py'):
        assert 'onecrm_finance_qb' not in path.read_text(), path.name


def test_loading_the_plugin_creates_no_table(bare_app: Flask) -> None:
    load_plugin(bare_app)
    with bare_app.app_context(), db.engine.connect() as connection:
        assert not _tables(connection) & (PLUGIN_TABLES | {migrating.VERSION_TABLE})


def test_cli_upgrade_current_history_downgrade(bare_app: Flask) -> None:
    load_plugin(bare_app)
    runner = bare_app.test_cli_runner()
    head = migrating.head_revision()

    result = runner.invoke(args=['finance-qb', 'db', 'current'])
    assert result.exit_code == 0, result.output
    assert result.output.startswith('base')

    result = runner.invoke(args=['finance-qb', 'db', 'upgrade'])
    assert result.exit_code == 0, result.output
    assert head in result.output
    result = runner.invoke(args=['finance-qb', 'db', 'current'])
    assert result.output.strip() == f'{head} (up to date)'

    result = runner.invoke(args=['finance-qb', 'db', 'history'])
    assert result.exit_code == 0, result.output
    assert f'-> {head}:' in result.output

    result = runner.invoke(args=['finance-qb', 'db', 'downgrade', 'base'])
    assert result.exit_code == 0, result.output
    with bare_app.app_context(), db.engine.connect() as connection:
        assert not _tables(connection) & (PLUGIN_TABLES | {migrating.VERSION_TABLE})


def test_cli_downgrade_needs_a_revision(bare_app: Flask) -> None:
    load_plugin(bare_app)
    result = bare_app.test_cli_runner().invoke(args=['finance-qb', 'db', 'downgrade'])
    assert result.exit_code != 0
    assert 'REVISION' in result.output


def test_cli_revision_writes_a_file_named_by_the_rule(
    bare_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripts = tmp_path / 'migrations'
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns('__pycache__'))
    monkeypatch.setattr(migrating, 'MIGRATIONS_DIR', scripts)
    load_plugin(bare_app)
    runner = bare_app.test_cli_runner()
    assert runner.invoke(args=['finance-qb', 'db', 'upgrade']).exit_code == 0
    previous_head = migrating.head_revision()

    result = runner.invoke(args=['finance-qb', 'db', 'revision', '-m', 'Add a column', '--autogenerate'])

    assert result.exit_code == 0, result.output
    (new_file,) = set((scripts / 'versions').glob('*.py')) - {
        scripts / 'versions' / path.name for path in (MIGRATIONS_DIR / 'versions').glob('*.py')
    }
    assert re.fullmatch(r'\d{8}_\d{4}_[0-9a-f]{12}_add_a_column\.py', new_file.name)
    assert f"down_revision = '{previous_head}'" in new_file.read_text()
    assert migrating.head_revision() != previous_head
