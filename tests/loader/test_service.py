"""Install, upgrade, rollback and uninstall of a good module, and failed migrations undone."""

from __future__ import annotations

import json
import logging

import pytest

from hostcrm.modules import service
from hostcrm.modules.errors import ModuleOperationError, ModuleRejected
from hostcrm.modules.loading import LOADED, RESTART_REQUIRED
from hostcrm.modules.store import ModuleStore
from hostcrm.tabs import registered_tabs
from tests.loader.modkit import MODULE_ID, build_module_zip, module_revision, snapshot, table_names


def test_install_extracts_migrates_records_and_loads(app, tmp_path):
    record = service.install(app, build_module_zip('1.0.0'))

    root = tmp_path / 'modules' / MODULE_ID / '1.0.0'
    assert (root / 'manifest.json').is_file()
    assert (root / 'qbtest_module' / 'plugin.py').is_file()
    state = json.loads((tmp_path / 'modules' / MODULE_ID / 'state.json').read_text())
    assert (state['version'], state['previous_version']) == ('1.0.0', None)
    assert (record.version, record.previous_version) == ('1.0.0', None)
    assert 'qbtest_thing' in table_names(app)
    assert module_revision(app) == 'a1'
    assert app.extensions['qbtest']['version'] == '1.0.0'
    assert [tab.key for tab in registered_tabs(app)] == ['qbtest']
    assert registered_tabs(app)[0].admin_only
    assert app.test_client().get('/qbtest/').text == 'qbtest 1.0.0'
    assert [(row.record.id, row.status) for row in service.statuses(app)] == [(MODULE_ID, LOADED)]


def test_installed_module_loads_at_start_up(app, make_app, fake_host):
    service.install(app, build_module_zip('1.0.0'))

    restarted = make_app()

    assert restarted.extensions['qbtest'] == {'version': '1.0.0', 'host': fake_host}
    assert [row.status for row in service.statuses(restarted)] == [LOADED]


def test_install_of_an_installed_module_is_refused(app, tmp_path):
    service.install(app, build_module_zip('1.0.0'))
    before = snapshot(tmp_path / 'modules')

    with pytest.raises(ModuleRejected, match='already installed'):
        service.install(app, build_module_zip('2.0.0'))

    assert snapshot(tmp_path / 'modules') == before


def test_upgrade_keeps_previous_version_and_migrates(app, tmp_path):
    service.install(app, build_module_zip('1.0.0'))

    record = service.upgrade(app, build_module_zip('2.0.0'))

    assert (record.version, record.previous_version) == ('2.0.0', '1.0.0')
    assert sorted(path.name for path in (tmp_path / 'modules' / MODULE_ID).iterdir()) == [
        '1.0.0', '2.0.0', 'state.json']
    assert {'qbtest_thing', 'qbtest_other'} <= table_names(app)
    assert module_revision(app) == 'b2'
    # The running process still has 1.0.0 imported: the new version waits for a restart.
    assert [row.status for row in service.statuses(app)] == [RESTART_REQUIRED]


def test_upgrade_prunes_versions_older_than_previous(app, tmp_path):
    service.install(app, build_module_zip('1.0.0'))
    service.upgrade(app, build_module_zip('2.0.0'))
    service.upgrade(app, build_module_zip('2.1.0'))

    assert sorted(path.name for path in (tmp_path / 'modules' / MODULE_ID).iterdir()) == [
        '2.0.0', '2.1.0', 'state.json']


@pytest.mark.parametrize(('version', 'message'), [
    ('0.9.0', 'not newer'),
    ('1.0.0', 'not newer'),
    ('1.0.0-rc.1', 'not newer'),
])
def test_downgrade_or_same_version_without_force_is_refused(app, tmp_path, version, message):
    service.install(app, build_module_zip('1.0.0'))
    before = snapshot(tmp_path / 'modules')
    tables = table_names(app)

    with pytest.raises(ModuleRejected, match=message):
        service.upgrade(app, build_module_zip(version))

    assert snapshot(tmp_path / 'modules') == before
    assert table_names(app) == tables


def test_upgrade_of_a_module_that_is_not_installed_is_refused(app, tmp_path):
    with pytest.raises(ModuleRejected, match='not installed'):
        service.upgrade(app, build_module_zip('2.0.0'))

    assert not (tmp_path / 'modules').exists()


def test_forced_reinstall_of_the_same_version(app, tmp_path):
    service.install(app, build_module_zip('1.0.0'))

    record = service.upgrade(app, build_module_zip('1.0.0', description='Rebuilt'), force=True)

    assert (record.version, record.previous_version) == ('1.0.0', None)
    manifest = json.loads((tmp_path / 'modules' / MODULE_ID / '1.0.0' / 'manifest.json').read_text())
    assert manifest['description'] == 'Rebuilt'
    assert sorted(path.name for path in (tmp_path / 'modules' / MODULE_ID).iterdir()) == ['1.0.0', 'state.json']


def test_forced_downgrade_takes_the_schema_down(app):
    service.install(app, build_module_zip('1.0.0'))
    service.upgrade(app, build_module_zip('2.0.0'))

    record = service.upgrade(app, build_module_zip('1.5.0'), force=True)

    assert (record.version, record.previous_version) == ('1.5.0', '2.0.0')
    assert module_revision(app) == 'a1'
    assert 'qbtest_other' not in table_names(app)


def test_rollback_returns_to_previous_version_and_schema(app, make_app):
    service.install(app, build_module_zip('1.0.0'))
    service.upgrade(app, build_module_zip('2.0.0'))

    record = service.rollback(app, MODULE_ID)

    assert (record.version, record.previous_version) == ('1.0.0', '2.0.0')
    assert module_revision(app) == 'a1'
    assert 'qbtest_other' not in table_names(app)
    assert 'qbtest_thing' in table_names(app)
    assert make_app().extensions['qbtest']['version'] == '1.0.0'


def test_rollback_twice_rolls_forward_again(app):
    service.install(app, build_module_zip('1.0.0'))
    service.upgrade(app, build_module_zip('2.0.0'))
    service.rollback(app, MODULE_ID)

    record = service.rollback(app, MODULE_ID)

    assert (record.version, record.previous_version) == ('2.0.0', '1.0.0')
    assert module_revision(app) == 'b2'


def test_rollback_without_previous_version_is_refused(app):
    service.install(app, build_module_zip('1.0.0'))

    with pytest.raises(ModuleRejected, match='no previous version'):
        service.rollback(app, MODULE_ID)


def test_uninstall_keeps_tables_by_default(app, tmp_path):
    service.install(app, build_module_zip('1.0.0'))

    service.uninstall(app, MODULE_ID)

    assert not (tmp_path / 'modules' / MODULE_ID).exists()
    assert 'qbtest_thing' in table_names(app)
    assert service.statuses(app) == []
    assert registered_tabs(app) == []


def test_uninstall_with_drop_tables_removes_every_table(app, tmp_path):
    tables_before = table_names(app)
    service.install(app, build_module_zip('1.0.0'))
    service.upgrade(app, build_module_zip('2.0.0'))

    service.uninstall(app, MODULE_ID, drop_tables=True)

    assert not (tmp_path / 'modules' / MODULE_ID).exists()
    assert table_names(app) == tables_before


def test_reinstall_after_uninstall_keeping_tables(app):
    service.install(app, build_module_zip('1.0.0'))
    service.uninstall(app, MODULE_ID)

    service.install(app, build_module_zip('1.0.0'))

    assert module_revision(app) == 'a1'


def test_drop_tables_refused_when_manifest_keeps_them(app, tmp_path):
    service.install(app, build_module_zip('1.0.0', remove_tables='keep'))
    before = snapshot(tmp_path / 'modules')

    with pytest.raises(ModuleRejected, match='keeps its tables'):
        service.uninstall(app, MODULE_ID, drop_tables=True)

    assert snapshot(tmp_path / 'modules') == before


def test_uninstall_of_unknown_module_is_refused(app):
    with pytest.raises(ModuleRejected, match='No module nothing_here is installed'):
        service.uninstall(app, 'nothing_here')


def test_failed_migration_on_install_leaves_nothing(app, tmp_path):
    tables_before = table_names(app)

    with pytest.raises(ModuleOperationError, match='failed and was undone: migration exploded'):
        service.install(app, build_module_zip('1.0.0', failing_revision='a1'))

    assert not (tmp_path / 'modules' / MODULE_ID).exists()
    assert table_names(app) == tables_before
    assert service.statuses(app) == []


def test_failed_migration_on_upgrade_restores_previous_version(app, tmp_path):
    service.install(app, build_module_zip('1.0.0'))
    before = snapshot(tmp_path / 'modules')
    tables_before = table_names(app)

    with pytest.raises(ModuleOperationError, match='migration exploded'):
        service.upgrade(app, build_module_zip('2.0.0', failing_revision='b2'))

    assert snapshot(tmp_path / 'modules') == before
    assert table_names(app) == tables_before
    assert module_revision(app) == 'a1'


def test_failed_forced_reinstall_puts_the_old_copy_back(app, tmp_path):
    service.install(app, build_module_zip('2.0.0'))
    before = snapshot(tmp_path / 'modules')

    broken_env = {'migrations/env.py': b"raise RuntimeError('environment exploded')\n"}
    with pytest.raises(ModuleOperationError, match='environment exploded'):
        service.upgrade(app, build_module_zip('2.0.0', replace_files=broken_env), force=True)

    assert snapshot(tmp_path / 'modules') == before


def test_module_failing_to_load_is_reported_and_crm_starts(app, make_app, caplog):
    record = service.install(app, build_module_zip('1.0.0', init_fails=True))
    assert record.version == '1.0.0'

    restarted = make_app()

    [row] = service.statuses(restarted)
    assert row.status == 'error'
    assert row.error == 'RuntimeError: plugin exploded'
    assert 'failed to load' in caplog.text
    assert restarted.test_client().get('/qbtest/').status_code == 404


def test_missing_host_implementation_is_a_load_error(app, make_app, monkeypatch):
    service.install(app, build_module_zip('1.0.0'))

    def no_host(_app):
        raise ImportError('No module named hostcrm.finance_host')

    monkeypatch.setattr('hostcrm.modules.loading.make_host', no_host)
    [row] = service.statuses(make_app())

    assert (row.status, row.error) == ('error', 'ImportError: No module named hostcrm.finance_host')


def test_changes_while_serving_wait_for_a_restart(app):
    app.test_client().get('/nothing')

    service.install(app, build_module_zip('1.0.0'))

    assert [row.status for row in service.statuses(app)] == [RESTART_REQUIRED]
    assert 'qbtest' not in app.extensions


def test_module_for_another_crm_version_is_not_loaded(app, make_app):
    service.install(app, build_module_zip('1.0.0'))

    [row] = service.statuses(make_app(HOSTCRM_VERSION='9.0.0'))

    assert row.status == 'error'
    assert row.error == 'RuntimeError: needs a CRM version <9,>=8.6; this CRM is version 9.0.0'


def test_package_imported_from_elsewhere_is_noted(app, make_app, caplog):
    service.install(app, build_module_zip('1.0.0'))
    caplog.set_level(logging.DEBUG, logger='hostcrm.modules.loading')

    restarted = make_app()

    assert restarted.extensions['qbtest']['version'] == '1.0.0'
    assert 'qbtest_module was already imported from' in caplog.text


def test_failure_to_record_the_upgrade_undoes_its_migration(app, tmp_path, monkeypatch):
    service.install(app, build_module_zip('1.0.0'))
    before = snapshot(tmp_path / 'modules')
    tables_before = table_names(app)

    def disk_full(_record):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(ModuleStore, 'write_record', lambda _self, record: disk_full(record))
    with pytest.raises(ModuleOperationError, match='No space left on device'):
        service.upgrade(app, build_module_zip('2.0.0'))

    assert module_revision(app) == 'a1'
    assert table_names(app) == tables_before
    assert snapshot(tmp_path / 'modules') == before
