"""``config show|set`` for settings and list mappings, and ``sync-status``."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_config_show_lists_every_key_with_value_and_meaning(us_bench):
    bench = us_bench
    assert bench.update().completed
    entries = {entry['key']: entry for entry in json.loads(bench.cli('config', 'show', '--json'))}
    assert entries['sync.max_requests_per_update']['value'] == 5000
    assert entries['conflict.customers']['value'] == 'crm_wins'
    assert entries['sync.allowed']['value'] is True
    assert all(entry['meaning'] for entry in entries.values())
    assert 'mapping.terms.Net 30' in entries
    assert 'mapping.terms.Due 15th' in entries, 'date-driven terms are kept too'
    assert 'mapping.payment_method.Visa' in entries
    assert 'mapping.ship_method.UPS' in entries
    assert 'mapping.account.Checking' in entries
    assert 'mapping.tax_code.Tax' in entries


def test_config_set_settings_and_mappings(us_bench):
    bench = us_bench
    assert bench.update().completed
    assert 'batch.accounts_export = 7' in bench.cli('config', 'set', 'batch.accounts_export', '7')
    assert 'not an integer' in bench.cli('config', 'set', 'batch.accounts_export', 'many', ok=False)
    assert 'Unknown key' in bench.cli('config', 'set', 'no.such.key', '1', ok=False)
    added = bench.cli('config', 'set', 'mapping.terms.Net 30', '+')
    assert added.strip() == 'mapping.terms.Net 30 = Net 30'
    entries = {entry['key']: entry for entry in json.loads(bench.cli('config', 'show', '--json'))}
    assert entries['mapping.terms.Net 30']['value'] == 'Net 30'
    assert bench.cli('config', 'set', 'mapping.terms.Net 30', '').strip() == 'mapping.terms.Net 30 = None'
    assert 'has no terms named' in bench.cli('config', 'set', 'mapping.terms.Net 99', 'x', ok=False)


def test_mapped_terms_and_customer_types_are_exported_with_the_customer(us_bench):
    bench = us_bench
    assert bench.update().completed
    bench.cli('config', 'set', 'mapping.terms.Net 30', '+')
    globex = bench.add_account('Globex Corporation', default_terms='Net 30')
    assert bench.update().completed
    customer = bench.qb('CustomerRet')['Globex Corporation']
    assert customer['TermsRef']['FullName'] == 'Net 30'
    assert bench.account(globex).default_terms == 'Net 30'


def test_sync_status_shows_links_problems_and_runs(us_bench):
    bench = us_bench
    bench.add_account('Fine Customer')
    bench.add_account('Bad: Name')
    assert bench.update().completed
    status = bench.status()
    assert status['links']['Customer'] == {'exported/enabled': 1, 'not_synced/export_blocked': 1}
    [problem] = status['problems']
    assert problem['name'] == 'Bad: Name'
    assert status['runs'][0]['result'] == 'success'
    assert status['runs'][0]['counts']['customers.exported'] == 1
    text = bench.cli('sync-status')
    assert 'Bad: Name' in text
    assert 'export_blocked' in text
