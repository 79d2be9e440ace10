"""Checklist 12: per-request value errors (3010/3020/3030/3040/3070, 1060) answer a status code and the rest
of the message goes on."""

from __future__ import annotations

import pytest

from qbsim import Company


@pytest.mark.parametrize(('request_xml', 'code', 'message'), [
    pytest.param('<CustomerAddRq><CustomerAdd><Name>' + 'N' * 42 + '</Name></CustomerAdd></CustomerAddRq>', '3070',
                 'The string "' + 'N' * 42 + '" in the field "Name" is too long.', id='customer-name-41'),
    pytest.param('<AccountAddRq><AccountAdd><Name>Petty</Name><AccountType>Bank</AccountType>'
                 '<AccountNumber>a5ad6d73</AccountNumber></AccountAdd></AccountAddRq>', '3070',
                 'The string "a5ad6d73" in the field "AccountNumber" is too long.', id='account-number-7'),
    pytest.param('<ItemServiceAddRq><ItemServiceAdd><Name>' + 'I' * 32 + '</Name><SalesOrPurchase><AccountRef>'
                 '<FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>',
                 '3070', None, id='item-name-31'),
    pytest.param('<ShipMethodAddRq><ShipMethodAdd><Name>Overnight Express</Name></ShipMethodAdd></ShipMethodAddRq>',
                 '3070', None, id='ship-method-15'),
    pytest.param('<SalesTaxCodeAddRq><SalesTaxCodeAdd><Name>Taxx</Name><IsTaxable>true</IsTaxable>'
                 '</SalesTaxCodeAdd></SalesTaxCodeAddRq>', '3070', None, id='sales-tax-code-3'),
    pytest.param('<CustomerAddRq><CustomerAdd><Name>B</Name><IsActive>yes</IsActive></CustomerAdd></CustomerAddRq>',
                 '3010', 'There was an error when converting the boolean value "yes" in the field "IsActive".',
                 id='boolean'),
    pytest.param('<CustomerAddRq><CustomerAdd><Name>D</Name><OpenBalanceDate>2024-02-30</OpenBalanceDate>'
                 '</CustomerAdd></CustomerAddRq>', '3020', None, id='date'),
    pytest.param('<CustomerQueryRq><FromModifiedDate>yesterday</FromModifiedDate></CustomerQueryRq>', '3020', None,
                 id='datetime'),
    pytest.param('<CustomerAddRq><CustomerAdd><Name>A</Name><OpenBalance>10.005</OpenBalance></CustomerAdd>'
                 '</CustomerAddRq>', '3040', None, id='amount-two-decimals'),
    pytest.param('<DateDrivenTermsAddRq><DateDrivenTermsAdd><Name>Bad</Name><DayOfMonthDue>32</DayOfMonthDue>'
                 '</DateDrivenTermsAdd></DateDrivenTermsAddRq>', '3040', None, id='integer-range'),
    pytest.param('<CustomerQueryRq><FromModifiedDate>2024-03-02</FromModifiedDate><ToModifiedDate>2024-03-01'
                 '</ToModifiedDate></CustomerQueryRq>', '3030', None, id='date-range'),
    pytest.param('<CustomerQueryRq><NameRangeFilter><FromName>z</FromName><ToName>a</ToName></NameRangeFilter>'
                 '</CustomerQueryRq>', '3031', None, id='string-range'),
    pytest.param('<CustomerQueryRq><ListID>' + '1' * 37 + '</ListID></CustomerQueryRq>', '3000', None,
                 id='object-id-36'),
])
def test_bad_value_is_a_per_request_error(send, company, request_xml, code, message):
    rs = send(request_xml, '<CustomerAddRq><CustomerAdd><Name>Still Added</Name></CustomerAdd></CustomerAddRq>')
    assert (rs[0].get('statusCode'), rs[0].get('statusSeverity')) == (code, 'Error')
    if message:
        assert rs[0].get('statusMessage') == message
    assert rs[1].get('statusCode') == '0'


def test_boolean_one_and_zero_are_accepted_and_normalised(send):
    ret = send('<CustomerAddRq><CustomerAdd><Name>B</Name><IsActive>0</IsActive></CustomerAdd></CustomerAddRq>')[0][0]
    assert ret.findtext('IsActive') == 'false'


def test_amount_written_with_two_decimals(send):
    ret = send('<CustomerAddRq><CustomerAdd><Name>Owes</Name><OpenBalance>12</OpenBalance></CustomerAdd>'
               '</CustomerAddRq>')[0][0]
    assert (ret.findtext('Balance'), ret.findtext('TotalBalance')) == ('12.00', '12.00')


def test_max_lengths_accept_exact_limits(send):
    rs = send('<CustomerAddRq><CustomerAdd><Name>' + 'N' * 41 + '</Name></CustomerAdd></CustomerAddRq>',
              '<AccountAddRq><AccountAdd><Name>' + 'A' * 31 + '</Name><AccountType>Bank</AccountType>'
              '<AccountNumber>1234567</AccountNumber></AccountAdd></AccountAddRq>')
    assert [node.get('statusCode') for node in rs] == ['0', '0']


def test_a_company_limit_shorter_than_the_schema_answers_3070_and_survives_reopening(company, send):
    company.limit_field('Phone', 10)
    reopened = Company.open(company.file_path)
    try:
        rs = send(
            '<CustomerAddRq><CustomerAdd><Name>Long Phone</Name><Phone>555-0100 ext 42</Phone></CustomerAdd>'
            '</CustomerAddRq>',
            '<CustomerAddRq><CustomerAdd><Name>Short Phone</Name><Phone>555-0100</Phone></CustomerAdd>'
            '</CustomerAddRq>',
            target=reopened,
        )
    finally:
        reopened.close()
    assert (rs[0].get('statusCode'), rs[0].get('statusMessage')) == (
        '3070',
        'The string "555-0100 ext 42" in the field "Phone" is too long.',
    )
    assert rs[1].get('statusCode') == '0'


def test_a_company_limit_must_not_be_negative(company):
    with pytest.raises(ValueError, match='negative'):
        company.limit_field('Phone', -1)
