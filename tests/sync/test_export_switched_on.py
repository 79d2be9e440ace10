"""Switching an export option on after syncing without it exports the records that already existed."""

from __future__ import annotations

import pytest

from hostcrm.finance_host import AccountRepository
from onecrm_finance_qb.models.links import LinkStatus

from . import qb

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ('qb_type', 'setting', 'supplier'),
    [
        pytest.param('Customer', 'export.customers', False, id='customers'),
        pytest.param('Vendor', 'export.vendors', True, id='vendors'),
    ],
)
def test_accounts_created_while_export_was_off_are_exported_once_it_is_on(us_bench, qb_type, setting, supplier):
    bench = us_bench
    bench.cli('config', 'set', setting, 'false')
    bench.add_account('Globex Corporation', supplier=supplier)
    assert bench.update().completed
    assert 'Globex Corporation' not in bench.qb(f'{qb_type}Ret')

    bench.cli('config', 'set', setting, 'true')
    bench.add_account('Hooli', supplier=supplier)
    assert bench.update().completed

    assert {'Globex Corporation', 'Hooli'} <= set(bench.qb(f'{qb_type}Ret'))
    assert {'Globex Corporation', 'Hooli'} <= set(bench.links(qb_type))


@pytest.fixture
def account_reads(monkeypatch):
    """The CRM account change feeds registration reads, each call recorded by name."""
    reads: list[str] = []
    for feed in ('changed_since', 'changed_since_brief'):
        original = getattr(AccountRepository, feed)

        def recorded(repository, *args, _feed=feed, _original=original, **kwargs):
            reads.append(_feed)
            return _original(repository, *args, **kwargs)

        monkeypatch.setattr(AccountRepository, feed, recorded)
    return reads


def test_accounts_are_not_read_while_no_account_stage_is_on_and_export_catches_up(us_bench, account_reads):
    bench = us_bench
    bench.add_account('Hooli')
    assert bench.update().completed
    assert 'Hooli' in bench.qb('CustomerRet')
    assert account_reads
    assert set(account_reads) == {'changed_since_brief'}

    for stage in ('import', 'export', 'delete'):
        for family in ('customers', 'vendors'):
            bench.cli('config', 'set', f'{stage}.{family}', 'false')
    bench.add_account('Globex Corporation')
    bench.add_account('Initech', supplier=True)
    account_reads.clear()
    assert bench.update().completed
    assert account_reads == []

    bench.cli('config', 'set', 'export.customers', 'true')
    bench.cli('config', 'set', 'export.vendors', 'true')
    assert bench.update().completed
    assert {'Hooli', 'Globex Corporation'} == set(bench.qb('CustomerRet'))
    assert set(bench.qb('VendorRet')) == {'Initech'}


def test_with_import_on_a_deleted_account_stops_syncing_even_while_export_is_off(us_bench):
    bench = us_bench
    acme = bench.add_account('Acme Widgets')
    assert bench.update().completed
    bench.cli('config', 'set', 'export.customers', 'false')

    bench.edit_account(acme, deleted=True)
    qb.modify(bench, 'Customer', 'Acme Widgets', '<Phone>555-2000</Phone>')
    assert bench.update().completed

    assert bench.links('Customer')['Acme Widgets'].status == LinkStatus.DISABLED
    assert bench.account(acme).phone_office in {None, ''}
