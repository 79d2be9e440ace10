"""The demo's parts on their own: certificates and HTTPS, the command runner, progress, the report."""

from __future__ import annotations

import io
import ssl
import sys
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from flask import Flask

from hostcrm.demo import steps
from hostcrm.demo.__main__ import parse_options
from hostcrm.demo.commands import CommandFailedError, flask_command
from hostcrm.demo.progress import ProgressDisplay
from hostcrm.demo.report import UpdateOutcome, build_report, format_report
from hostcrm.demo.serving import serve_https
from hostcrm.demo.tables import format_table
from hostcrm.demo.tls import TlsFiles, ensure_certificates
from qbsim.webconnector import CallEvent


def test_certificates_are_made_once_and_renewed_before_they_expire(tmp_path: Path):
    files = TlsFiles(tmp_path / 'tls')
    assert ensure_certificates(files)
    first = files.certificate.read_bytes()
    assert not ensure_certificates(files)
    assert files.certificate.read_bytes() == first
    assert files.key.stat().st_mode & 0o077 == 0
    assert ensure_certificates(files, now=datetime.now(UTC) + timedelta(days=810))


def test_https_is_trusted_through_the_demo_ca_for_localhost_and_127_0_0_1(tmp_path: Path):
    files = TlsFiles(tmp_path / 'tls')
    ensure_certificates(files)
    app = Flask('tiny')
    app.add_url_rule('/', 'index', lambda: 'hello')
    trusting = ssl.create_default_context(cafile=str(files.ca_certificate))
    with serve_https(app, files, '127.0.0.1', 0) as base_url:
        port = base_url.rsplit(':', 1)[1]
        for url in (base_url, f'https://localhost:{port}'):
            with urllib.request.urlopen(url + '/', context=trusting, timeout=10) as response:  # noqa: S310
                assert response.read() == b'hello'
        with pytest.raises(urllib.error.URLError, match='CERTIFICATE_VERIFY_FAILED'):
            urllib.request.urlopen(base_url + '/', context=ssl.create_default_context(), timeout=10)  # noqa: S310


def command_app() -> Flask:
    app = Flask('commands')

    @app.cli.command('echo-stdin')
    def echo_stdin() -> None:
        click.echo(f'read {sys.stdin.readline().strip()}')

    @app.cli.command('refuse')
    def refuse() -> None:
        raise click.ClickException('not today')

    return app


def test_commands_run_in_process_with_their_input_and_output(capsys):
    assert flask_command(command_app(), 'echo-stdin', stdin='secret\n') == 'read secret\n'
    shown = capsys.readouterr().out
    assert '==> flask --app hostcrm echo-stdin < (password)' in shown
    assert 'secret' not in shown.splitlines()[0]
    assert flask_command(command_app(), 'echo-stdin', stdin='quiet\n', echo=False, announce=False) == 'read quiet\n'
    assert capsys.readouterr().out == ''


def test_a_failing_command_raises_with_its_message():
    with pytest.raises(CommandFailedError, match='refuse: not today'):
        flask_command(command_app(), 'refuse', echo=False, announce=False)


def events(*answers: tuple[str, object]) -> list[CallEvent]:
    return [CallEvent(number, operation, answer) for number, (operation, answer) in enumerate(answers, start=1)]


RUN = events(('authenticate', ['t', '']), ('sendRequestXML', '<QBXML/>'), ('receiveResponseXML', 40),
             ('sendRequestXML', '<QBXML/>'), ('receiveResponseXML', 40), ('sendRequestXML', '<QBXML/>'),
             ('receiveResponseXML', 100), ('closeConnection', 'OK'))


def test_progress_prints_a_plain_line_when_the_percentage_moves_and_the_final_figures():
    stream = io.StringIO()
    progress = ProgressDisplay('update 1', stream)
    for event in RUN:
        progress(event)
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert [line.split(':')[1].split('%')[0].strip() for line in lines] == ['0', '40', '100', '100']
    assert lines[-1] == '    update 1: 100% done, 3 round trips, 8 SOAP calls'


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_rewrites_one_line_on_a_terminal():
    stream = Terminal()
    progress = ProgressDisplay('update 1', stream)
    for event in RUN:
        progress(event)
    progress.finish()
    text = stream.getvalue()
    assert text.count('\r') == len(RUN)
    assert text.count('\n') == 1
    assert text.rstrip().endswith('100% done, 3 round trips, 8 SOAP calls')


def status(result: str = 'success', links: dict | None = None, problems: list | None = None) -> dict:
    return {
        'server': 1,
        'links': links if links is not None else {'Customer': {'imported/enabled': 3, 'exported/export_blocked': 1}},
        'problems': problems if problems is not None else [
            {'qb_type': 'Customer', 'name': 'A: B', 'crm_id': 'x', 'status': 'export_blocked', 'first_sync': 'not',
             'message': 'The name contains a colon.'}],
        'conflicts': [],
        'runs': [{'id': 7, 'started_at': 'now', 'result': result, 'message': 'done', 'requests': 4,
                  'counts': {'customers.imported': 3, 'customers.updated_in_qb': 2, 'lists.terms': 4}},
                 {'id': 6, 'started_at': 'before', 'result': 'aborted', 'message': 'not accepted', 'requests': 0,
                  'counts': {'customers.imported': 50}}],
    }


COMPLETED = UpdateOutcome('completed', True, 5, 30, None, None)


def test_the_report_counts_only_this_demos_runs_and_lists_the_reasons():
    report = build_report(status(), [COMPLETED], since_run=6, crm_url='https://x/', login='admin', incremental=False)
    assert report['succeeded']
    assert report['activity'] == {'customers': {'imported': 3, 'exported': 0, 'updated': 2, 'linked': 0}}
    assert report['links'] == {'Customer': {'synced': 3, 'pending': 0, 'blocked': 1, 'errors': 0, 'other': 0}}
    text = format_report(report)
    assert text.startswith('First sync: succeeded')
    assert 'Customer (1, export blocked): The name contains a colon.' in text


@pytest.mark.parametrize(('updates', 'result', 'links'), [
    ([], 'success', None),
    ([UpdateOutcome('service-error', False, 2, 3, None, 'QuickBooks failed')], 'success', None),
    ([COMPLETED], 'partial', None),
    ([COMPLETED], 'success', {'Customer': {'exported/export_error': 1}}),
])
def test_the_sync_has_not_succeeded_when_an_update_run_or_record_failed(updates, result, links):
    report = build_report(status(result, links), updates, since_run=6, crm_url='', login='', incremental=True)
    assert not report['succeeded']
    assert format_report(report).startswith('Incremental sync: did NOT succeed')


def test_tables_align_labels_left_and_figures_right():
    assert format_table(['figure', 'ours'], [['round trips', 12], ['requests', None]]).splitlines() == [
        'figure       ours',
        '-----------  ----',
        'round trips    12',
        'requests        -',
    ]


def test_options_come_from_the_command_line_or_the_environment(monkeypatch, tmp_path: Path):
    monkeypatch.delenv('ONCE', raising=False)
    monkeypatch.delenv('PORT', raising=False)
    monkeypatch.setenv('HOSTCRM_INSTANCE_PATH', str(tmp_path / 'from-env'))
    options = parse_options([])
    assert (options.instance, options.once, options.port) == (tmp_path / 'from-env', False, 5000)
    monkeypatch.setenv('ONCE', '1')
    monkeypatch.setenv('PORT', '0')
    options = parse_options(['--instance', str(tmp_path / 'given')])
    assert (options.instance, options.once, options.port) == (tmp_path / 'given', True, 0)


class _GoLive:
    """``go_live`` with its commands and its Web Connector update recorded instead of run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, settings: dict, *, lists_update_completes: bool) -> None:
        self.commands: list[tuple[str, ...]] = []
        self.updates: list[str] = []
        self.mapped = False
        monkeypatch.setattr(steps, '_json_command', lambda _app, *_args: [
            {'key': key, 'value': value} for key, value in settings.items()
        ])
        monkeypatch.setattr(steps, 'flask_command', lambda _app, *args: self.commands.append(args))
        monkeypatch.setattr(steps, '_update', self._update)
        monkeypatch.setattr(steps.wizard, 'finish_mappings', self._finish_mappings)
        self.completes = lists_update_completes

    def _update(self, _instance: object, label: str) -> SimpleNamespace:
        self.updates.append(label)
        return SimpleNamespace(completed=self.completes, outcome='error', error='connection refused',
                               last_error_text=None)

    def _finish_mappings(self, _app: object, _command: object) -> None:
        self.mapped = True


def test_go_live_maps_after_the_lists_update_and_switches_the_data_types_on(monkeypatch):
    run = _GoLive(monkeypatch, {'sync.allowed': False, 'items.income_account': ''}, lists_update_completes=True)
    steps.go_live(Flask(__name__), SimpleNamespace())
    assert run.updates == ['lists']
    assert run.mapped
    assert run.commands[-1] == ('finance-qb', 'config', 'set', 'export.products', '1')
    assert ('finance-qb', 'config', 'set', 'export.products', '0') in run.commands


def test_go_live_stops_when_the_lists_update_fails_and_a_later_run_takes_the_steps_again(monkeypatch):
    """A run cut short leaves the sync live without Item Accounts: the next one must not take it as finished."""
    run = _GoLive(monkeypatch, {'sync.allowed': False, 'items.income_account': ''}, lists_update_completes=False)
    with pytest.raises(steps.DemoStepError, match='connection refused'):
        steps.go_live(Flask(__name__), SimpleNamespace())
    assert not run.mapped

    again = _GoLive(monkeypatch, {'sync.allowed': True, 'items.income_account': ''}, lists_update_completes=True)
    steps.go_live(Flask(__name__), SimpleNamespace())
    assert again.updates == ['lists']
    assert again.mapped


def test_go_live_leaves_a_finished_wizard_alone(monkeypatch, capsys):
    finished = {'sync.allowed': True, 'items.income_account': '8000000C-1'}
    run = _GoLive(monkeypatch, finished, lists_update_completes=True)
    steps.go_live(Flask(__name__), SimpleNamespace())
    assert (run.commands, run.updates, run.mapped) == ([], [], False)
    assert 'The sync is already live.' in capsys.readouterr().out
