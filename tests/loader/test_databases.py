"""The loader's migrations and their undoing on PostgreSQL (transactional DDL) and MariaDB (none)."""

from __future__ import annotations

import pytest

from hostcrm.extensions import db
from hostcrm.modules import service
from hostcrm.modules.errors import ModuleOperationError
from tests.loader.modkit import MODULE_ID, build_module_zip, module_revision, snapshot, table_names


@pytest.fixture(params=[pytest.param('postgresql', marks=pytest.mark.postgres),
                        pytest.param('mariadb', marks=pytest.mark.mariadb)])
def server_app(request, make_app, fresh_database):
    url = fresh_database(request.param)
    app = make_app(SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_install_upgrade_rollback_uninstall(server_app):
    tables_before = table_names(server_app)
    service.install(server_app, build_module_zip('1.0.0'))
    service.upgrade(server_app, build_module_zip('2.0.0'))
    assert module_revision(server_app) == 'b2'

    service.rollback(server_app, MODULE_ID)
    assert module_revision(server_app) == 'a1'
    assert 'qbtest_other' not in table_names(server_app)

    service.uninstall(server_app, MODULE_ID, drop_tables=True)
    assert table_names(server_app) == tables_before


def test_failed_install_leaves_no_table(server_app, tmp_path):
    tables_before = table_names(server_app)

    with pytest.raises(ModuleOperationError, match='migration exploded'):
        service.install(server_app, build_module_zip('1.0.0', failing_revision='a1'))

    assert table_names(server_app) == tables_before
    assert not (tmp_path / 'modules' / MODULE_ID).exists()


def test_failed_upgrade_restores_schema_and_files(server_app, tmp_path):
    service.install(server_app, build_module_zip('1.0.0'))
    tables_before = table_names(server_app)
    files_before = snapshot(tmp_path / 'modules')

    with pytest.raises(ModuleOperationError, match='migration exploded'):
        service.upgrade(server_app, build_module_zip('2.0.0', failing_revision='b2'))

    assert table_names(server_app) == tables_before
    assert module_revision(server_app) == 'a1'
    assert snapshot(tmp_path / 'modules') == files_before
