"""Edits on either side carried over, conflicts under each policy, deletions seen both ways."""

from __future__ import annotations

import pytest

from hostcrm.extensions import db
from onecrm_finance_qb.host import DropdownList
from onecrm_finance_qb.models.links import FirstSync, LinkStatus
from onecrm_finance_qb.state import get_host
from qbsim.webconnector import run_update

from . import qb
from .conftest import PASSWORD, sync_two_customers
from .schema import assert_requests_valid

pytestmark = pytest.mark.slow


@pytest.fixture
def synced(bench):
    """Bench with one customer exported and one imported, all settled."""
    return sync_two_customers(bench)


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


@pytest.mark.parametrize('action', ['Add', 'Mod'])
def test_a_crm_edit_made_while_its_write_is_on_the_way_is_sent_by_the_next_update(synced, action):
    """The link remembers the CRM version its Add or Mod sent, not the one current when the answer came."""
    bench = synced
    if action == 'Add':
        account_id = bench.add_account('Initech', phone_office='555-0300')
        name = 'Initech'
    else:
        account_id, name = bench.globex, 'Globex Corporation'
        bench.edit_account(account_id, phone_office='555-0300')
    sent_version = bench.account(account_id).date_modified
    edits = []

    def edit_while_on_the_way(event):
        if event.operation == 'sendRequestXML' and f'<Customer{action}Rq' in (event.answer or '') and not edits:
            bench.edit_account(account_id, phone_office='555-0301')
            edits.append(event.answer)

    result = run_update(bench.qwc, PASSWORD, bench.company_path, progress=edit_while_on_the_way)
    assert result.completed
    assert edits
    assert bench.qb('CustomerRet')[name]['Phone'] == '555-0300'
    link = bench.links('Customer')[name]
    assert (link.status, link.crm_modified_at) == (LinkStatus.ENABLED, sent_version)
    assert bench.account(account_id).date_modified > sent_version

    again = bench.update()
    assert again.requests_by_type.get('CustomerMod') == 1
    assert bench.qb('CustomerRet')[name]['Phone'] == '555-0301'


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
    # The deletion was seen with the customer pages, before anything was sent to Acme.
    [message] = [
        message
        for message in qb.sent_messages(bench, 2)
        if 'Customer' in message.xpath('ListDeletedQueryRq/ListDelType/text()')
    ]
    assert message.find('CustomerQueryRq') is not None

    # The overlap reports Acme's deletion again, and our own ListDel of Globex comes back too:
    # neither is counted (or labelled) a second time.
    assert bench.update().completed
    links = bench.links('Customer')
    assert links['Acme Widgets'].message == 'Deleted in QuickBooks.'
    assert links['Globex Corporation'].message == ''
    assert sum(run['counts'].get('customers.deleted_in_qb', 0) for run in bench.status()['runs']) == 1


def test_unmapped_quickbooks_terms_take_the_fallback_for_imports(us_bench):
    """A customer imported with terms the CRM has no mapping for gets the wizard's fallback terms."""
    bench = us_bench
    with bench.app.app_context():
        fallback = get_host(bench.app).dropdowns.add_option(DropdownList.TERMS, 'Due on receipt')
        db.session.commit()
    bench.cli('config', 'set', 'terms.default_import', fallback)
    qb.add(bench, 'StandardTerms', '<Name>Net 99</Name><StdDueDays>99</StdDueDays>')
    qb.add(bench, 'Customer', '<Name>Fallback Traders</Name><TermsRef><FullName>Net 99</FullName></TermsRef>')
    qb.add(bench, 'Customer', '<Name>No Terms Ltd</Name>')
    assert bench.update().completed
    [traders] = bench.accounts_named('Fallback Traders')
    assert traders.default_terms == fallback
    [plain] = bench.accounts_named('No Terms Ltd')
    assert plain.default_terms is None
