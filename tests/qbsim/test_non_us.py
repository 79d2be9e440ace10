"""Checklist 15 (lists part): country-prefixed versions, TaxCode vocabulary, no US sales tax lists."""

from __future__ import annotations

import re

import pytest

from qbsim import QBXMLParseError


@pytest.fixture
def canada(make_company):
    return make_company('ca.qbsim', edition='CA')


def test_non_us_versions_carry_the_country_prefix(canada, send):
    assert canada.supported_qbxml_versions[-1] == 'CA13.0'
    host = send('<HostQueryRq/>', target=canada, version='CA13.0')[0][0]
    assert host.findtext('Country') == 'CA'
    assert host.findall('SupportedQBXMLVersion')[-1].text == 'CA13.0'


def test_non_us_file_refuses_plain_version(canada, message):
    with pytest.raises(QBXMLParseError, match=re.escape('"13.0"')):
        canada.process(message('<HostQueryRq/>'))


def test_tax_codes_with_rates(canada, send):
    rs = send('<TaxCodeQueryRq/>', target=canada, version='CA13.0')[0]
    codes = {ret.findtext('Name'): ret for ret in rs}
    assert set(codes) == {'E', 'G', 'H', 'S', 'Z'}
    assert (codes['S'].findtext('Tax1Rate'), codes['S'].findtext('Tax2Rate')) == ('5.0', '7.0')


def test_tax_code_add_and_reference(canada, send):
    rs = send('<TaxCodeAddRq><TaxCodeAdd><Name>Q</Name><Desc>GST and QST</Desc><Tax1Rate>5.0</Tax1Rate>'
              '<Tax2Rate>9.975</Tax2Rate><IsPiggybackRate>false</IsPiggybackRate></TaxCodeAdd></TaxCodeAddRq>',
              '<CustomerAddRq><CustomerAdd><Name>Montreal</Name><SalesTaxCodeRef><FullName>q</FullName>'
              '</SalesTaxCodeRef></CustomerAdd></CustomerAddRq>', target=canada, version='CA13.0')
    assert [node.get('statusCode') for node in rs] == ['0', '0']
    assert rs[1][0].findtext('SalesTaxCodeRef/FullName') == 'Q'


@pytest.mark.parametrize('request_xml', ['<SalesTaxCodeQueryRq/>', '<ItemSalesTaxQueryRq/>'])
def test_us_sales_tax_lists_are_not_available(canada, send, request_xml):
    assert send(request_xml, target=canada, version='CA13.0')[0].get('statusCode') == '3250'


@pytest.mark.parametrize('edition', ['UK', 'AU'])
def test_other_editions_have_their_codes(make_company, send, edition):
    company = make_company(f'{edition}.qbsim', edition=edition)
    rs = send('<TaxCodeQueryRq/>', target=company, version=f'{edition}13.0')[0]
    assert rs.get('statusCode') == '0'
    assert len(rs) >= 3


@pytest.mark.parametrize(('edition', 'region'), [('CA', 'Province'), ('AU', 'Province'), ('UK', 'County')])
def test_addresses_use_the_edition_region_element(make_company, send, edition, region):
    company = make_company(f'{edition}-address.qbsim', edition=edition)
    rs = send(f'<CustomerAddRq><CustomerAdd><Name>Local</Name><BillAddress><City>Town</City><{region}>Region</{region}>'
              '<PostalCode>X1</PostalCode></BillAddress></CustomerAdd></CustomerAddRq>', target=company,
              version=f'{edition}13.0')[0]
    assert rs[0].findtext(f'BillAddress/{region}') == 'Region'
    with pytest.raises(QBXMLParseError, match='State'):
        send('<VendorAddRq><VendorAdd><Name>V</Name><VendorAddress><State>ON</State></VendorAddress></VendorAdd>'
             '</VendorAddRq>', target=company, version=f'{edition}13.0')
