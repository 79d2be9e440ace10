"""QuickBooks jobs (customers with a ParentRef) on a US and a Canadian company.

A job is imported as a CRM customer account whose parent is the job's customer, and is linked
under its QuickBooks full name (``Parent:Job``); a CRM child account goes to QuickBooks as a job
of its parent's customer, never as a customer of its own.
"""

from __future__ import annotations

import pytest

from onecrm_finance_qb.models.links import FirstSync, LinkStatus
from qbsim.webconnector import run_update
from qbsim.webconnector.faults import FaultPlan

from . import qb
from .conftest import PASSWORD, make_bench
from .schema import assert_requests_valid

pytestmark = pytest.mark.slow


@pytest.fixture(params=['US', 'CA'])
def job_bench(request, crm, tmp_path):
    return make_bench(crm, tmp_path, request.param)


def _add_job(bench, parent: str, name: str, phone: str) -> None:
    qb.add(
        bench,
        'Customer',
        f'<Name>{name}</Name><ParentRef><FullName>{parent}</FullName></ParentRef><Phone>{phone}</Phone>',
    )


def _writes(result) -> dict[str, int]:
    """Customer Adds and Mods sent in a run (the first run also adds the standard items)."""
    return {kind: count for kind, count in result.requests_by_type.items() if kind in ('CustomerAdd', 'CustomerMod')}


def _customers(bench) -> dict[str, dict]:
    """QuickBooks customers and jobs by full name (jobs of different customers may share a name)."""
    company = bench.company()
    try:
        return {obj['FullName']: obj for obj in company.query_objects('CustomerRet')}
    finally:
        company.close()


def test_jobs_import_under_their_customer_and_stay_jobs(job_bench, qbxml_xsd_dir):
    bench = job_bench
    qb.add(bench, 'Customer', '<Name>Acme Widgets</Name>')
    qb.add(bench, 'Customer', '<Name>Globex Corporation</Name>')
    _add_job(bench, 'Acme Widgets', 'Phase 1', '555-0101')
    _add_job(bench, 'Acme Widgets', 'Phase 2', '555-0102')
    # QuickBooks names are unique by full name: another customer's job may share a job's name.
    _add_job(bench, 'Globex Corporation', 'Phase 1', '555-0201')
    qb_customers = _customers(bench)

    first = bench.update()
    assert first.completed, (first.outcome, first.error, first.last_error_text)
    assert _writes(first) == {}
    [acme] = bench.accounts_named('Acme Widgets')
    [globex] = bench.accounts_named('Globex Corporation')
    jobs = {(job.parent_id, job.phone_office) for job in bench.accounts_named('Phase 1')}
    assert jobs == {(acme.id, '555-0101'), (globex.id, '555-0201')}
    [phase2] = bench.accounts_named('Phase 2')
    assert (phase2.parent_id, phase2.is_supplier) == (acme.id, False)
    assert acme.parent_id is None
    links = bench.links('Customer')
    assert set(links) == {
        'Acme Widgets',
        'Globex Corporation',
        'Acme Widgets:Phase 1',
        'Acme Widgets:Phase 2',
        'Globex Corporation:Phase 1',
    }
    assert {link.status for link in links.values()} == {LinkStatus.ENABLED}
    assert {link.first_sync for link in links.values()} == {FirstSync.IMPORTED}
    assert links['Acme Widgets:Phase 2'].crm_id == phase2.id
    assert links['Acme Widgets:Phase 2'].qb_id == qb_customers['Acme Widgets:Phase 2']['ListID']
    assert links['Acme Widgets:Phase 2'].parent_qb_id == links['Acme Widgets'].qb_id

    second = bench.update()
    assert second.completed
    assert _writes(second) == {}

    qb.modify(bench, 'Customer', 'Phase 2', '<Phone>555-0999</Phone>')
    third = bench.update()
    assert third.completed
    assert _writes(third) == {}
    assert bench.account(phase2.id).phone_office == '555-0999'
    assert bench.account(phase2.id).parent_id == acme.id

    # A CRM job, and an edit of an imported one, go to QuickBooks as jobs of their customer.
    phase3 = bench.add_account('Phase 3', parent_id=acme.id, phone_office='555-0103')
    bench.edit_account(phase2.id, phone_office='555-0888')
    fourth = bench.update()
    assert fourth.completed
    assert _writes(fourth) == {'CustomerAdd': 1, 'CustomerMod': 1}
    by_full_name = _customers(bench)
    assert by_full_name['Acme Widgets:Phase 3']['ParentRef']['ListID'] == links['Acme Widgets'].qb_id
    assert by_full_name['Acme Widgets:Phase 2']['Phone'] == '555-0888'
    assert not {'Phase 2', 'Phase 3'} & by_full_name.keys()
    assert len(by_full_name) == len(qb_customers) + 1
    link = bench.links('Customer')['Acme Widgets:Phase 3']
    assert (link.crm_id, link.status, link.first_sync) == (phase3, LinkStatus.ENABLED, FirstSync.EXPORTED)
    assert link.parent_qb_id == links['Acme Widgets'].qb_id
    assert _writes(bench.update()) == {}
    assert_requests_valid(bench, qbxml_xsd_dir)


def test_a_customer_its_job_and_a_sub_job_made_together_go_in_one_update(job_bench, qbxml_xsd_dir):
    """A job needs its customer's ListID: it waits for the customer's Add, then goes in the same update."""
    bench = job_bench
    acme = bench.add_account('Acme Widgets')
    website = bench.add_account('Website', parent_id=acme, phone_office='555-0101')
    bench.add_account('Phase 1', parent_id=website, phone_office='555-0102')
    # A sub-job registered before its job, so the job is not simply planned first.
    bench.edit_account(website, phone_office='555-0111')

    first = bench.update()

    assert first.completed, (first.outcome, first.error, first.last_error_text)
    assert _writes(first) == {'CustomerAdd': 3}
    customers = _customers(bench)
    assert customers['Acme Widgets:Website']['ParentRef']['ListID'] == customers['Acme Widgets']['ListID']
    assert customers['Acme Widgets:Website:Phase 1']['ParentRef']['ListID'] == (
        customers['Acme Widgets:Website']['ListID']
    )
    assert customers['Acme Widgets:Website']['Phone'] == '555-0111'
    links = bench.links('Customer')
    assert {name: link.status for name, link in links.items()} == {
        'Acme Widgets': LinkStatus.ENABLED,
        'Acme Widgets:Website': LinkStatus.ENABLED,
        'Acme Widgets:Website:Phase 1': LinkStatus.ENABLED,
    }
    assert _writes(bench.update()) == {}
    assert_requests_valid(bench, qbxml_xsd_dir)


def test_a_job_whose_customer_cannot_go_waits_for_a_later_update(job_bench):
    bench = job_bench
    acme = bench.add_account('Acme Widgets', account_type='Unmapped type')
    bench.add_account('Website', parent_id=acme)

    first = bench.update()

    assert first.completed
    assert _writes(first) == {}
    links = bench.links('Customer')
    assert {name: link.status for name, link in links.items()} == {
        'Acme Widgets': LinkStatus.PENDING_EXPORT,
        'Acme Widgets:Website': LinkStatus.PENDING_EXPORT,
    }
    assert 'not mapped' in links['Acme Widgets'].message
    assert links['Acme Widgets:Website'].message == 'Waiting for the parent account to be exported first.'
    bench.edit_account(acme, account_type=None)
    second = bench.update()
    assert _writes(second) == {'CustomerAdd': 2}
    assert {link.status for link in bench.links('Customer').values()} == {LinkStatus.ENABLED}


def test_crm_jobs_are_named_by_their_full_name(job_bench):
    """Jobs of two customers with one name, beside a customer of that name, and a lost answer to a job's Add."""
    bench = job_bench
    acme = bench.add_account('Acme Widgets')
    globex = bench.add_account('Globex Corporation')
    bench.add_account('Website', phone_office='555-0100')
    assert bench.update().completed
    bench.add_account('Website', parent_id=acme, phone_office='555-0101')
    bench.add_account('Website', parent_id=globex, phone_office='555-0201')
    plan = FaultPlan()
    sent: list[str] = []

    def lose_the_first_add(event):
        if event.operation == 'sendRequestXML' and event.answer:
            sent.append(event.answer)
            if '<CustomerAddRq' in event.answer and not plan.lose_response:
                plan.lose_response.add(len(sent))

    lost = run_update(bench.qwc, PASSWORD, bench.company_path, faults=plan, progress=lose_the_first_add)
    assert lost.outcome == 'connection-lost'
    again = bench.update()
    assert again.completed
    customers = _customers(bench)
    assert {name: customers[name]['Phone'] for name in customers if name.endswith('Website')} == {
        'Website': '555-0100',
        'Acme Widgets:Website': '555-0101',
        'Globex Corporation:Website': '555-0201',
    }
    links = bench.links('Customer')
    assert {link.status for link in links.values()} == {LinkStatus.ENABLED}, {
        name: link.message for name, link in links.items()
    }
    assert {links[name].qb_id for name in customers} == {customer['ListID'] for customer in customers.values()}
    assert _writes(bench.update()) == {}
