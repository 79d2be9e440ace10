"""Batching many requests into messages: caps by count and bytes, version prolog, unique requestIDs."""

from __future__ import annotations

import pytest
from lxml import etree

from onecrm_finance_qb.qbxml import MessageBuilder, MessageSizeError, build_request, pack_messages, version_string


def _requests(count: int, start: int = 0) -> list:
    return [
        build_request('CustomerQuery', {'FullName': [f'Customer {index:05d}']}, f'r{index:05d}')
        for index in range(start, start + count)
    ]


def test_prolog_envelope_and_on_error() -> None:
    (message,) = pack_messages(_requests(2), 'CA3.0')
    assert message.xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="CA3.0"?>\n')
    root = etree.fromstring(message.xml.encode())
    assert root.tag == 'QBXML'
    assert root.find('QBXMLMsgsRq').get('onError') == 'continueOnError'
    assert message.request_ids == ('r00000', 'r00001')


@pytest.mark.parametrize(('country', 'version', 'expected'), [('US', '13.0', '13.0'), ('UK', '6.0', 'UK6.0')])
def test_version_string(country, version, expected) -> None:
    assert version_string(country, version) == expected


@pytest.mark.parametrize('version', ['13', 'v13.0', 'FR3.0', '13.0"?><x'])
def test_bad_version_refused(version) -> None:
    with pytest.raises(ValueError, match='qbXML version'):
        MessageBuilder(version)


def test_count_cap_is_respected_exactly(assert_valid) -> None:
    requests = _requests(250)
    messages = pack_messages(requests, '13.0', max_requests=100)
    assert [len(message.requests) for message in messages] == [100, 100, 50]
    all_ids = [request_id for message in messages for request_id in message.request_ids]
    assert all_ids == [request.request_id for request in requests]
    for message in messages:
        ids = [rq.get('requestID') for rq in etree.fromstring(message.xml.encode()).find('QBXMLMsgsRq')]
        assert ids == list(message.request_ids)


def test_byte_cap_is_respected_exactly() -> None:
    requests = _requests(40)
    header_and_footer = MessageBuilder('13.0').size
    per_request = requests[0].size
    assert all(request.size == per_request for request in requests)
    cap = header_and_footer + 7 * per_request
    messages = pack_messages(requests, '13.0', max_bytes=cap)
    assert [len(message.requests) for message in messages] == [7, 7, 7, 7, 7, 5]
    assert max(len(message.xml.encode()) for message in messages) == cap
    assert all(message.size == len(message.xml.encode()) for message in messages)
    one_short = pack_messages(requests, '13.0', max_bytes=cap - 1)
    assert next(len(message.requests) for message in one_short) == 6


def test_builder_says_when_full() -> None:
    builder = MessageBuilder('13.0', max_requests=3)
    added = [builder.try_add(request) for request in _requests(5)]
    assert added == [True, True, True, False, False]
    assert len(builder) == 3
    assert builder.size == len(builder.build().xml)


def test_duplicate_request_ids_refused() -> None:
    builder = MessageBuilder('13.0')
    builder.try_add(build_request('HostQuery', {}, 'a'))
    with pytest.raises(ValueError, match='already in this message'):
        builder.try_add(build_request('CompanyQuery', {}, 'a'))
    with pytest.raises(ValueError, match='used twice'):
        pack_messages([build_request('HostQuery', {}, 'a'), build_request('HostQuery', {}, 'a')], '13.0')


def test_request_larger_than_the_cap_is_refused() -> None:
    big = build_request('CustomerAdd', {'Name': 'Big', 'Notes': 'x' * 4000}, 1)
    with pytest.raises(MessageSizeError):
        pack_messages([big], '13.0', max_bytes=1000)


def test_messages_validate(assert_valid, qbxml_schema) -> None:
    for message in pack_messages(_requests(30), '13.0', max_requests=10):
        assert qbxml_schema.validate(etree.fromstring(message.xml.encode()))
