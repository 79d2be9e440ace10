"""Requests we build are accepted by qbsim, and its responses read back into the records we expect."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onecrm_finance_qb.qbxml import StatusClass, build_request, pack_messages, read_responses, ref

qbsim = pytest.importorskip('qbsim')


@pytest.fixture
def company(tmp_path):
    company = qbsim.Company.create(tmp_path / 'company.qbsim')
    yield company
    company.close()


def _send(company, *requests, session=None) -> dict:
    (message,) = pack_messages(requests, '13.0')
    return {response.request_id: response for response in read_responses(company.process(message.xml, session))}


def test_adds_queries_and_errors_round_trip(company) -> None:
    responses = _send(
        company,
        build_request('CustomerAdd', {
            'CreditLimit': Decimal('2500'), 'BillAddress': {'City': 'Z\u00fcrich', 'Addr1': 'Bahnhofstr. 1'},
            'Name': 'Caf\u00e9 Ω & Co',
        }, 'add'),
        build_request('CustomerAdd', {'Name': 'CAF\u00c9 Ω & CO'}, 'duplicate'),
        build_request('ItemServiceAdd', {
            'SalesOrPurchase': {'AccountRef': ref(full_name='Sales'), 'Price': Decimal('19.99')}, 'Name': 'Consulting',
        }, 'item'),
    )
    added = responses['add']
    assert added.status_class is StatusClass.OK
    (customer,) = added.records
    assert customer.data['Name'] == 'Caf\u00e9 O & Co'
    assert customer.data['BillAddress'] == {'Addr1': 'Bahnhofstr. 1', 'City': 'Z\u00fcrich'}
    assert customer.data['CreditLimit'] == Decimal('2500.00')
    assert responses['duplicate'].status_class is StatusClass.DUPLICATE_NAME
    assert responses['item'].records[0].data['SalesOrPurchase']['Price'] == Decimal('19.99')

    identity = {'EditSequence': customer.data['EditSequence'], 'ListID': customer.data['ListID']}
    modified = _send(
        company,
        build_request('CustomerMod', {'Phone': '+41 44 000', **identity}, 'mod'),
        build_request('CustomerMod', {'Phone': '+41 44 111', **identity}, 'stale'),
    )
    assert modified['mod'].records[0].data['Phone'] == '+41 44 000'
    assert modified['stale'].status_class is StatusClass.STALE_EDIT_SEQUENCE


def test_iterator_pages_are_matched_by_request_id(company) -> None:
    names = [f'Customer {index:02d}' for index in range(5)]
    _send(company, *(build_request('CustomerAdd', {'Name': name}, name) for name in names))
    session = company.begin_session()
    first = _send(company, build_request('CustomerQuery', {'MaxReturned': 2, 'NameFilter': {
        'MatchCriterion': 'StartsWith', 'Name': 'Customer '}}, 'page-1', iterator='Start'), session=session)['page-1']
    seen = [record.data['Name'] for record in first.records]
    remaining, iterator_id, page = first.iterator_remaining_count, first.iterator_id, 1
    while remaining:
        page += 1
        request_id = f'page-{page}'
        more = _send(company, build_request('CustomerQuery', {'MaxReturned': 2, 'NameFilter': {
            'MatchCriterion': 'StartsWith', 'Name': 'Customer '}}, request_id, iterator='Continue',
            iterator_id=iterator_id), session=session)[request_id]
        seen += [record.data['Name'] for record in more.records]
        remaining = more.iterator_remaining_count
    assert seen == names
    assert page == 3
