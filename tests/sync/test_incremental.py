"""Incremental runs: after the first full pass, lists are asked for by modified date, with an overlap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from onecrm_finance_qb.models.links import LinkStatus
from qbsim.webconnector import run_update
from qbsim.webconnector.faults import FaultPlan

from . import qb
from .conftest import PASSWORD, sync_two_customers
from .schema import assert_requests_valid

pytestmark = pytest.mark.slow

#: Setup lists the new company has elements in (an empty list has no modified date to start from).
SETUP_QUERIES = ('AccountQueryRq', 'TermsQueryRq')


def _queries(bench, run: int, tag: str) -> list[etree._Element]:
    """Every ``tag`` request QuickBooks received in update number ``run`` (1-based, as recorded)."""
    return qb.recorded(bench, run, 'request', tag)


@pytest.fixture
def synced(us_bench):
    """Bench with one customer exported and one imported, all settled."""
    return sync_two_customers(us_bench)


def test_after_the_first_full_pass_no_list_is_asked_for_in_full(synced, qbxml_xsd_dir):
    bench = synced
    first_customer_queries = _queries(bench, 1, 'CustomerQueryRq')
    assert first_customer_queries
    assert all(query.find('FromModifiedDate') is None for query in first_customer_queries)

    assert bench.update().completed

    run = len(bench.runs)
    customer_queries = [query for query in _queries(bench, run, 'CustomerQueryRq') if query.find('ListID') is None]
    assert customer_queries
    assert all(query.find('FromModifiedDate') is not None for query in customer_queries)
    for tag in SETUP_QUERIES:
        queries = _queries(bench, run, tag)
        assert queries, tag
        assert all(query.find('FromModifiedDate') is not None for query in queries), tag
    deleted = _queries(bench, run, 'ListDeletedQueryRq')
    assert deleted
    assert all(query.find('DeletedDateRangeFilter/FromDeletedDate') is not None for query in deleted)
    assert_requests_valid(bench, qbxml_xsd_dir)


def test_a_quickbooks_change_is_imported_once_and_seen_again_in_the_overlap_as_unchanged(synced):
    bench = synced
    qb.modify(bench, 'Customer', 'Acme Widgets', '<Phone>555-0777</Phone>')

    assert bench.update().completed

    [acme] = bench.accounts_named('Acme Widgets')
    assert acme.phone_office == '555-0777'
    assert bench.status()['runs'][0]['counts'].get('customers.updated_in_crm') == 1
    edit_sequence = bench.links('Customer')['Acme Widgets'].edit_sequence

    assert bench.update().completed

    run = len(bench.runs)
    seen_again = [ret for ret in _response_rets(bench, run) if ret.findtext('Name') == 'Acme Widgets']
    assert seen_again, 'the overlap should bring the changed customer back'
    assert bench.status()['runs'][0]['counts'].get('customers.updated_in_crm') is None
    assert [account.id for account in bench.accounts_named('Acme Widgets')] == [acme.id]
    link = bench.links('Customer')['Acme Widgets']
    assert (link.status, link.edit_sequence) == (LinkStatus.ENABLED, edit_sequence)


def _response_rets(bench, run: int) -> list[etree._Element]:
    return qb.recorded(bench, run, 'response', 'CustomerRet')


def _customer_reads(bench, run: int) -> tuple[list[etree._Element], list[etree._Element]]:
    """The run's CustomerQuery requests: (modified-date pages, fetches by ListID)."""
    queries = _queries(bench, run, 'CustomerQueryRq')
    return [query for query in queries if query.find('ListID') is None], [
        query for query in queries if query.find('ListID') is not None
    ]


def _requests_through_light_customer_page(bench, run: int) -> int:
    """How many requests run ``run`` sent up to and including the message of its light customer page."""
    count = 0
    for requests in qb.sent_messages(bench, run):
        count += len(requests)
        if any(query.find('IncludeRetElement') is not None for query in requests.iter('CustomerQueryRq')):
            return count
    raise AssertionError('no light customer page in the run')


def _change_two_customers_an_hour_apart(bench) -> None:
    """Acme's phone now, Globex's an hour later: a cursor moved to Globex's time would skip Acme."""
    qb.modify(bench, 'Customer', 'Acme Widgets', '<Phone>555-0777</Phone>')
    company = bench.company()
    try:
        company.clock.set(datetime.now(UTC) + timedelta(hours=1))
        globex = {obj['Name']: obj for obj in company.query_objects('CustomerRet')}['Globex Corporation']
        company.process(
            qb.message(
                bench,
                f'<CustomerModRq><CustomerMod><ListID>{globex["ListID"]}</ListID><EditSequence>'
                f'{globex["EditSequence"]}</EditSequence><Phone>555-0888</Phone></CustomerMod></CustomerModRq>',
            )
        )
    finally:
        company.close()


def test_an_unchanged_re_read_comes_light_and_costs_no_fetch_and_no_crm_write(synced, qbxml_xsd_dir):
    bench = synced
    before = bench.accounts_named('Acme Widgets')[0].date_modified
    edit_sequences = {name: link.edit_sequence for name, link in bench.links('Customer').items()}

    result = bench.update()

    assert result.completed
    run = len(bench.runs)
    pages, fetches = _customer_reads(bench, run)
    assert pages
    assert not fetches
    for page in pages:
        assert page.find('FromModifiedDate') is not None
        assert [element.text for element in page.iter('IncludeRetElement')] == [
            'ListID',
            'TimeModified',
            'EditSequence',
            'Name',
            'FullName',
        ]
    rets = _response_rets(bench, run)
    assert {ret.findtext('Name') for ret in rets} == {'Acme Widgets', 'Globex Corporation'}
    assert {tuple(child.tag for child in ret) for ret in rets} == {
        ('ListID', 'TimeModified', 'EditSequence', 'Name', 'FullName')
    }
    assert result.requests_by_type['CustomerQuery'] == len(pages)
    assert not [kind for kind in result.requests_by_type if kind.endswith(('Add', 'Mod'))]
    assert bench.accounts_named('Acme Widgets')[0].date_modified == before
    assert {name: link.edit_sequence for name, link in bench.links('Customer').items()} == edit_sequences
    assert_requests_valid(bench, qbxml_xsd_dir)


def test_a_change_inside_the_overlap_is_fetched_whole_by_its_list_id(synced, qbxml_xsd_dir):
    bench = synced
    qb.modify(bench, 'Customer', 'Acme Widgets', '<Phone>555-0777</Phone>')

    assert bench.update().completed

    pages, fetches = _customer_reads(bench, len(bench.runs))
    assert all(page.find('IncludeRetElement') is not None for page in pages)
    acme_id = bench.qb('CustomerRet')['Acme Widgets']['ListID']
    assert [[element.text for element in fetch.iter('ListID')] for fetch in fetches] == [[acme_id]]
    assert bench.accounts_named('Acme Widgets')[0].phone_office == '555-0777'
    link = bench.links('Customer')['Acme Widgets']
    assert link.edit_sequence == bench.qb('CustomerRet')['Acme Widgets']['EditSequence']
    assert_requests_valid(bench, qbxml_xsd_dir)


def test_a_run_lost_between_the_light_page_and_the_fetch_imports_the_change_next_run(synced):
    bench = synced
    _change_two_customers_an_hour_apart(bench)
    plan = FaultPlan()
    sent = []

    def lose_the_fetch(event):
        if event.operation == 'sendRequestXML' and event.answer:
            sent.append(event.answer)
            if '<CustomerQueryRq' in event.answer and '<ListID>' in event.answer:
                plan.lose_response.add(len(sent))

    lost = run_update(bench.qwc, PASSWORD, bench.company_path, faults=plan, progress=lose_the_fetch)

    assert lost.outcome == 'connection-lost'
    assert bench.accounts_named('Acme Widgets')[0].phone_office != '555-0777'

    assert bench.update().completed

    assert bench.accounts_named('Acme Widgets')[0].phone_office == '555-0777'
    assert bench.account(bench.globex).phone_office == '555-0888'
    assert bench.links('Customer')['Acme Widgets'].status == LinkStatus.ENABLED


def test_a_run_cut_by_the_request_cap_after_the_light_page_fetches_the_change_when_resumed(synced):
    bench = synced
    assert bench.update().completed
    cap = _requests_through_light_customer_page(bench, len(bench.runs))
    bench.cli('config', 'set', 'sync.max_requests_per_update', str(cap))
    _change_two_customers_an_hour_apart(bench)

    cut = bench.update()

    assert cut.completed
    assert cut.requests_by_type.get('CustomerQuery') == 1
    assert bench.status()['runs'][0]['result'] == 'partial'
    assert bench.accounts_named('Acme Widgets')[0].phone_office != '555-0777'
    bench.cli('config', 'set', 'sync.max_requests_per_update', '5000')

    assert bench.update().completed

    _pages, fetches = _customer_reads(bench, len(bench.runs))
    fetched = {element.text for fetch in fetches for element in fetch.iter('ListID')}
    assert bench.qb('CustomerRet')['Acme Widgets']['ListID'] in fetched
    assert bench.accounts_named('Acme Widgets')[0].phone_office == '555-0777'
    assert bench.account(bench.globex).phone_office == '555-0888'


def test_light_pages_page_through_every_edition_and_fetch_only_the_change(bench, qbxml_xsd_dir):
    """Iterators in the US, name paging elsewhere: two records a page, so the light pages page on."""
    bench.cli('config', 'set', 'batch.accounts_import', '2')
    bench.cli('config', 'set', 'import.products', 'false')
    for name in ('Acme Widgets', 'Bolt Supply', 'Cobalt Works'):
        qb.add(bench, 'Customer', f'<Name>{name}</Name>')
    assert bench.update().completed
    qb.modify(bench, 'Customer', 'Bolt Supply', '<Phone>555-0123</Phone>')

    assert bench.update().completed

    pages, fetches = _customer_reads(bench, len(bench.runs))
    assert len(pages) >= 2
    assert all(page.find('IncludeRetElement') is not None for page in pages)
    bolt = bench.qb('CustomerRet')['Bolt Supply']
    assert [[element.text for element in fetch.iter('ListID')] for fetch in fetches] == [[bolt['ListID']]]
    assert bench.accounts_named('Bolt Supply')[0].phone_office == '555-0123'
    assert bench.links('Customer')['Bolt Supply'].edit_sequence == bolt['EditSequence']
    assert_requests_valid(bench, qbxml_xsd_dir)


def test_paging_by_name_one_record_a_page_reads_every_customer(crm, tmp_path):
    """Outside the US a page by name starts with the last name of the page before; a page of one still moves on."""
    from .conftest import make_bench

    bench = make_bench(crm, tmp_path, 'CA')
    bench.cli('config', 'set', 'batch.accounts_import', '1')
    for name in ('Alpha Ltd', 'Bravo Ltd', 'Charlie Ltd'):
        qb.add(bench, 'Customer', f'<Name>{name}</Name>')
    assert bench.update().completed
    assert {'Alpha Ltd', 'Bravo Ltd', 'Charlie Ltd'} <= bench.links('Customer').keys()


def _customer_windows(bench, run: int) -> set[datetime]:
    """The FromModifiedDate of run ``run``'s customer pages."""
    return {
        datetime.fromisoformat(query.findtext('FromModifiedDate'))
        for query in _queries(bench, run, 'CustomerQueryRq')
        if query.find('FromModifiedDate') is not None
    }


def _edit_phone(bench, name: str, phone: str, at: datetime) -> None:
    """Another QuickBooks user changes ``name``'s phone at ``at`` (QuickBooks' clock)."""
    company = bench.company()
    try:
        company.clock.set(at)
        found = {obj['Name']: obj for obj in company.query_objects('CustomerRet')}[name]
        company.process(
            qb.message(
                bench,
                f'<CustomerModRq><CustomerMod><ListID>{found["ListID"]}</ListID><EditSequence>'
                f'{found["EditSequence"]}</EditSequence><Phone>{phone}</Phone></CustomerMod></CustomerModRq>',
            )
        )
    finally:
        company.close()


def test_an_idle_company_stops_re_reading_the_overlap_once_a_later_pass_read_it(synced):
    bench = synced
    for _ in range(3):
        assert bench.update().completed  # runs 2 to 4, nothing changes in QuickBooks
    customers = bench.qb('CustomerRet')
    newest = datetime.fromisoformat(customers['Globex Corporation']['TimeModified'])
    first_pass_newest = datetime.fromisoformat(customers['Acme Widgets']['TimeModified'])
    windows = [_customer_windows(bench, run) for run in (2, 3, 4)]
    # Run 1's pass saw Acme; our export of Globex came after it. Run 2 reads the window below Acme
    # with the overlap and finds Globex in the version we hold (our own echo): the window is
    # verified at Globex, and the runs after it start there.
    assert windows == [{first_pass_newest - timedelta(minutes=5)}, {newest}, {newest}]
    assert {datetime.fromisoformat(ret.findtext('TimeModified')) for ret in _response_rets(bench, 4)} == {newest}

    _edit_phone(bench, 'Acme Widgets', '555-0777', newest + timedelta(hours=1))
    assert bench.update().completed  # run 5
    assert bench.accounts_named('Acme Widgets')[0].phone_office == '555-0777'
    assert _customer_windows(bench, 5) == {newest}
    assert bench.update().completed  # run 6: a newer change opens a new window, read with the overlap
    assert _customer_windows(bench, 6) == {newest + timedelta(hours=1) - timedelta(minutes=5)}


def test_a_change_just_after_a_verified_bulk_re_reads_down_to_the_bulk_not_through_it(synced):
    bench = synced
    for _ in range(2):
        assert bench.update().completed  # runs 2 and 3: the window is verified at our export of Globex
    verified = datetime.fromisoformat(bench.qb('CustomerRet')['Globex Corporation']['TimeModified'])
    assert _customer_windows(bench, 3) == {verified}

    changed_at = verified + timedelta(minutes=2)
    _edit_phone(bench, 'Acme Widgets', '555-0778', changed_at)
    assert bench.update().completed  # run 4 imports the change
    assert bench.accounts_named('Acme Widgets')[0].phone_office == '555-0778'
    assert bench.update().completed  # run 5 re-reads the change's window, but not below the verified point
    assert _customer_windows(bench, 5) == {verified}
    assert {ret.findtext('Name') for ret in _response_rets(bench, 5)} == {'Globex Corporation', 'Acme Widgets'}
    assert bench.update().completed  # run 6: nothing newer, the change's window is verified
    assert _customer_windows(bench, 6) == {changed_at}


def _vendor_windows(bench, run: int) -> list[datetime | None]:
    """The FromModifiedDate of run ``run``'s vendor pages (None for a page of the whole list)."""
    return [
        datetime.fromisoformat(text) if (text := query.findtext('FromModifiedDate')) else None
        for query in _queries(bench, run, 'VendorQueryRq')
    ]


def test_a_list_first_read_empty_is_verified_by_the_pass_that_reads_our_exports_back(us_bench):
    bench = us_bench
    bench.add_account('Paper Supplies Ltd', supplier=True)
    assert bench.update().completed  # run 1: QuickBooks has no vendor yet; ours is exported
    assert _vendor_windows(bench, 1) == [None]
    assert [query.find('IncludeRetElement') for query in _queries(bench, 1, 'VendorQueryRq')] == [None]
    assert bench.update().completed  # run 2 reads the whole list again: only our own export comes back
    assert _vendor_windows(bench, 2) == [None]
    exported = datetime.fromisoformat(bench.qb('VendorRet')['Paper Supplies Ltd']['TimeModified'])
    assert bench.update().completed  # run 3 starts at it, without the overlap
    assert _vendor_windows(bench, 3) == [exported]


def test_the_whole_list_read_again_after_an_empty_pass_comes_light_and_fetches_only_what_is_new(us_bench):
    bench = us_bench
    bench.add_account('Paper Supplies Ltd', supplier=True, phone_office='555-0300')
    assert bench.update().completed  # run 1: QuickBooks has no vendor yet; ours is exported
    qb.add(bench, 'Vendor', '<Name>Ink Traders</Name><Phone>555-0400</Phone>')

    second = bench.update()  # run 2 reads the whole list again, light: our export and the new vendor
    assert second.completed
    [page] = _queries(bench, 2, 'VendorQueryRq')[:1]
    assert page.find('FromModifiedDate') is None
    assert page.find('IncludeRetElement') is not None
    fetches = [query for query in _queries(bench, 2, 'VendorQueryRq') if query.find('ListID') is not None]
    assert [query.findtext('ListID') for query in fetches] == [bench.qb('VendorRet')['Ink Traders']['ListID']]
    [ink] = bench.accounts_named('Ink Traders')
    assert (ink.is_supplier, ink.phone_office) == (True, '555-0400')
    assert len(bench.accounts_named('Paper Supplies Ltd')) == 1
    writes = {kind: count for kind, count in second.requests_by_type.items() if kind.endswith(('Add', 'Mod'))}
    assert writes == {}
    links = bench.links('Vendor')
    assert {link.status for link in links.values()} == {LinkStatus.ENABLED}
    assert set(links) == {'Paper Supplies Ltd', 'Ink Traders'}
