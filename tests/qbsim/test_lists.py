"""List rules beyond names: sparse Mod, ListDel and ListDeletedQuery, business-required fields, computed fields."""

from __future__ import annotations

import pytest

from qbsim import QBXMLParseError


def _ret(send, request_xml: str):
    rs = send(request_xml)[0]
    assert rs.get('statusCode') == '0', rs.get('statusMessage')
    return rs[0]


CUSTOMER = ('<CustomerAddRq><CustomerAdd><Name>Acme</Name><CompanyName>Acme Inc</CompanyName><BillAddress>'
            '<Addr1>1 Main St</Addr1><City>Boston</City></BillAddress><Phone>555-0100</Phone></CustomerAdd>'
            '</CustomerAddRq>')


def _customer_mod(ret, body: str) -> str:
    return (f'<CustomerModRq><CustomerMod><ListID>{ret.findtext("ListID")}</ListID><EditSequence>'
            f'{ret.findtext("EditSequence")}</EditSequence>{body}</CustomerMod></CustomerModRq>')


def test_sparse_mod_changes_only_given_fields(send):
    added = _ret(send, CUSTOMER)
    modified = _ret(send, _customer_mod(added, '<BillAddress><City>Salem</City></BillAddress>'))
    assert modified.findtext('BillAddress/City') == 'Salem'
    assert modified.findtext('BillAddress/Addr1') == '1 Main St'
    assert modified.findtext('CompanyName') == 'Acme Inc'
    assert modified.findtext('Phone') == '555-0100'


def test_mod_with_empty_value_clears_the_field(send):
    added = _ret(send, CUSTOMER)
    modified = _ret(send, _customer_mod(added, '<Phone></Phone>'))
    assert modified.find('Phone') is None
    assert modified.findtext('CompanyName') == 'Acme Inc'


def test_list_del_then_deleted_query(send, company):
    added = _ret(send, CUSTOMER)
    company.clock.advance(60)
    deleted = send(f'<ListDelRq requestID="d"><ListDelType>Customer</ListDelType><ListID>{added.findtext("ListID")}'
                   '</ListID></ListDelRq>')[0]
    assert (deleted.get('statusCode'), deleted.findtext('FullName')) == ('0', 'Acme')
    assert deleted.findtext('TimeDeleted') == '2024-03-01T09:01:00-05:00'
    rs = send('<ListDeletedQueryRq><ListDelType>Customer</ListDelType><DeletedDateRangeFilter><FromDeletedDate>'
              '2024-03-01T09:01:00-05:00</FromDeletedDate></DeletedDateRangeFilter></ListDeletedQueryRq>')[0]
    assert [(ret.findtext('ListDelType'), ret.findtext('ListID')) for ret in rs] == [
        ('Customer', added.findtext('ListID'))]
    assert send('<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>')[0].get('statusCode') == '1'
    later = send('<ListDeletedQueryRq><ListDelType>Customer</ListDelType><DeletedDateRangeFilter><FromDeletedDate>'
                 '2024-03-01T09:01:01-05:00</FromDeletedDate></DeletedDateRangeFilter></ListDeletedQueryRq>')[0]
    assert later.get('statusCode') == '1'


def test_list_del_unknown_is_3120(send):
    rs = send('<ListDelRq><ListDelType>Vendor</ListDelType><ListID>80000999-1</ListID></ListDelRq>')[0]
    assert rs.get('statusCode') == '3120'


def test_list_del_of_referenced_object_is_refused(send, company):
    send('<CustomerAddRq><CustomerAdd><Name>Acme</Name><TermsRef><FullName>Net 30</FullName></TermsRef>'
         '</CustomerAdd></CustomerAddRq>')
    terms = company.find('StandardTermsRet', 'Net 30')['ListID']
    rs = send(f'<ListDelRq><ListDelType>StandardTerms</ListDelType><ListID>{terms}</ListID></ListDelRq>')[0]
    assert (rs.get('statusCode'), rs.get('statusSeverity')) == ('3170', 'Error')
    assert 'in use' in rs.get('statusMessage')
    assert company.get('StandardTermsRet', terms) is not None


def test_list_del_of_customer_with_jobs_is_refused(send):
    parent = _ret(send, CUSTOMER)
    _ret(send, '<CustomerAddRq><CustomerAdd><Name>Job</Name><ParentRef><FullName>Acme</FullName></ParentRef>'
               '</CustomerAdd></CustomerAddRq>')
    rs = send(f'<ListDelRq><ListDelType>Customer</ListDelType><ListID>{parent.findtext("ListID")}</ListID>'
              '</ListDelRq>')[0]
    assert rs.get('statusCode') == '3170'


@pytest.mark.parametrize(('request_xml', 'element'), [
    ('<ItemServiceAddRq><ItemServiceAdd><Name>S</Name><SalesOrPurchase><Price>1.00</Price></SalesOrPurchase>'
     '</ItemServiceAdd></ItemServiceAddRq>', 'AccountRef'),
    ('<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>N</Name><SalesAndPurchase><IncomeAccountRef><FullName>Sales'
     '</FullName></IncomeAccountRef></SalesAndPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>',
     'ExpenseAccountRef'),
    ('<ItemInventoryAddRq><ItemInventoryAdd><Name>I</Name><IncomeAccountRef><FullName>Sales</FullName>'
     '</IncomeAccountRef></ItemInventoryAdd></ItemInventoryAddRq>', 'COGSAccountRef'),
    ('<ItemDiscountAddRq><ItemDiscountAdd><Name>D</Name><DiscountRate>5.00</DiscountRate></ItemDiscountAdd>'
     '</ItemDiscountAddRq>', 'AccountRef'),
    ('<ItemSalesTaxAddRq><ItemSalesTaxAdd><Name>T</Name><TaxRate>5.0</TaxRate></ItemSalesTaxAdd>'
     '</ItemSalesTaxAddRq>', 'TaxVendorRef'),
])
def test_business_required_element_missing_is_3150(send, request_xml, element):
    rs = send(request_xml)[0]
    assert rs.get('statusCode') == '3150'
    assert rs.get('statusMessage') == f'There is a missing element: "{element}".'


def test_inventory_item_computes_average_cost_and_keeps_quantity(send):
    ret = _ret(send, '<ItemInventoryAddRq><ItemInventoryAdd><Name>Widget</Name><IncomeAccountRef><FullName>Sales'
                     '</FullName></IncomeAccountRef><COGSAccountRef><FullName>Cost of Goods Sold</FullName>'
                     '</COGSAccountRef><AssetAccountRef><FullName>Inventory Asset</FullName></AssetAccountRef>'
                     '<QuantityOnHand>8</QuantityOnHand><TotalValue>20.00</TotalValue></ItemInventoryAdd>'
                     '</ItemInventoryAddRq>')
    assert (ret.findtext('QuantityOnHand'), ret.findtext('AverageCost')) == ('8', '2.50000')
    assert ret.find('TotalValue') is None


def test_sales_tax_group_takes_only_tax_items(send):
    _ret(send, '<ItemSalesTaxGroupAddRq><ItemSalesTaxGroupAdd><Name>G1</Name><ItemSalesTaxRef><FullName>Out of State'
               '</FullName></ItemSalesTaxRef></ItemSalesTaxGroupAdd></ItemSalesTaxGroupAddRq>')
    rs = send('<ItemSalesTaxGroupAddRq><ItemSalesTaxGroupAdd><Name>G2</Name><ItemSalesTaxRef><FullName>G1'
              '</FullName></ItemSalesTaxRef></ItemSalesTaxGroupAdd></ItemSalesTaxGroupAddRq>')[0]
    assert rs.get('statusCode') == '3140'


def test_customer_open_balance_sets_balances(send):
    ret = _ret(send, '<CustomerAddRq><CustomerAdd><Name>Owes</Name><OpenBalance>250</OpenBalance>'
                     '</CustomerAdd></CustomerAddRq>')
    assert ret.findtext('Balance') == '250.00'


def test_item_parent_cannot_be_itself(send):
    item = _ret(send, '<ItemServiceAddRq><ItemServiceAdd><Name>Loop</Name><SalesOrPurchase><AccountRef><FullName>'
                      'Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>')
    rs = send(f'<ItemServiceModRq><ItemServiceMod><ListID>{item.findtext("ListID")}</ListID><EditSequence>'
              f'{item.findtext("EditSequence")}</EditSequence><ParentRef><FullName>Loop</FullName></ParentRef>'
              '</ItemServiceMod></ItemServiceModRq>')[0]
    assert rs.get('statusCode') == '3140'


def test_a_fresh_us_company_has_the_defaults(company):
    assert {doc['Name'] for doc in company.query_objects('SalesTaxCodeRet')} == {'Tax', 'Non'}
    assert company.find('AccountRet', 'Accounts Receivable')['AccountType'] == 'AccountsReceivable'
    assert company.find('StandardTermsRet', 'Net 30')['StdDueDays'] == '30'


def test_job_opening_balance_rolls_up_into_total_balance(send, company):
    _ret(send, '<CustomerAddRq><CustomerAdd><Name>Parent</Name><OpenBalance>10.00</OpenBalance></CustomerAdd>'
               '</CustomerAddRq>')
    _ret(send, '<CustomerAddRq><CustomerAdd><Name>Job</Name><ParentRef><FullName>Parent</FullName></ParentRef>'
               '<OpenBalance>5.50</OpenBalance></CustomerAdd></CustomerAddRq>')
    parent = company.find('CustomerRet', 'Parent')
    assert (parent['Balance'], parent['TotalBalance']) == ('10.00', '15.50')
    rs = send('<CustomerQueryRq><TotalBalanceFilter><Operator>GreaterThan</Operator><Amount>12.00</Amount>'
              '</TotalBalanceFilter></CustomerQueryRq>')[0]
    assert [ret.findtext('FullName') for ret in rs] == ['Parent']


def test_vendor_total_balance_filter_uses_its_balance(send):
    _ret(send, '<VendorAddRq><VendorAdd><Name>Owed</Name><OpenBalance>30.00</OpenBalance></VendorAdd></VendorAddRq>')
    _ret(send, '<VendorAddRq><VendorAdd><Name>Square</Name></VendorAdd></VendorAddRq>')
    rs = send('<VendorQueryRq><TotalBalanceFilter><Operator>GreaterThanEqual</Operator><Amount>30.00</Amount>'
              '</TotalBalanceFilter></VendorQueryRq>')[0]
    assert [ret.findtext('Name') for ret in rs] == ['Owed']


def test_item_mod_must_keep_its_sales_variant(send, company):
    item = _ret(send, '<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Paper</Name><SalesOrPurchase><AccountRef>'
                      '<FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemNonInventoryAdd>'
                      '</ItemNonInventoryAddRq>')
    rs = send(f'<ItemNonInventoryModRq><ItemNonInventoryMod><ListID>{item.findtext("ListID")}</ListID><EditSequence>'
              f'{item.findtext("EditSequence")}</EditSequence><SalesAndPurchaseMod><SalesPrice>2.00</SalesPrice>'
              '</SalesAndPurchaseMod></ItemNonInventoryMod></ItemNonInventoryModRq>')[0]
    assert rs.get('statusCode') == '3180'
    assert 'SalesAndPurchase' not in company.find('ItemNonInventoryRet', 'Paper')


def test_nested_request_element_is_not_a_request(company, message):
    with pytest.raises(QBXMLParseError, match='QBXMLMsgsRq'):
        company.process(message('<QBXMLMsgsRq onError="stopOnError"/>'))
