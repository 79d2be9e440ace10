"""Checklist 9: iterators: Start/Continue with the same body, GUID id, remaining count, bound to the session,
US editions only."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from qbsim import QBXMLParseError


def _query(iterator: str, iterator_id: str = '', request_id: str = 'it') -> str:
    id_attr = f' iteratorID="{iterator_id}"' if iterator_id else ''
    return (f'<CustomerQueryRq requestID="{request_id}" iterator="{iterator}"{id_attr}><MaxReturned>4</MaxReturned>'
            '</CustomerQueryRq>')


@pytest.fixture
def ten_customers(company, message):
    company.process(message(*(f'<CustomerAddRq><CustomerAdd><Name>C{number}</Name></CustomerAdd></CustomerAddRq>'
                              for number in range(10))))


def _page(company, message, session, *args):
    text = company.process(message(_query(*args)), session=session)
    return etree.fromstring(text.encode()).find('QBXMLMsgsRs')[0]


@pytest.mark.usefixtures('ten_customers')
def test_iterator_pages_through_all_with_remaining_count(company, message):
    session = company.begin_session()
    first = _page(company, message, session, 'Start')
    iterator_id = first.get('iteratorID')
    assert re.fullmatch(r'\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}', iterator_id)
    pages = [first]
    while pages[-1].get('iteratorRemainingCount') != '0':
        pages.append(_page(company, message, session, 'Continue', iterator_id))
    assert [page.get('iteratorRemainingCount') for page in pages] == ['6', '2', '0']
    assert [page.get('requestID') for page in pages] == ['it', 'it', 'it']
    names = [ret.findtext('Name') for page in pages for ret in page]
    assert names == [f'C{number}' for number in range(10)]


@pytest.mark.usefixtures('ten_customers')
def test_iterator_dies_with_the_session(company, message):
    session = company.begin_session()
    iterator_id = _page(company, message, session, 'Start').get('iteratorID')
    company.end_session(session)
    later = company.begin_session()
    rs = _page(company, message, later, 'Continue', iterator_id)
    assert (rs.get('statusCode'), rs.get('statusSeverity')) == ('3391', 'Error')
    assert iterator_id in rs.get('statusMessage')


@pytest.mark.usefixtures('ten_customers')
def test_iterator_without_session_lives_for_one_message(company, message):
    iterator_id = _page(company, message, None, 'Start').get('iteratorID')
    assert _page(company, message, None, 'Continue', iterator_id).get('statusCode') == '3391'


@pytest.mark.usefixtures('ten_customers')
def test_iterator_snapshot_skips_deleted_and_ignores_new(company, message, send):
    session = company.begin_session()
    first = _page(company, message, session, 'Start')
    doomed = company.find('CustomerRet', 'C5')['ListID']
    send(f'<ListDelRq><ListDelType>Customer</ListDelType><ListID>{doomed}</ListID></ListDelRq>',
         '<CustomerAddRq><CustomerAdd><Name>C99</Name></CustomerAdd></CustomerAddRq>')
    second = _page(company, message, session, 'Continue', first.get('iteratorID'))
    assert [ret.findtext('Name') for ret in second] == ['C4', 'C6', 'C7', 'C8']


def test_iterator_over_nothing_answers_1_with_zero_remaining(company, message):
    rs = company.process(message('<VendorQueryRq iterator="Start"><MaxReturned>5</MaxReturned>'
                                 '<NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>zz</Name></NameFilter>'
                                 '</VendorQueryRq>'), session=company.begin_session())
    rs = etree.fromstring(rs.encode()).find('QBXMLMsgsRs')[0]
    assert (rs.get('statusCode'), rs.get('iteratorRemainingCount')) == ('1', '0')


def test_item_query_takes_iterators(company, message):
    rs = etree.fromstring(company.process(message('<ItemQueryRq iterator="Start"><MaxReturned>1</MaxReturned>'
                                                  '</ItemQueryRq>')).encode()).find('QBXMLMsgsRs')[0]
    assert rs.get('statusCode') == '0'
    assert rs.get('iteratorRemainingCount') == '0'


@pytest.mark.parametrize('edition', ['CA', 'UK', 'AU'])
def test_non_us_editions_have_no_iterators(make_company, message, edition):
    company = make_company(f'{edition}.qbsim', edition=edition)
    with pytest.raises(QBXMLParseError, match='iterator'):
        company.process(message(_query('Start'), version=f'{edition}13.0'))
