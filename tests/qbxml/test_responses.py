"""Streaming response reading: statuses, iterator attributes, typed records, errors, bounded memory."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from onecrm_finance_qb.qbxml import QBXMLResponseError, StatusClass, iter_responses, read_responses
from onecrm_finance_qb.qbxml import responses as responses_module

hardened_iterparse = responses_module.hardened_iterparse

ITERATOR_ID = '{6fcbb18b-68cf-4adb-bf40-164ac0bb4ec0}'
INVOICE_QUERY = f'''<?xml version="1.0" ?>
<QBXML>
<QBXMLMsgsRs>
<InvoiceQueryRs requestID="41" statusCode="0" statusSeverity="Info" statusMessage="Status OK"
    iteratorRemainingCount="0" iteratorID="{ITERATOR_ID}">
<InvoiceRet>
<TxnID>7-1232328243</TxnID>
<TimeCreated>2009-01-18T20:24:03-05:00</TimeCreated>
<TimeModified>2009-01-18T20:25:09-05:00</TimeModified>
<EditSequence>1232328309</EditSequence>
<TxnNumber>2</TxnNumber>
<CustomerRef><ListID>40000-1232328070</ListID><FullName>Keith Palmer:QuickBooks Integration</FullName></CustomerRef>
<TxnDate>2009-01-18</TxnDate>
<RefNumber>2</RefNumber>
<BillAddress><Addr1>Caf&#233; Stra&#223;e 1</Addr1><City>Z\u00fcrich</City></BillAddress>
<IsPending>false</IsPending>
<Subtotal>183.00</Subtotal>
<SalesTaxPercentage>6.00</SalesTaxPercentage>
<SalesTaxTotal>10.98</SalesTaxTotal>
<AppliedAmount>-55.00</AppliedAmount>
<BalanceRemaining>138.98</BalanceRemaining>
<IsPaid>false</IsPaid>
<LinkedTxn><TxnID>10-1232328309</TxnID><TxnType>ReceivePayment</TxnType><TxnDate>2009-01-18</TxnDate>
<RefNumber>1234</RefNumber><LinkType>AMTTYPE</LinkType><Amount>-55.00</Amount></LinkedTxn>
<InvoiceLineRet><TxnLineID>9-1232328243</TxnLineID><ItemRef><FullName>Widget</FullName></ItemRef>
<Desc>Blue &amp; green</Desc><Quantity>3</Quantity><Rate>39.00</Rate><Amount>117.00</Amount></InvoiceLineRet>
<InvoiceLineRet><TxnLineID>A-1232328243</TxnLineID><Desc></Desc><Rate>100</Rate><Amount>66.00</Amount></InvoiceLineRet>
</InvoiceRet>
</InvoiceQueryRs>
<CustomerAddRs requestID="42" statusCode="3100" statusSeverity="Error"
    statusMessage="The name &quot;Acme&quot; of the list element is already in use." />
<CustomerQueryRs requestID="43" statusCode="500" statusSeverity="Warn" statusMessage="Object &quot;X&quot; not found">
<CustomerRet><ListID>80000001-1</ListID><Name>Acme</Name><IsActive>true</IsActive><Sublevel>0</Sublevel>
<Balance>0.00</Balance></CustomerRet>
</CustomerQueryRs>
<ItemQueryRs requestID="44" statusCode="1" statusSeverity="Info"
    statusMessage="A query request did not find a matching object in QuickBooks" />
<TxnDelRs requestID="45" statusCode="0" statusSeverity="Info"><TxnDelType>Invoice</TxnDelType>
<TxnID>7-1232328243</TxnID><TimeDeleted>2024-03-01T10:00:00+00:00</TimeDeleted><RefNumber>2</RefNumber></TxnDelRs>
</QBXMLMsgsRs>
</QBXML>'''


def test_statuses_and_iterator_attributes() -> None:
    responses = read_responses(INVOICE_QUERY)
    summary = [(r.request_type, r.request_id, r.status_code, r.status_severity, r.status_class) for r in responses]
    assert summary == [
        ('InvoiceQuery', '41', 0, 'Info', StatusClass.OK),
        ('CustomerAdd', '42', 3100, 'Error', StatusClass.DUPLICATE_NAME),
        ('CustomerQuery', '43', 500, 'Warn', StatusClass.WARN_PARTIAL),
        ('ItemQuery', '44', 1, 'Info', StatusClass.INFO_NO_MATCH),
        ('TxnDel', '45', 0, 'Info', StatusClass.OK),
    ]
    assert responses[0].iterator_id == ITERATOR_ID
    assert responses[0].iterator_remaining_count == 0
    assert responses[1].status_message == 'The name "Acme" of the list element is already in use.'
    assert responses[1].records == ()
    assert [record.data['Name'] for record in responses[2].records] == ['Acme']


def test_records_are_typed_dicts() -> None:
    (invoice,) = read_responses(INVOICE_QUERY)[0].records
    assert invoice.tag == 'InvoiceRet'
    data = invoice.data
    assert data['TimeCreated'] == datetime(2009, 1, 18, 20, 24, 3, tzinfo=timezone(timedelta(hours=-5)))
    assert data['TxnDate'] == date(2009, 1, 18)
    assert data['TxnNumber'] == 2
    assert data['Subtotal'] == Decimal('183.00')
    assert data['AppliedAmount'] == Decimal('-55.00')
    assert data['SalesTaxPercentage'] == Decimal('6.00')
    assert data['IsPaid'] is False
    assert data['EditSequence'] == '1232328309'
    assert data['RefNumber'] == '2'
    assert data['CustomerRef'] == {'ListID': '40000-1232328070', 'FullName': 'Keith Palmer:QuickBooks Integration'}
    assert data['BillAddress'] == {'Addr1': 'Caf\u00e9 Stra\u00dfe 1', 'City': 'Z\u00fcrich'}
    assert data['LinkedTxn'] == [{
        'TxnID': '10-1232328309', 'TxnType': 'ReceivePayment', 'TxnDate': date(2009, 1, 18), 'RefNumber': '1234',
        'LinkType': 'AMTTYPE', 'Amount': Decimal('-55.00'),
    }]
    lines = data['InvoiceLineRet']
    assert [line['Amount'] for line in lines] == [Decimal('117.00'), Decimal('66.00')]
    assert lines[0]['Quantity'] == Decimal(3)
    assert lines[0]['Desc'] == 'Blue & green'
    assert lines[1]['Desc'] == ''
    assert lines[1]['Rate'] == Decimal(100)


def test_deletion_fields_come_back_as_one_record() -> None:
    (record,) = read_responses(INVOICE_QUERY)[4].records
    assert record.tag == 'TxnDelRet'
    assert record.data == {
        'TxnDelType': 'Invoice', 'TxnID': '7-1232328243', 'RefNumber': '2',
        'TimeDeleted': datetime(2024, 3, 1, 10, tzinfo=UTC),
    }


def test_repeated_elements_are_lists_even_when_single() -> None:
    data = '''<QBXML><QBXMLMsgsRs><HostQueryRs requestID="0" statusCode="0" statusSeverity="Info">
    <HostRet><ProductName>QuickBooks Pro 2006</ProductName><MajorVersion>16</MajorVersion>
    <SupportedQBXMLVersion>1.0</SupportedQBXMLVersion><QBFileMode>SingleUser</QBFileMode></HostRet>
    </HostQueryRs></QBXMLMsgsRs></QBXML>'''
    (host,) = read_responses(data)[0].records
    assert host.data['SupportedQBXMLVersion'] == ['1.0']
    assert host.data['MajorVersion'] == '16'


def test_datetime_without_offset_gets_the_assumed_zone() -> None:
    zone = timezone(timedelta(hours=2))
    data = '''<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0" statusSeverity="Info"><CustomerRet>
    <TimeModified>2024-05-06T07:08:09</TimeModified></CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>'''
    (record,) = read_responses(data, assume_tz=zone)[0].records
    assert record.data['TimeModified'] == datetime(2024, 5, 6, 7, 8, 9, tzinfo=zone)
    assert record.data['TimeModified'].tzinfo is zone


def test_unread_records_are_skipped_when_moving_on() -> None:
    seen = [(response.request_id, next(iter(response.records), None)) for response in iter_responses(INVOICE_QUERY)]
    assert [request_id for request_id, _ in seen] == ['41', '42', '43', '44', '45']
    assert seen[0][1].tag == 'InvoiceRet'


def test_unknown_elements_are_kept_as_text() -> None:
    data = '''<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0" statusSeverity="Info"><CustomerRet>
    <FutureField>x</FutureField><FutureAggregate><A>1</A></FutureAggregate></CustomerRet>
    </CustomerQueryRs></QBXMLMsgsRs></QBXML>'''
    (record,) = read_responses(data)[0].records
    assert record.data == {'FutureField': 'x', 'FutureAggregate': {'A': '1'}}


@pytest.mark.parametrize(('data', 'message'), [
    (b'', 'empty response'),
    (b'<QBXML><QBXMLMsgsRs><HostQueryRs statusCode="0"', 'malformed'),
    (b'<QBXML><QBXMLMsgsRs></QBXML>', 'malformed'),
    (b'<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY x "y">]><QBXML/>', 'DOCTYPE'),
    (b'<QBXML><QBXMLMsgsRs><HostQueryRs statusCode="0">&x;</HostQueryRs></QBXMLMsgsRs></QBXML>', 'malformed'),
    (b'<Envelope/>', "root element is 'Envelope'"),
    (b'<QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML>', 'request message'),
    (b'<QBXML><QBXMLMsgsRs><HostQueryRs statusSeverity="Info"/></QBXMLMsgsRs></QBXML>', 'no statusCode'),
    (b'<QBXML><QBXMLMsgsRs><HostQueryRs statusCode="OK"/></QBXMLMsgsRs></QBXML>', 'not an integer'),
    (b'<QBXML><QBXMLMsgsRs><Weird/></QBXMLMsgsRs></QBXML>', "unexpected element 'Weird'"),
    (b'<QBXML><QBXMLMsgsRs><InvoiceQueryRs statusCode="0" statusSeverity="Info"><InvoiceRet>'
     b'<Subtotal>12,00</Subtotal></InvoiceRet></InvoiceQueryRs></QBXMLMsgsRs></QBXML>', 'InvoiceRet/Subtotal'),
    (b'<QBXML><QBXMLMsgsRs><InvoiceQueryRs statusCode="0" statusSeverity="Info"><InvoiceRet>'
     b'<IsPaid>maybe</IsPaid></InvoiceRet></InvoiceQueryRs></QBXMLMsgsRs></QBXML>', 'BOOL'),
])
def test_malformed_responses_raise_a_clear_error(data, message) -> None:
    with pytest.raises(QBXMLResponseError, match=message):
        read_responses(data)


def test_size_limit() -> None:
    with pytest.raises(QBXMLResponseError, match='larger than'):
        read_responses(INVOICE_QUERY, max_bytes=100)


def test_str_with_a_foreign_encoding_declaration_is_read_as_text() -> None:
    data = INVOICE_QUERY.replace('<?xml version="1.0" ?>', '<?xml version="1.0" encoding="ISO-8859-1"?>')
    (invoice,) = read_responses(data)[0].records
    assert invoice.data['BillAddress']['City'] == 'Z\u00fcrich'


def _large_customer_response(count: int) -> bytes:
    record = (
        '<CustomerRet><ListID>{i}-1232328070</ListID><TimeCreated>2009-01-18T20:21:10-05:00</TimeCreated>'
        '<TimeModified>2009-01-18T20:21:10-05:00</TimeModified><EditSequence>1232328070</EditSequence>'
        '<Name>Customer {i:06d}</Name><FullName>Customer {i:06d}</FullName><IsActive>true</IsActive>'
        '<Sublevel>0</Sublevel><CompanyName>Company n\u00b0{i}</CompanyName><BillAddress><Addr1>{i} Main Street'
        '</Addr1><City>Springfield</City><State>IL</State><PostalCode>62701</PostalCode></BillAddress>'
        '<Phone>555-0100</Phone><Email>c{i}@example.com</Email><Balance>{i}.25</Balance>'
        '<TotalBalance>{i}.25</TotalBalance><JobStatus>None</JobStatus></CustomerRet>'
    )
    body = ''.join(record.format(i=i) for i in range(count))
    return (
        '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><CustomerQueryRs requestID="1" statusCode="0" '
        f'statusSeverity="Info" statusMessage="Status OK">{body}</CustomerQueryRs></QBXMLMsgsRs></QBXML>'
    ).encode()


def test_large_response_is_read_with_bounded_memory(monkeypatch) -> None:
    """Python memory stays far below the document, and the parse tree holds only libxml2's read-ahead.

    tracemalloc sees Python objects only, so the tree libxml2 builds is watched directly: it holds
    the records of one input chunk at most (about fifty here), never the 20,000 of the message.
    """
    data = _large_customer_response(20_000)
    read_responses(_large_customer_response(1))
    roots = []

    def recording_iterparse(source, events):
        for event, element in hardened_iterparse(source, events):
            if not roots:
                roots.append(element)
            yield event, element

    monkeypatch.setattr(responses_module, 'hardened_iterparse', recording_iterparse)
    largest_tree = 0
    count = 0
    total = Decimal(0)
    tracemalloc.start()
    try:
        for response in iter_responses(data):
            for record in response.records:
                count += 1
                total += record.data['Balance']
                largest_tree = max(largest_tree, len(roots[0][0][0]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert total == sum(Decimal(f'{i}.25') for i in range(20_000))
    assert peak < len(data) / 20, f'peak {peak} bytes for a {len(data)}-byte response'
    assert largest_tree < count / 100
