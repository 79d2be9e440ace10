"""Checklist 10: the HCP queries, feature flags in PreferencesRet, 3250 for switched-off features, and the
FileID data extension under an application's OwnerID."""

from __future__ import annotations

import pytest

OWNER = '{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}'
HCP = ('<HostQueryRq requestID="0"/>', f'<CompanyQueryRq requestID="1"><OwnerID>{OWNER}</OwnerID></CompanyQueryRq>',
       '<PreferencesQueryRq requestID="2"/>')


def test_hcp_queries_answer_three_ok_responses(send):
    rs = send(*HCP)
    assert [(node.tag, node.get('statusCode')) for node in rs] == [
        ('HostQueryRs', '0'), ('CompanyQueryRs', '0'), ('PreferencesQueryRs', '0')]
    host = rs[0][0]
    assert host.findtext('Country') == 'US'
    assert host.findall('SupportedQBXMLVersion')[-1].text == '13.0'
    assert rs[1][0].findtext('CompanyName') == 'Simulated Company'


def test_file_id_data_ext_comes_back_under_its_owner(send, company):
    company.set_company_data_ext(OWNER, 'FileID', '{11111111-2222-3333-4444-555555555555}')
    company_ret = send(*HCP)[1][0]
    assert company_ret.findtext('DataExtRet/DataExtName') == 'FileID'
    assert company_ret.findtext('DataExtRet/DataExtValue') == '{11111111-2222-3333-4444-555555555555}'
    other = send('<CompanyQueryRq><OwnerID>{00000000-0000-0000-0000-000000000009}</OwnerID></CompanyQueryRq>')[0][0]
    assert other.find('DataExtRet') is None


def test_data_ext_on_company_through_qbxml(send):
    rs = send(f'<DataExtDefAddRq><DataExtDefAdd><OwnerID>{OWNER}</OwnerID><DataExtName>FileID</DataExtName>'
              '<DataExtType>STR255TYPE</DataExtType><AssignToObject>Company</AssignToObject></DataExtDefAdd>'
              '</DataExtDefAddRq>',
              f'<DataExtAddRq><DataExtAdd><OwnerID>{OWNER}</OwnerID><DataExtName>FileID</DataExtName>'
              '<OtherDataExtType>Company</OtherDataExtType><DataExtValue>v1</DataExtValue></DataExtAdd>'
              '</DataExtAddRq>',
              f'<DataExtAddRq><DataExtAdd><OwnerID>{OWNER}</OwnerID><DataExtName>FileID</DataExtName>'
              '<OtherDataExtType>Company</OtherDataExtType><DataExtValue>v2</DataExtValue></DataExtAdd>'
              '</DataExtAddRq>',
              f'<DataExtModRq><DataExtMod><OwnerID>{OWNER}</OwnerID><DataExtName>FileID</DataExtName>'
              '<OtherDataExtType>Company</OtherDataExtType><DataExtValue>v3</DataExtValue></DataExtMod>'
              '</DataExtModRq>',
              f'<CompanyQueryRq><OwnerID>{OWNER}</OwnerID></CompanyQueryRq>')
    assert [node.get('statusCode') for node in rs] == ['0', '0', '3180', '0', '0']
    assert rs[4][0].findtext('DataExtRet/DataExtValue') == 'v3'


def test_public_and_private_data_ext_definitions(send):
    rs = send('<DataExtDefAddRq><DataExtDefAdd><OwnerID>0</OwnerID><DataExtName>Region</DataExtName>'
              '<DataExtType>STR255TYPE</DataExtType><AssignToObject>Customer</AssignToObject></DataExtDefAdd>'
              '</DataExtDefAddRq>',
              f'<DataExtDefAddRq><DataExtDefAdd><OwnerID>{OWNER}</OwnerID><DataExtName>Region</DataExtName>'
              '<DataExtType>STR255TYPE</DataExtType><AssignToObject>Customer</AssignToObject></DataExtDefAdd>'
              '</DataExtDefAddRq>',
              '<DataExtDefAddRq><DataExtDefAdd><OwnerID>0</OwnerID><DataExtName>REGION</DataExtName>'
              '<DataExtType>STR255TYPE</DataExtType></DataExtDefAdd></DataExtDefAddRq>',
              '<DataExtDefQueryRq><OwnerID>0</OwnerID></DataExtDefQueryRq>')
    assert [node.get('statusCode') for node in rs] == ['0', '0', '3100', '0']
    assert [ret.findtext('OwnerID') for ret in rs[3]] == ['0']


@pytest.mark.parametrize(('options', 'path', 'expected'), [
    ({}, 'JobsAndEstimatesPreferences/IsUsingEstimates', 'true'),
    ({'estimates': False}, 'JobsAndEstimatesPreferences/IsUsingEstimates', 'false'),
    ({}, 'PurchasesAndVendorsPreferences/IsUsingInventory', 'true'),
    ({'inventory': False}, 'PurchasesAndVendorsPreferences/IsUsingInventory', 'false'),
    ({}, 'MultiCurrencyPreferences/IsMultiCurrencyOn', 'false'),
    ({'multicurrency': True}, 'MultiCurrencyPreferences/IsMultiCurrencyOn', 'true'),
    ({'multicurrency': True}, 'MultiCurrencyPreferences/HomeCurrencyRef/FullName', 'US Dollar'),
    ({}, 'SalesTaxPreferences/DefaultTaxableSalesTaxCodeRef/FullName', 'Tax'),
    ({'sales_tax': False}, 'SalesTaxPreferences', None),
])
def test_preferences_report_the_feature_switches(make_company, send, options, path, expected):
    company = make_company('features.qbsim', **options)
    preferences = send('<PreferencesQueryRq/>', target=company)[0][0]
    found = preferences.find(path)
    assert (found.text if found is not None and len(found) == 0 else found) == expected


FEATURE_OFF = 'This feature is not enabled or not available in this version of QuickBooks.'


@pytest.mark.parametrize(('options', 'request_xml'), [
    ({'sales_tax': False}, '<ItemSalesTaxAddRq><ItemSalesTaxAdd><Name>State</Name><TaxRate>5.0</TaxRate>'
                           '</ItemSalesTaxAdd></ItemSalesTaxAddRq>'),
    ({'sales_tax': False}, '<SalesTaxCodeQueryRq/>'),
    ({'inventory': False}, '<ItemInventoryAddRq><ItemInventoryAdd><Name>Box</Name></ItemInventoryAdd>'
                           '</ItemInventoryAddRq>'),
    ({}, '<CurrencyQueryRq/>'),
    ({}, '<CustomerAddRq><CustomerAdd><Name>Euro Client</Name><CurrencyRef><FullName>Euro</FullName></CurrencyRef>'
         '</CustomerAdd></CustomerAddRq>'),
])
def test_switched_off_feature_is_3250(make_company, send, options, request_xml):
    company = make_company('off.qbsim', **options)
    rs = send(request_xml, target=company)[0]
    assert (rs.get('statusCode'), rs.get('statusSeverity'), rs.get('statusMessage')) == ('3250', 'Error', FEATURE_OFF)


def test_multicurrency_lists_currencies_and_defaults_names_to_home(make_company, send):
    company = make_company('mc.qbsim', multicurrency=True)
    currencies = send('<CurrencyQueryRq/>', target=company)[0]
    assert {ret.findtext('CurrencyCode') for ret in currencies} >= {'USD', 'EUR', 'CAD'}
    rs = send('<CustomerAddRq><CustomerAdd><Name>Home</Name></CustomerAdd></CustomerAddRq>',
              '<CustomerAddRq><CustomerAdd><Name>Abroad</Name><CurrencyRef><FullName>Euro</FullName></CurrencyRef>'
              '</CustomerAdd></CustomerAddRq>', target=company)
    assert [ret[0].findtext('CurrencyRef/FullName') for ret in rs] == ['US Dollar', 'Euro']
