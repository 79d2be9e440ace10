"""`python -m qbsim webconnector`: options, summary, JSON, exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from qbsim.__main__ import main as qbsim_main
from qbsim.webconnector.cli import main
from tests.qbsim.webconnector.conftest import qwc_text
from tests.qbsim.webconnector.messages import CUSTOMER_QUERY

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_completed_run_prints_the_summary_and_exits_0(service, qwc_path, company_path, capsys):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    status = qbsim_main(['webconnector', '--qwc', str(qwc_path), '--password', 'pw', '--company', str(company_path)])

    out = capsys.readouterr().out
    assert status == 0
    assert 'Result:           completed (completed)' in out
    assert 'CustomerQuery' in out


def test_json_output_and_not_completed_exit_1(service, qwc_path, company_path, capsys):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    service.answers['receiveResponseXML'] = -1
    service.answers['getLastError'] = 'It went wrong'

    status = main(['--qwc', str(qwc_path), '--password', 'pw', '--company', str(company_path), '--json'])

    data = json.loads(capsys.readouterr().out)
    assert status == 1
    assert data['completed'] is False
    assert data['outcome'] == 'service-error'
    assert data['last_error_text'] == 'It went wrong'
    assert data['requests_by_type'] == {'CustomerQuery': 1}
    assert data['calls'][-1] == 'closeConnection'


def test_faults_record_and_verbose(service, qwc_path, company_path, tmp_path, capsys):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY
    record = tmp_path / 'rec'

    status = main(['--qwc', str(qwc_path), '--password', 'pw', '--company', str(company_path), '--record',
                   str(record), '--fault', 'hresult:1', '--fault', 'delay-ms:0', '-v'])

    captured = capsys.readouterr()
    assert status == 0
    assert (record / '0001-hresult.txt').read_text().startswith('0x80040402')
    assert 'receiveResponseXML' in captured.err
    assert 'HRESULT:          message 1: 0x80040402' in captured.out


def test_a_bad_fault_exits_2(qwc_path, company_path, capsys):
    argv = ['--qwc', str(qwc_path), '--password', 'pw', '--company', str(company_path), '--fault', 'explode']

    assert main(argv) == 2
    assert 'unknown fault' in capsys.readouterr().err


def test_a_missing_company_file_exits_2(qwc_path, tmp_path, capsys):
    argv = ['--qwc', str(qwc_path), '--password', 'pw', '--company', str(tmp_path / 'missing.qbsim')]

    assert main(argv) == 2
    assert 'no company file' in capsys.readouterr().err


def test_refused_qwc_exits_2(tmp_path, company_path, capsys):
    qwc = tmp_path / 'remote.qwc'
    qwc.write_text(qwc_text('http://sync.example.com/qbwc'))

    assert main(['--qwc', str(qwc), '--password', 'pw', '--company', str(company_path)]) == 2
    assert 'QBWC1051' in capsys.readouterr().err


def test_the_command_runs_as_a_module(service, qwc_path, company_path):
    service.answers['sendRequestXML'] = CUSTOMER_QUERY

    completed = subprocess.run(
        [sys.executable, '-m', 'qbsim', 'webconnector', '--qwc', str(qwc_path), '--password', 'pw',
         '--company', str(company_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert 'completed (completed)' in completed.stdout
