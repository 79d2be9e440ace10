"""Edits on either side carried over, conflicts under each policy, deletions seen both ways."""

from __future__ import annotations

import pytest

from onecrm_finance_qb.models.links import FirstSync, LinkStatus

from . import qb
from .schema import assert_requests_valid

pytestmark = pytest.mark.slow


@pytest.fixture
def synced(bench):
    """Bench with one customer exported and one imported, all settled."""
    qb.add(bench, 'Customer', '<Name>Acme Widgets</Name><Phone>555-0100</Phone>')
    bench.globex = bench.add_account('Globex Corporation', phone_office='555-0199')
    assert bench.update().completed
    assert bench.links('Customer')['Globex Corporation'].status == LinkStatus.ENABLED
    return bench


def test_edits_on_either_side_are_carried_over(synced, qbxml_xsd_dir):
    bench = synced
    bench.edit_account(bench.globex, phone_office='555-0123')
    qb.modify(bench, 'Customer', 'Acme Widgets', '<Phone>555-0777</Phone>')
    result = bench.update()
    assert result.completed
    assert result.requests_by_type['CustomerMod'] == 1
    assert bench.qb('CustomerRet')['Globex Corporation']['Phone'] == '555-0123'
    [acme] = bench.accounts_named('Acme Widgets')
    assert acme.phone_office == '555-0777'
    links = bench.links('Customer')
    assert {link.status for link in links.values()} == {LinkStatus.ENABLED}
    # Writing QuickBooks' data into the CRM is not a CRM change to send back.
    again = bench.update()
    assert not [kind for kind in again.requests_by_type if kind.endswith('Mod')]
    assert_requests_valid(bench, qbxml_xsd_dir)


@pytest.mark.parametrize(
    ('policy', 'qb_phone', 'crm_phone', 'status'),
    [
        ('crm_wins', '555-1000', '555-1000', LinkStatus.ENABLED),
        ('qb_wins', '555-2000', '555-2000', LinkStatus.ENABLED),
        ('hold', '555-2000', '555-1000', LinkStatus.HELD),
    ],
)
def test_conflicts_follow_the_chosen_policy(us_bench, policy, qb_phone, crm_phone, status):
    bench = us_bench
    globex = bench.add_account('Globex Corporation', phone_office='555-0199')
    assert bench.update().completed
    bench.cli('config', 'set', 'conflict.customers', policy)
    bench.edit_account(globex, phone_office='555-1000')
    qb.modify(bench, 'Customer', 'Globex Corporation', '<Phone>555-2000</Phone>')
    assert bench.update().completed
    assert bench.qb('CustomerRet')['Globex Corporation']['Phone'] == qb_phone
    assert bench.account(globex).phone_office == crm_phone
    link = bench.links('Customer')['Globex Corporation']
    assert link.status == status
    [conflict] = bench.status()['conflicts']
    assert conflict['policy'] == policy
    assert (conflict['resolved_at'] is None) == (policy == 'hold')


def test_conflict_policy_is_validated(us_bench):
    output = us_bench.cli('config', 'set', 'conflict.customers', 'coin_toss', ok=False)
    assert 'must be one of' in output


def test_deletions_are_seen_both_ways(us_bench):
    bench = us_bench
    qb.add(bench, 'Customer', '<Name>Acme Widgets</Name>')
    globex = bench.add_account('Globex Corporation')
    assert bench.update().completed
    qb.delete(bench, 'Customer', 'Acme Widgets')
    bench.cli('config', 'set', 'delete.customers', 'true')
    bench.edit_account(globex, deleted=True)
    result = bench.update()
    assert result.completed
    assert result.requests_by_type['ListDel'] == 1
    assert set(bench.qb('CustomerRet')) == set()
    links = bench.links('Customer')
    assert links['Acme Widgets'].status == LinkStatus.DISABLED
    assert links['Acme Widgets'].first_sync == FirstSync.DELETED
    assert links['Globex Corporation'].first_sync == FirstSync.DELETED
    # The CRM record QuickBooks deleted stays in the CRM.
    assert len(bench.accounts_named('Acme Widgets')) == 1
