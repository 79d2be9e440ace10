"""Request building: schema order, refusal of structural mistakes, value formats, text rules in place."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from lxml import etree

from onecrm_finance_qb.qbxml import Edition, FieldPairs, RequestBuildError, TextChange, build_request, ref
from onecrm_finance_qb.qbxml.values import format_amount, format_interval, format_rate


def _children(xml: str, path: str) -> list[str]:
    return [child.tag for child in etree.fromstring(xml).find(path)]


def test_scrambled_fields_come_out_in_schema_order() -> None:
    request = build_request('CustomerAdd', {
        'Notes': 'n', 'BillAddress': {'PostalCode': '1', 'Addr1': 'a', 'City': 'c'}, 'Phone': '1', 'Name': 'Acme',
    }, 'r1')
    assert _children(request.xml, 'CustomerAdd') == ['Name', 'BillAddress', 'Phone', 'Notes']
    assert _children(request.xml, 'CustomerAdd/BillAddress') == ['Addr1', 'City', 'PostalCode']


def test_mod_puts_list_id_and_edit_sequence_first() -> None:
    request = build_request('VendorMod', {'Phone': '1', 'EditSequence': '2', 'ListID': '3'}, 1)
    assert _children(request.xml, 'VendorMod') == ['ListID', 'EditSequence', 'Phone']


def test_interleaved_lines_and_groups_keep_their_order(assert_valid) -> None:
    fields = FieldPairs([
        ('InvoiceLineAdd', {'ItemRef': ref(full_name='A'), 'Amount': Decimal(1)}),
        ('InvoiceLineGroupAdd', {'ItemGroupRef': ref(full_name='KIT')}),
        ('CustomerRef', ref(full_name='Acme')),
        ('InvoiceLineAdd', {'Amount': Decimal(2), 'ItemRef': ref(full_name='B')}),
    ])
    request = build_request('InvoiceAdd', fields, 1)
    assert_valid(request)
    assert _children(request.xml, 'InvoiceAdd') == ['CustomerRef', 'InvoiceLineAdd', 'InvoiceLineGroupAdd',
                                                    'InvoiceLineAdd']


@pytest.mark.parametrize(('request_type', 'fields', 'message'), [
    ('CustomerAdd', {'Name': 'A', 'Nickname': 'x'}, 'unknown field(s) Nickname'),
    ('CustomerAdd', {'Name': 'A', 'BillAddress': {'Street': 'x'}}, 'CustomerAdd.BillAddress: unknown field(s) Street'),
    ('CustomerAdd', {'Phone': '1'}, 'missing required field Name'),
    ('CustomerMod', {'ListID': '1', 'Phone': '1'}, 'missing required field EditSequence'),
    ('CustomerQuery', {'ListID': ['1'], 'MaxReturned': 5}, 'are alternatives'),
    ('ItemServiceAdd', {'Name': 'S'}, 'needs one of'),
    ('ReceivePaymentAdd', {'CustomerRef': ref('1'), 'IsAutoApply': True, 'AppliedToTxnAdd': [{'TxnID': '1'}]},
     'are alternatives'),
    ('InvoiceAdd', {'CustomerRef': ref('1'), 'InvoiceLineAdd': [{'IsTaxable': True}]}, 'deprecated'),
    ('CustomerAdd', {'Name': 'A', 'CreditLimit': 10.5}, 'expected Decimal or int, got float'),
    ('CustomerAdd', {'Name': 'A', 'IsActive': 'true'}, 'expected a bool'),
    ('CustomerAdd', {'Name': 'A', 'JobStatus': 'Finished'}, "'Finished' is not one of"),
    ('CustomerAdd', {'Name': 'A', 'OpenBalanceDate': datetime(2024, 1, 1, tzinfo=UTC)}, 'expected a date'),
    ('CustomerAdd', {'Name': 7}, 'expected a str'),
    ('CustomerAdd', {'Name': 'A', 'BillAddress': 'Main St'}, 'an aggregate takes a mapping'),
    ('CustomerAdd', {'Name': 'A', 'Phone': ['1', '2']}, 'occurs at most 1'),
    ('CustomerAdd', {'Name': 'A', 'ParentRef': {'ListID': 'x' * 37}}, 'longer than 36'),
    ('CompanyQuery', {'OwnerID': 'not-a-guid'}, 'braced GUID'),
    ('CustomerQuery', {'FromModifiedDate': datetime(2024, 1, 1)}, 'naive datetime'),
    ('StandardTermsAdd', {'Name': 'N', 'StdDueDays': True}, 'expected an int'),
    ('DateDrivenTermsAdd', {'Name': 'N', 'DayOfMonthDue': 32}, 'outside 1..31'),
    ('CustomerAdd', {'Name': 'x' * 42}, 'longer than 41'),
    ('Nonsense', {}, 'unknown request type'),
])
def test_structural_mistakes_raise(request_type, fields, message) -> None:
    with pytest.raises(RequestBuildError, match=re.escape(message)):
        build_request(request_type, fields, 1)


def test_invoice_ref_number_query_is_exact_but_unbounded() -> None:
    assert '<RefNumber>' + 'x' * 12 in build_request('InvoiceQuery', {'RefNumber': ['x' * 12]}, 1).xml


@pytest.mark.parametrize(('request_id', 'ok'), [('x' * 50, True), ('x' * 51, False), ('', False), (17, True)])
def test_request_id_length(request_id, ok) -> None:
    if ok:
        assert f'requestID="{request_id}"' in build_request('HostQuery', {}, request_id).xml
    else:
        with pytest.raises(RequestBuildError, match='requestID'):
            build_request('HostQuery', {}, request_id)


def test_iterator_attributes(assert_valid) -> None:
    start = build_request('CustomerQuery', {'MaxReturned': 100}, 1, iterator='Start')
    more = build_request('CustomerQuery', {'MaxReturned': 100}, 2, iterator='Continue',
                         iterator_id='{6fcbb18b-68cf-4adb-bf40-164ac0bb4ec0}')
    root = assert_valid(start, more)
    assert root.find('QBXMLMsgsRq/CustomerQueryRq[@requestID="2"]').get('iteratorID').startswith('{6fcb')
    with pytest.raises(RequestBuildError, match='does not take the iterator'):
        build_request('AccountQuery', {}, 1, iterator='Start')
    with pytest.raises(RequestBuildError, match='needs the iteratorID'):
        build_request('CustomerQuery', {}, 1, iterator='Continue')
    with pytest.raises(RequestBuildError, match='iterator must be one of'):
        build_request('CustomerQuery', {}, 1, iterator='Begin')


@pytest.mark.parametrize(('value', 'expected'), [
    (Decimal('1'), '1.00'), (Decimal('1.005'), '1.01'), (Decimal('-1.005'), '-1.01'), (Decimal('-0.001'), '0.00'),
    (12, '12.00'), (Decimal('1E+3'), '1000.00'), (Decimal('9999999999999.99'), '9999999999999.99'),
])
def test_amounts_have_two_decimals(value, expected) -> None:
    assert format_amount(value) == expected


@pytest.mark.parametrize(('value', 'expected'), [
    (Decimal('19.990'), '19.99'), (Decimal('0.123456'), '0.12346'), (Decimal('3'), '3'), (Decimal('7.50000'), '7.5'),
    (Decimal('-2.5'), '-2.5'),
])
def test_rates_have_up_to_five_decimals(value, expected) -> None:
    assert format_rate(value) == expected


def test_amount_overflow_raises() -> None:
    with pytest.raises(RequestBuildError, match='13 integer digits'):
        build_request('CustomerAdd', {'Name': 'A', 'CreditLimit': Decimal('1E13')}, 1)


def test_interval_format() -> None:
    assert format_interval(timedelta(hours=1, minutes=2, seconds=3)) == 'PT1H2M3S'


def test_dates_and_datetimes() -> None:
    since = datetime(2024, 3, 1, 8, 30, 15, 999, tzinfo=timezone(timedelta(hours=-5)))
    xml = build_request('InvoiceQuery', {'ModifiedDateRangeFilter': {'FromModifiedDate': since,
                                                                     'ToModifiedDate': date(2024, 3, 2)}}, 1).xml
    assert '<FromModifiedDate>2024-03-01T08:30:15-05:00</FromModifiedDate>' in xml
    assert '<ToModifiedDate>2024-03-02</ToModifiedDate>' in xml


def test_empty_string_clears_and_none_omits() -> None:
    xml = build_request('CustomerMod', {'ListID': '1', 'EditSequence': '2', 'Phone': '', 'Fax': None}, 1).xml
    assert '<Phone></Phone>' in xml
    assert 'Fax' not in xml


def test_text_is_escaped_and_non_ascii_becomes_character_references(assert_valid) -> None:
    request = build_request('CustomerAdd', {'Name': 'Smith & Sons <Ltd>', 'Notes': 'Caf\u00e9 \u00a3 \r\n"q"'}, 1)
    assert request.xml.isascii()
    assert '<Name>Smith &amp; Sons &lt;Ltd&gt;</Name>' in request.xml
    root = assert_valid(request)
    assert root.findtext('QBXMLMsgsRq/CustomerAddRq/CustomerAdd/Notes') == 'Caf\u00e9 \u00a3 \r\n"q"'
    assert request.adjustments == ()


def test_text_rules_applied_and_reported_per_field() -> None:
    request = build_request('CustomerAdd', {
        'Name': 'M\u00fcller \u5317\u4eac', 'BillAddress': {'City': 'A' * 40, 'Addr1': 'bell\x07 street'},
    }, 1)
    changes = {adjustment.path: adjustment.text for adjustment in request.adjustments}
    assert changes['CustomerAdd.Name'].value == 'M\u00fcller Bei Jing'
    assert changes['CustomerAdd.Name'].changes == {TextChange.TRANSLITERATED}
    assert changes['CustomerAdd.BillAddress.City'].value == 'A' * 31
    assert changes['CustomerAdd.BillAddress.City'].changes == {TextChange.TRUNCATED}
    assert changes['CustomerAdd.BillAddress.Addr1'].value == 'bell street'
    assert '<City>' + 'A' * 31 + '</City>' in request.xml


def test_ascii_edition_transliterates_latin1_too() -> None:
    request = build_request('CustomerAdd', {'Name': 'Caf\u00e9'}, 1, edition=Edition(charset='ascii'))
    assert '<Name>Cafe</Name>' in request.xml


def test_building_a_simple_request_is_fast_enough_to_batch_thousands() -> None:
    fields = {'ListID': '80000001-1232328070', 'EditSequence': '1232328070', 'Phone': '555', 'Name': 'Acme'}
    requests = [build_request('CustomerMod', fields, index) for index in range(2000)]
    assert len({request.request_id for request in requests}) == 2000


@pytest.mark.parametrize(('country', 'region'), [('US', 'State'), ('CA', 'Province'), ('AU', 'Province'),
                                                 ('UK', 'County')])
def test_every_address_names_its_region_the_editions_way(country, region, qbxml_schema) -> None:
    address = {'PostalCode': 'P1', 'State': 'R' * 30, 'Addr1': 'a', 'City': 'c', 'Country': 'X'}
    edition = Edition(country=country)
    requests = [
        build_request('CustomerAdd', {'Name': 'Acme', 'BillAddress': address, 'ShipAddress': address,
                                      'ShipToAddress': [{'Name': 'Depot', **address}]}, 1, edition=edition),
        build_request('VendorAdd', {'Name': 'Paper', 'VendorAddress': address}, 2, edition=edition),
        build_request('InvoiceAdd', {'CustomerRef': ref(full_name='Acme'), 'BillAddress': address,
                                     'InvoiceLineAdd': [{'Desc': 'x'}]}, 3, edition=edition),
    ]
    for request in requests:
        root = etree.fromstring(request.xml)
        addresses = [element for element in root.iter() if element.find('City') is not None]
        assert len(addresses) == {'CustomerAdd': 3}.get(request.request_type, 1)
        for element in addresses:
            assert [child.tag for child in element if child.tag != 'Name'] == [
                'Addr1', 'City', region, 'PostalCode', 'Country']
            assert element.findtext(region) == 'R' * 21
        assert (region == 'State') == ('<State>' in request.xml)
        assert f'{request.request_type}.{addresses[0].tag}.{region}' in {a.path for a in request.adjustments}
        if region != 'State':
            for element in root.iter(region):
                element.tag = 'State'
        message = etree.fromstring(
            f'<QBXML><QBXMLMsgsRq onError="continueOnError">{etree.tostring(root).decode()}</QBXMLMsgsRq></QBXML>')
        assert qbxml_schema.validate(message), qbxml_schema.error_log.last_error


def test_callers_name_the_region_state_whatever_the_edition() -> None:
    with pytest.raises(RequestBuildError, match='unknown field'):
        build_request('CustomerAdd', {'Name': 'Acme', 'BillAddress': {'Province': 'Ontario'}}, 1,
                      edition=Edition(country='CA'))
