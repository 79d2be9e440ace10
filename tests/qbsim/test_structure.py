"""Checklist 1: a structurally wrong message fails whole with 0x80040400 and nothing in it runs."""

from __future__ import annotations

import pytest

from qbsim import PARSE_HRESULT, QBXMLParseError

GOOD_ADD = '<CustomerAddRq><CustomerAdd><Name>Applied Too Early</Name></CustomerAdd></CustomerAddRq>'


def _assert_whole_failure(company, text: str, fragment: str) -> None:
    before = len(company.query_objects())
    with pytest.raises(QBXMLParseError) as caught:
        company.process(text)
    assert caught.value.hresult == PARSE_HRESULT == 0x80040400
    assert caught.value.message.startswith('QuickBooks found an error when parsing the provided XML text stream.')
    assert fragment in caught.value.message
    assert len(company.query_objects()) == before, 'nothing in a failed message may be applied'


@pytest.mark.parametrize(('request_xml', 'fragment'), [
    pytest.param('<CustomerAddRq><CustomerAdd><FirstName>Al</FirstName><Name>Al</Name></CustomerAdd></CustomerAddRq>',
                 '"FirstName"', id='element-order'),
    pytest.param('<CustomerAddRq><CustomerAdd><Name>Al</Name><Nickname>x</Nickname></CustomerAdd></CustomerAddRq>',
                 '"Nickname"', id='unknown-element'),
    pytest.param('<CustomerAddRq><CustomerAdd><CompanyName>Al</CompanyName></CustomerAdd></CustomerAddRq>',
                 '"Name"', id='missing-required-name'),
    pytest.param('<CustomerModRq><CustomerMod><ListID>80000001-1</ListID><Name>x</Name></CustomerMod></CustomerModRq>',
                 '"EditSequence"', id='mod-without-edit-sequence'),
    pytest.param('<ItemServiceAddRq><ItemServiceAdd><Name>Consulting</Name></ItemServiceAdd></ItemServiceAddRq>',
                 '"SalesOrPurchase"', id='item-without-sales-or-purchase'),
    pytest.param('<ItemServiceAddRq><ItemServiceAdd><Name>C</Name><SalesOrPurchase><AccountRef><FullName>Sales'
                 '</FullName></AccountRef></SalesOrPurchase><SalesAndPurchase/></ItemServiceAdd></ItemServiceAddRq>',
                 '"SalesAndPurchase"', id='item-with-both-variants'),
    pytest.param('<CustomerQueryRq><ListID>80000001-1</ListID><MaxReturned>5</MaxReturned></CustomerQueryRq>',
                 '"MaxReturned"', id='id-list-mixed-with-filters'),
    pytest.param('<AccountQueryRq iterator="Start"><MaxReturned>5</MaxReturned></AccountQueryRq>',
                 '"iterator"', id='iterator-on-non-iterable-query'),
    pytest.param('<TermsQueryRq iterator="Start"/>', '"iterator"', id='iterator-on-terms-query'),
    pytest.param('<CustomerQueryRq><ActiveStatus>Sometimes</ActiveStatus></CustomerQueryRq>', '"Sometimes"',
                 id='unknown-enum-value'),
    pytest.param('<CustomerQueryRq color="red"/>', '"color"', id='unknown-attribute'),
    pytest.param('<FrobnicateRq/>', '"FrobnicateRq"', id='unknown-request'),
    pytest.param('<TaxCodeQueryRq/>', '"TaxCodeQueryRq"', id='non-us-request-in-us-file'),
    pytest.param('<CustomerAddRq><CustomerAdd><Name>A<b/></Name></CustomerAdd></CustomerAddRq>', '"Name"',
                 id='element-inside-leaf'),
])
def test_structure_error_fails_whole_message(company, message, request_xml, fragment):
    _assert_whole_failure(company, message(GOOD_ADD, request_xml), fragment)


@pytest.mark.parametrize(('text', 'fragment'), [
    pytest.param('<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">' + GOOD_ADD
                 + '</QBXMLMsgsRq></QBXML>', 'processing instruction', id='missing-version-pi'),
    pytest.param('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq>' + GOOD_ADD
                 + '</QBXMLMsgsRq></QBXML>', '"onError"', id='missing-onError'),
    pytest.param('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="rollbackOnError">'
                 + GOOD_ADD + '</QBXMLMsgsRq></QBXML>', 'rollbackOnError', id='rollbackOnError-refused'),
    pytest.param('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="goOn">' + GOOD_ADD
                 + '</QBXMLMsgsRq></QBXML>', 'goOn', id='bad-onError'),
    pytest.param('<?xml version="1.0"?><?qbxml version="13.0"?><QBXMLX><QBXMLMsgsRq onError="continueOnError">'
                 + GOOD_ADD + '</QBXMLMsgsRq></QBXMLX>', 'QBXMLX', id='bad-root'),
    pytest.param('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">'
                 '<CustomerAddRq><CustomerAdd><Name>A & B</Name></CustomerAdd></CustomerAddRq>'
                 '</QBXMLMsgsRq></QBXML>', 'well-formed', id='unescaped-ampersand'),
    pytest.param('<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY e "x">]><?qbxml version="13.0"?><QBXML>'
                 '<QBXMLMsgsRq onError="continueOnError"><CustomerAddRq><CustomerAdd><Name>&e;</Name></CustomerAdd>'
                 '</CustomerAddRq></QBXMLMsgsRq></QBXML>', '', id='dtd-and-entity'),
    pytest.param('<?xml version="1.0"?><?qbxml version="CA13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">'
                 + GOOD_ADD + '</QBXMLMsgsRq></QBXML>', 'CA13.0', id='us-file-refuses-country-prefix'),
    pytest.param('<?xml version="1.0"?><?qbxml version="14.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">'
                 + GOOD_ADD + '</QBXMLMsgsRq></QBXML>', '14.0', id='unknown-version'),
])
def test_bad_envelope_fails_whole_message(company, text, fragment):
    _assert_whole_failure(company, text, fragment)


@pytest.mark.parametrize(('version', 'request_xml', 'fragment'), [
    pytest.param('3.0', '<CustomerQueryRq><IncludeRetElement>ListID</IncludeRetElement></CustomerQueryRq>',
                 '"IncludeRetElement"', id='IncludeRetElement-before-4.0'),
    pytest.param('4.0', '<CustomerQueryRq iterator="Start"><MaxReturned>5</MaxReturned></CustomerQueryRq>',
                 '"iterator"', id='iterator-before-5.0'),
    pytest.param('1.1', '<ListDeletedQueryRq><ListDelType>Customer</ListDelType></ListDeletedQueryRq>',
                 '"ListDeletedQueryRq"', id='ListDeletedQuery-before-2.0'),
    pytest.param('7.0', '<CustomerAddRq><CustomerAdd><Name>E</Name><CurrencyRef><FullName>Euro</FullName>'
                        '</CurrencyRef></CustomerAdd></CustomerAddRq>', '"CurrencyRef"', id='CurrencyRef-before-8.0'),
    pytest.param('5.0', '<AccountModRq><AccountMod><ListID>1</ListID><EditSequence>1</EditSequence></AccountMod>'
                        '</AccountModRq>', '"AccountModRq"', id='AccountMod-before-6.0'),
])
def test_element_newer_than_message_version_fails_whole(company, message, version, request_xml, fragment):
    _assert_whole_failure(company, message(GOOD_ADD, request_xml, version=version), fragment)


def test_company_older_than_message_version_refuses_it(make_company, message):
    old = make_company('old.qbsim', qbxml_version='7.0')
    assert old.supported_qbxml_versions[-1] == '7.0'
    _assert_whole_failure(old, message(GOOD_ADD, version='8.0'), '8.0')


def test_valid_message_in_older_version_runs(company, message):
    response = company.process(message(GOOD_ADD, version='2.0'))
    assert 'statusCode="0"' in response


def test_strict_encoding_refuses_raw_non_ascii_but_accepts_references(make_company, message):
    strict = make_company('strict.qbsim', strict_encoding=True)
    raw = message('<CustomerAddRq><CustomerAdd><Name>Décor</Name></CustomerAdd></CustomerAddRq>')
    _assert_whole_failure(strict, raw, 'U+00E9')
    referenced = strict.process(raw.replace('é', '&#233;'))
    assert 'statusCode="0"' in referenced
    assert strict.find('CustomerRet', 'décor')['Name'] == 'Décor'


def test_raw_non_ascii_accepted_by_default(company, message):
    assert 'statusCode="0"' in company.process(message('<CustomerAddRq><CustomerAdd><Name>Décor</Name></CustomerAdd>'
                                                       '</CustomerAddRq>'))


def test_list_query_takes_bare_dates_not_the_transaction_filter(company, message):
    _assert_whole_failure(company, message('<CustomerQueryRq><ModifiedDateRangeFilter><FromModifiedDate>2024-01-01'
                                           '</FromModifiedDate></ModifiedDateRangeFilter></CustomerQueryRq>'),
                          '"ModifiedDateRangeFilter"')
