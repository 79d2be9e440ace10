"""``make demo`` with ONCE=1 in a temporary instance folder: a first sync, then an incremental one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hostcrm.demo.crm_data import AWKWARD_ACCOUNTS

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def run_demo(instance: Path, dist: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ('ONCE', 'HOSTCRM_INSTANCE_PATH', 'PORT')}
    env.update(ONCE='1', HOSTCRM_INSTANCE_PATH=str(instance), PORT='0', DIST_DIR=str(dist))
    return subprocess.run([sys.executable, '-m', 'hostcrm.demo'], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def test_once_syncs_reports_and_reruns_incrementally(tmp_path: Path):
    instance = tmp_path / 'instance'
    first = run_demo(instance, tmp_path / 'dist')
    assert first.returncode == 0, first.stdout + first.stderr
    report = json.loads((instance / 'demo-report.json').read_text())
    assert report['succeeded']
    assert not report['incremental']
    assert report['crm_url'].startswith('https://127.0.0.1:')
    assert report['updates'][0]['completed']
    assert report['activity']['customers']['imported'] > 0
    assert report['activity']['customers']['exported'] > 0
    assert report['activity']['customers']['linked'] > 0
    # The wizard's mappings are finished before the data types go on: every data type exports, and
    # no record is left waiting for its terms or its item accounts.
    assert all(report['activity'][family]['exported'] > 0 for family in ('products', 'assemblies', 'discounts'))
    assert {qb_type: states['pending'] for qb_type, states in report['links'].items() if states['pending']} == {}
    blocked = {problem['name'] for problem in report['problems'] if problem['status'].endswith('_blocked')}
    assert {AWKWARD_ACCOUNTS[0][0], AWKWARD_ACCOUNTS[1][0]} <= blocked
    assert all(problem['message'] for problem in report['problems'])
    assert 'First sync: succeeded' in first.stdout
    assert '% done' in first.stdout
    assert 'is now primary' in first.stdout
    for name in ('hostcrm.db', 'demo-company.qbw', 'finance-qb.qwc', 'tls/demo-ca.pem', 'demo-admin.txt'):
        assert (instance / name).exists(), name

    second = run_demo(instance, tmp_path / 'dist')
    assert second.returncode == 0, second.stdout + second.stderr
    assert 'Sample data already present.' in second.stdout
    assert 'is already installed.' in second.stdout
    assert 'HTTPS certificate: reused' in second.stdout
    assert 'already the accepted QuickBooks server' in second.stdout
    again = json.loads((instance / 'demo-report.json').read_text())
    assert again['succeeded']
    assert again['incremental']
    assert sum(counts['updated'] for counts in again['activity'].values()) > 0
    assert sum(counts['imported'] + counts['exported'] for counts in again['activity'].values()) == 0
    assert 'Incremental sync: succeeded' in second.stdout
