"""``python -m qbsim company new|show``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from qbsim import Company
from qbsim.__main__ import build_parser, main

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_company_new_with_options_and_seed(tmp_path, capsys):
    seed = tmp_path / 'seed.json'
    seed.write_text(json.dumps({'Customer': [{'Name': 'Acme'}]}), encoding='utf-8')
    path = tmp_path / 'cli.qbsim'
    assert main(['company', 'new', str(path), '--edition', 'US', '--qbxml-version', '12.0', '--seed', str(seed),
                 '--multicurrency', '--no-sales-tax', '--no-estimates', '--no-inventory',
                 '--company-name', 'CLI Co']) == 0
    assert 'created' in capsys.readouterr().out
    company = Company.open(path)
    assert (company.company_name, company.qbxml_version) == ('CLI Co', '12.0')
    assert company.features == {'sales_tax': False, 'estimates': False, 'inventory': False, 'multicurrency': True}
    assert company.find('CustomerRet', 'Acme') is not None
    company.close()


def test_company_new_refuses_existing_file(tmp_path, capsys):
    path = tmp_path / 'twice.qbsim'
    assert main(['company', 'new', str(path)]) == 0
    assert main(['company', 'new', str(path)]) == 1
    assert 'exists' in capsys.readouterr().err


def test_company_show_prints_json_filtered_by_type(tmp_path, capsys):
    path = tmp_path / 'show.qbsim'
    main(['company', 'new', str(path), '--edition', 'CA'])
    capsys.readouterr()
    assert main(['company', 'show', str(path), '--type', 'TaxCodeRet', '--type', 'ShipMethodRet']) == 0
    shown = json.loads(capsys.readouterr().out)
    assert {doc['_type'] for doc in shown} == {'TaxCodeRet', 'ShipMethodRet'}


def test_company_show_missing_file(tmp_path, capsys):
    assert main(['company', 'show', str(tmp_path / 'nope.qbsim')]) == 1
    assert 'no company file' in capsys.readouterr().err


def test_module_runs_as_a_program(tmp_path):
    path = tmp_path / 'proc.qbsim'
    done = subprocess.run([sys.executable, '-m', 'qbsim', 'company', 'new', str(path), '--edition', 'AU'],
                          cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    shown = subprocess.run([sys.executable, '-m', 'qbsim', 'company', 'show', str(path), '--type', 'TaxCodeRet'],
                           cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert {doc['Name'] for doc in json.loads(shown.stdout)} == {'GST', 'FRE', 'INP'}


def test_parser_lists_company_commands():
    help_text = build_parser().format_help()
    assert 'company' in help_text
