"""Incremental runs: after the first full pass, lists are asked for by modified date, with an overlap."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from onecrm_finance_qb.models.links import LinkStatus

from . import qb
from .schema import assert_requests_valid

pytestmark = pytest.mark.slow

#: Setup lists the new company has elements in (an empty list has no modified date to start from).
SETUP_QUERIES = ('AccountQueryRq', 'TermsQueryRq')


def _queries(bench, run: int, tag: str) -> list[etree._Element]:
    """Every ``tag`` request QuickBooks received in update number ``run`` (1-based, as recorded)."""
    found = []
    for path in sorted(Path(bench.records / f'run{run}').glob('*-request.xml')):
        root = etree.fromstring(path.read_bytes().split(b'?>', 2)[-1])
        found.extend(root.iter(tag))
    return found


@pytest.fixture
def synced(us_bench):
    qb.add(us_bench, 'Customer', '<Name>Acme Widgets</Name><Phone>555-0100</Phone>')
    us_bench.globex = us_bench.add_account('Globex Corporation', phone_office='555-0199')
    assert us_bench.update().completed
    assert us_bench.links('Customer')['Globex Corporation'].status == LinkStatus.ENABLED
    return us_bench


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
    found = []
    for path in sorted(Path(bench.records / f'run{run}').glob('*-response.xml')):
        root = etree.fromstring(path.read_bytes().split(b'?>', 2)[-1])
        found.extend(root.iter('CustomerRet'))
    return found
