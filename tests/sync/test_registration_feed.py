"""Registration reads the CRM's account changes light, and whole from a host that cannot read them light."""

from __future__ import annotations

import pytest

from hostcrm.finance_host import AccountRepository

pytestmark = pytest.mark.slow


@pytest.mark.parametrize('brief', [True, False], ids=['brief feed', 'host without it'])
def test_new_customers_jobs_and_vendors_are_registered_and_exported(us_bench, monkeypatch, brief):
    bench = us_bench
    if not brief:
        monkeypatch.delattr(AccountRepository, 'changed_since_brief')
    parent = bench.add_account('Globex Corporation')
    assert bench.update().completed
    bench.add_account('Phase 1', parent_id=parent)
    bench.add_account('Initech', supplier=True)

    assert bench.update().completed

    assert set(bench.qb('CustomerRet')) == {'Globex Corporation', 'Phase 1'}
    assert bench.qb('CustomerRet')['Phase 1']['FullName'] == 'Globex Corporation:Phase 1'
    assert set(bench.qb('VendorRet')) == {'Initech'}
    assert set(bench.links('Customer')) == {'Globex Corporation', 'Globex Corporation:Phase 1'}
