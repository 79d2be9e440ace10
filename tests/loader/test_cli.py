"""``flask modules ...``: the same operations as the page, with messages and exit codes."""

from __future__ import annotations

import pytest

from hostcrm.modules import cli
from tests.loader.modkit import MODULE_ID, build_module_zip, snapshot, table_names


@pytest.fixture
def zips(tmp_path):
    folder = tmp_path / 'zips'
    folder.mkdir()
    paths = {}
    for version in ('1.0.0', '2.0.0'):
        paths[version] = folder / f'qbtest_module-{version}.zip'
        paths[version].write_bytes(build_module_zip(version))
    paths['hostile'] = folder / 'hostile.zip'
    paths['hostile'].write_bytes(b'not a zip')
    return paths


def run(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=['modules', *args], **kwargs)


def test_install_upgrade_rollback_list_uninstall(app, zips):
    result = run(app, 'install', str(zips['1.0.0']))
    assert result.exit_code == 0, result.output
    assert 'Installed qbtest_module 1.0.0.' in result.output

    result = run(app, 'upgrade', str(zips['2.0.0']))
    assert result.exit_code == 0, result.output
    assert 'Upgraded qbtest_module to 2.0.0 (previous version 1.0.0 kept for rollback).' in result.output

    result = run(app, 'list')
    assert result.output.split('\t')[:3] == [MODULE_ID, '2.0.0', 'restart required']

    result = run(app, 'rollback', MODULE_ID)
    assert result.exit_code == 0, result.output
    assert 'qbtest_module is back at version 1.0.0.' in result.output

    result = run(app, 'uninstall', MODULE_ID)
    assert result.exit_code == 0, result.output
    assert 'its tables were kept' in result.output
    assert run(app, 'list').output == 'No modules are installed.\n'


@pytest.mark.parametrize(('args', 'message'), [
    (('install', 'hostile'), 'Error: The upload is not a valid zip archive.'),
    (('upgrade', '2.0.0'), 'Error: QB Test is not installed; install it first.'),
    (('rollback', MODULE_ID), 'Error: No module qbtest_module is installed.'),
    (('uninstall', MODULE_ID, '--keep-tables'), 'Error: No module qbtest_module is installed.'),
])
def test_refusals_exit_non_zero_with_the_reason(app, zips, tmp_path, args, message):
    before = snapshot(tmp_path)
    command, target = args[0], args[1]
    result = run(app, command, str(zips[target]) if target in zips else target, *args[2:])

    assert result.exit_code == 1
    assert message in result.output
    assert snapshot(tmp_path) == before


def test_downgrade_needs_force(app, zips):
    run(app, 'install', str(zips['2.0.0']))

    refused = run(app, 'upgrade', str(zips['1.0.0']))
    forced = run(app, 'upgrade', '--force', str(zips['1.0.0']))

    assert refused.exit_code == 1
    assert 'is not newer than the installed version 2.0.0' in refused.output
    assert forced.exit_code == 0, forced.output


def test_install_reports_a_module_that_fails_to_load(app, tmp_path):
    archive = tmp_path / 'broken.zip'
    archive.write_bytes(build_module_zip(init_fails=True))

    result = run(app, 'install', str(archive))

    assert result.exit_code == 0
    assert 'failed to load: RuntimeError: plugin exploded' in result.output


@pytest.mark.parametrize(('answer', 'dropped'), [('y\n', True), ('n\n', False), ('\n', False)])
def test_uninstall_asks_on_a_terminal_default_keep(app, zips, monkeypatch, answer, dropped):
    run(app, 'install', str(zips['1.0.0']))
    monkeypatch.setattr(cli, '_interactive', lambda: True)

    result = run(app, 'uninstall', MODULE_ID, input=answer)

    assert result.exit_code == 0, result.output
    assert "Drop the module's tables? [y/N]" in result.output
    assert ('qbtest_thing' not in table_names(app)) is dropped


def test_uninstall_does_not_ask_without_a_terminal(app, zips):
    run(app, 'install', str(zips['1.0.0']))

    result = run(app, 'uninstall', MODULE_ID)

    assert 'Drop' not in result.output
    assert 'qbtest_thing' in table_names(app)


def test_uninstall_drop_tables_flag(app, zips):
    run(app, 'install', str(zips['1.0.0']))

    result = run(app, 'uninstall', MODULE_ID, '--drop-tables')

    assert 'dropped its tables' in result.output
    assert 'qbtest_thing' not in table_names(app)
