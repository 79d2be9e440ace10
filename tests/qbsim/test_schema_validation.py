"""Every response qbsim writes validates against Intuit's qbXML 13.0 schema.

One row per request type (plus error and iterator shapes). A row is (setup requests, the request under test);
``{ListID}``/``{EditSequence}`` in the request are filled from the last Ret the setup returned, so Mod rows
work on a fresh object. Adding a request type later is one row.
"""

from __future__ import annotations

import pytest
from lxml import etree

OWNER = '{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}'
ACCOUNT = '<AccountRef><FullName>{}</FullName></AccountRef>'
SERVICE_ADD = ('<ItemServiceAddRq><ItemServiceAdd><Name>Labour</Name><SalesOrPurchase><Desc>Hourly</Desc>'
               '<Price>80.00</Price>' + ACCOUNT.format('Services') + '</SalesOrPurchase></ItemServiceAdd>'
               '</ItemServiceAddRq>')
INVENTORY_ADD = ('<ItemInventoryAddRq><ItemInventoryAdd><Name>Widget</Name><SalesDesc>A widget</SalesDesc>'
                 '<SalesPrice>9.50</SalesPrice><IncomeAccountRef><FullName>Sales</FullName></IncomeAccountRef>'
                 '<PurchaseCost>4.00</PurchaseCost><COGSAccountRef><FullName>Cost of Goods Sold</FullName>'
                 '</COGSAccountRef><AssetAccountRef><FullName>Inventory Asset</FullName></AssetAccountRef>'
                 '<QuantityOnHand>10</QuantityOnHand><TotalValue>40.00</TotalValue></ItemInventoryAdd>'
                 '</ItemInventoryAddRq>')
TAX_ITEM_ADD = ('<ItemSalesTaxAddRq><ItemSalesTaxAdd><Name>County</Name><TaxRate>2.5</TaxRate><TaxVendorRef>'
                '<FullName>Tax Agency</FullName></TaxVendorRef></ItemSalesTaxAdd></ItemSalesTaxAddRq>')
TAX_AGENCY = '<VendorAddRq><VendorAdd><Name>Tax Agency</Name></VendorAdd></VendorAddRq>'
CUSTOMER_ADD = ('<CustomerAddRq><CustomerAdd><Name>Acme</Name><CompanyName>Acme Inc</CompanyName><FirstName>Ann'
                '</FirstName><BillAddress><Addr1>1 Main St</Addr1><City>Boston</City><State>MA</State>'
                '<PostalCode>02110</PostalCode></BillAddress><Phone>555-0100</Phone><Email>a@acme.test</Email>'
                '<TermsRef><FullName>Net 30</FullName></TermsRef><OpenBalance>100.00</OpenBalance><SalesTaxCodeRef>'
                '<FullName>Tax</FullName></SalesTaxCodeRef></CustomerAdd></CustomerAddRq>')
DATA_EXT_DEF = (f'<DataExtDefAddRq><DataExtDefAdd><OwnerID>{OWNER}</OwnerID><DataExtName>CRM id</DataExtName>'
                '<DataExtType>STR255TYPE</DataExtType><AssignToObject>Customer</AssignToObject>'
                '<AssignToObject>Company</AssignToObject></DataExtDefAdd></DataExtDefAddRq>')
DATA_EXT_ADD = (f'<DataExtAddRq><DataExtAdd><OwnerID>{OWNER}</OwnerID><DataExtName>CRM id</DataExtName>'
                '<ListDataExtType>Customer</ListDataExtType><ListObjRef><FullName>Acme</FullName></ListObjRef>'
                '<DataExtValue>42</DataExtValue></DataExtAdd></DataExtAddRq>')
EMPLOYEE_ADD = ('<EmployeeAddRq><EmployeeAdd><FirstName>Jane</FirstName><MiddleName>Q</MiddleName><LastName>Doe'
                '</LastName><JobTitle>Engineer</JobTitle><EmployeeAddress><Addr1>2 Elm St</Addr1><City>Boston</City>'
                '<State>MA</State><PostalCode>02110</PostalCode></EmployeeAddress><Phone>555-0101</Phone><Email>'
                'jane@example.test</Email><AdditionalContactRef><ContactName>Chat</ContactName><ContactValue>jdoe'
                '</ContactValue></AdditionalContactRef><EmergencyContacts><PrimaryContact><ContactName>John Doe'
                '</ContactName><ContactValue>555-0102</ContactValue><Relation>Spouse</Relation></PrimaryContact>'
                '</EmergencyContacts><EmployeeType>Regular</EmployeeType><Gender>Female</Gender><HiredDate>2020-02-03'
                '</HiredDate><AccountNumber>E-7</AccountNumber><Notes>Team lead</Notes><EmployeePayrollInfo>'
                '<PayPeriod>Biweekly</PayPeriod></EmployeePayrollInfo></EmployeeAdd></EmployeeAddRq>')
OTHER_NAME_ADD = ('<OtherNameAddRq><OtherNameAdd><Name>Landlord</Name><CompanyName>Rent Co</CompanyName><FirstName>Lee'
                  '</FirstName><OtherNameAddress><Addr1>9 Oak Ave</Addr1><City>Salem</City><State>MA</State>'
                  '</OtherNameAddress><Phone>555-0150</Phone><Email>lee@rent.test</Email><Contact>Lee</Contact>'
                  '<AccountNumber>L-1</AccountNumber><Notes>Monthly rent</Notes></OtherNameAdd></OtherNameAddRq>')
EMPLOYEE_DATA_EXT = (f'<DataExtDefAddRq><DataExtDefAdd><OwnerID>{OWNER}</OwnerID><DataExtName>Badge</DataExtName>'
                     '<DataExtType>STR255TYPE</DataExtType><AssignToObject>Employee</AssignToObject></DataExtDefAdd>'
                     f'</DataExtDefAddRq>', f'<DataExtAddRq><DataExtAdd><OwnerID>{OWNER}</OwnerID><DataExtName>Badge'
                     '</DataExtName><ListDataExtType>Employee</ListDataExtType><ListObjRef><FullName>jane q doe'
                     '</FullName></ListObjRef><DataExtValue>B-12</DataExtValue></DataExtAdd></DataExtAddRq>')


def _mod(base: str, body: str = '') -> str:
    return (f'<{base}ModRq><{base}Mod><ListID>{{ListID}}</ListID><EditSequence>{{EditSequence}}</EditSequence>'
            f'{body}</{base}Mod></{base}ModRq>')


CASES = {
    'HostQuery': ([], '<HostQueryRq/>'),
    'CompanyQuery': ([DATA_EXT_DEF], f'<CompanyQueryRq><OwnerID>{OWNER}</OwnerID></CompanyQueryRq>'),
    'PreferencesQuery': ([], '<PreferencesQueryRq/>'),
    'AccountAdd': ([], '<AccountAddRq><AccountAdd><Name>Savings</Name><AccountType>Bank</AccountType>'
                       '<AccountNumber>1010</AccountNumber><OpenBalance>5.00</OpenBalance></AccountAdd></AccountAddRq>'),
    'AccountMod': (['<AccountAddRq><AccountAdd><Name>Savings</Name><AccountType>Bank</AccountType></AccountAdd>'
                    '</AccountAddRq>'], _mod('Account', '<Name>Reserve</Name>')),
    'AccountQuery': ([], '<AccountQueryRq/>'),
    'CurrencyQuery': ([], '<CurrencyQueryRq/>'),
    'CurrencyAdd': ([], '<CurrencyAddRq><CurrencyAdd><Name>Yen</Name><CurrencyCode>JPY</CurrencyCode></CurrencyAdd>'
                        '</CurrencyAddRq>'),
    'StandardTermsAdd': ([], '<StandardTermsAddRq><StandardTermsAdd><Name>Net 60</Name><StdDueDays>60</StdDueDays>'
                             '</StandardTermsAdd></StandardTermsAddRq>'),
    'StandardTermsQuery': ([], '<StandardTermsQueryRq/>'),
    'DateDrivenTermsAdd': ([], '<DateDrivenTermsAddRq><DateDrivenTermsAdd><Name>EOM</Name><DayOfMonthDue>31'
                               '</DayOfMonthDue></DateDrivenTermsAdd></DateDrivenTermsAddRq>'),
    'DateDrivenTermsQuery': ([], '<DateDrivenTermsQueryRq/>'),
    'TermsQuery': ([], '<TermsQueryRq/>'),
    'PaymentMethodAdd': ([], '<PaymentMethodAddRq><PaymentMethodAdd><Name>Wire</Name><PaymentMethodType>'
                             'OtherCreditCard</PaymentMethodType></PaymentMethodAdd></PaymentMethodAddRq>'),
    'PaymentMethodQuery': ([], '<PaymentMethodQueryRq/>'),
    'ShipMethodAdd': ([], '<ShipMethodAddRq><ShipMethodAdd><Name>Courier</Name></ShipMethodAdd></ShipMethodAddRq>'),
    'ShipMethodQuery': ([], '<ShipMethodQueryRq/>'),
    'CustomerTypeAdd': ([], '<CustomerTypeAddRq><CustomerTypeAdd><Name>Retail</Name></CustomerTypeAdd>'
                            '</CustomerTypeAddRq>'),
    'CustomerTypeQuery': (['<CustomerTypeAddRq><CustomerTypeAdd><Name>Retail</Name></CustomerTypeAdd>'
                           '</CustomerTypeAddRq>'], '<CustomerTypeQueryRq/>'),
    'SalesTaxCodeAdd': ([], '<SalesTaxCodeAddRq><SalesTaxCodeAdd><Name>Exm</Name><IsTaxable>false</IsTaxable>'
                            '<Desc>Exempt</Desc></SalesTaxCodeAdd></SalesTaxCodeAddRq>'),
    'SalesTaxCodeMod': (['<SalesTaxCodeAddRq><SalesTaxCodeAdd><Name>Exm</Name><IsTaxable>false</IsTaxable>'
                         '</SalesTaxCodeAdd></SalesTaxCodeAddRq>'], _mod('SalesTaxCode', '<Desc>Exempt</Desc>')),
    'SalesTaxCodeQuery': ([], '<SalesTaxCodeQueryRq/>'),
    'ItemSalesTaxAdd': ([TAX_AGENCY], TAX_ITEM_ADD),
    'ItemSalesTaxMod': ([TAX_AGENCY, TAX_ITEM_ADD], _mod('ItemSalesTax', '<TaxRate>3.0</TaxRate>')),
    'ItemSalesTaxQuery': ([], '<ItemSalesTaxQueryRq/>'),
    'ItemSalesTaxGroupAdd': ([TAX_AGENCY, TAX_ITEM_ADD],
                             '<ItemSalesTaxGroupAddRq><ItemSalesTaxGroupAdd><Name>Combined</Name><ItemSalesTaxRef>'
                             '<FullName>County</FullName></ItemSalesTaxRef><ItemSalesTaxRef><FullName>Out of State'
                             '</FullName></ItemSalesTaxRef></ItemSalesTaxGroupAdd></ItemSalesTaxGroupAddRq>'),
    'ItemSalesTaxGroupQuery': ([], '<ItemSalesTaxGroupQueryRq/>'),
    'ItemInventoryAdd': ([], INVENTORY_ADD),
    'ItemInventoryMod': ([INVENTORY_ADD], _mod('ItemInventory', '<SalesPrice>11.00</SalesPrice>')),
    'ItemInventoryQuery': ([INVENTORY_ADD], '<ItemInventoryQueryRq/>'),
    'ItemNonInventoryAdd': ([], '<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Paper</Name><SalesAndPurchase>'
                                '<SalesPrice>3.00</SalesPrice><IncomeAccountRef><FullName>Sales</FullName>'
                                '</IncomeAccountRef><PurchaseCost>1.00</PurchaseCost><ExpenseAccountRef><FullName>'
                                'Office Supplies</FullName></ExpenseAccountRef></SalesAndPurchase>'
                                '</ItemNonInventoryAdd></ItemNonInventoryAddRq>'),
    'ItemNonInventoryQuery': ([], '<ItemNonInventoryQueryRq/>'),
    'ItemServiceAdd': ([], SERVICE_ADD),
    'ItemServiceMod': ([SERVICE_ADD], _mod('ItemService', '<SalesOrPurchaseMod><Price>90.00</Price>'
                                                          '</SalesOrPurchaseMod>')),
    'ItemServiceQuery': ([SERVICE_ADD], '<ItemServiceQueryRq/>'),
    'ItemOtherChargeAdd': ([], '<ItemOtherChargeAddRq><ItemOtherChargeAdd><Name>Freight</Name><SalesOrPurchase>'
                               '<PricePercent>5.0</PricePercent>' + ACCOUNT.format('Sales')
                               + '</SalesOrPurchase></ItemOtherChargeAdd></ItemOtherChargeAddRq>'),
    'ItemOtherChargeQuery': ([], '<ItemOtherChargeQueryRq/>'),
    'ItemDiscountAdd': ([], '<ItemDiscountAddRq><ItemDiscountAdd><Name>Promo</Name><DiscountRate>10.00'
                            '</DiscountRate>' + ACCOUNT.format('Sales') + '</ItemDiscountAdd></ItemDiscountAddRq>'),
    'ItemDiscountQuery': ([], '<ItemDiscountQueryRq/>'),
    'ItemSubtotalAdd': ([], '<ItemSubtotalAddRq><ItemSubtotalAdd><Name>Subtotal</Name></ItemSubtotalAdd>'
                            '</ItemSubtotalAddRq>'),
    'ItemSubtotalQuery': ([], '<ItemSubtotalQueryRq/>'),
    'ItemGroupAdd': ([SERVICE_ADD], '<ItemGroupAddRq><ItemGroupAdd><Name>Bundle</Name><ItemGroupLine><ItemRef>'
                                    '<FullName>Labour</FullName></ItemRef><Quantity>2</Quantity></ItemGroupLine>'
                                    '</ItemGroupAdd></ItemGroupAddRq>'),
    'ItemGroupQuery': ([], '<ItemGroupQueryRq/>'),
    'ItemInventoryAssemblyAdd': ([INVENTORY_ADD], '<ItemInventoryAssemblyAddRq><ItemInventoryAssemblyAdd><Name>Kit'
                                                  '</Name><IncomeAccountRef><FullName>Sales</FullName>'
                                                  '</IncomeAccountRef><COGSAccountRef><FullName>Cost of Goods Sold'
                                                  '</FullName></COGSAccountRef><AssetAccountRef><FullName>Inventory '
                                                  'Asset</FullName></AssetAccountRef><ItemInventoryAssemblyLine>'
                                                  '<ItemInventoryRef><FullName>Widget</FullName></ItemInventoryRef>'
                                                  '<Quantity>3</Quantity></ItemInventoryAssemblyLine>'
                                                  '</ItemInventoryAssemblyAdd></ItemInventoryAssemblyAddRq>'),
    'ItemInventoryAssemblyQuery': ([], '<ItemInventoryAssemblyQueryRq/>'),
    'ItemPaymentAdd': ([], '<ItemPaymentAddRq><ItemPaymentAdd><Name>Deposit</Name><DepositToAccountRef><FullName>'
                           'Undeposited Funds</FullName></DepositToAccountRef></ItemPaymentAdd></ItemPaymentAddRq>'),
    'ItemPaymentQuery': ([], '<ItemPaymentQueryRq/>'),
    'ItemFixedAssetAdd': ([], '<ItemFixedAssetAddRq><ItemFixedAssetAdd><Name>Van</Name><AcquiredAs>New'
                              '</AcquiredAs><PurchaseDesc>Delivery van</PurchaseDesc><PurchaseDate>2024-01-15'
                              '</PurchaseDate><PurchaseCost>20000.00</PurchaseCost><AssetAccountRef><FullName>'
                              'Furniture and Equipment</FullName></AssetAccountRef></ItemFixedAssetAdd>'
                              '</ItemFixedAssetAddRq>'),
    'ItemFixedAssetQuery': ([], '<ItemFixedAssetQueryRq/>'),
    'ItemQuery': ([SERVICE_ADD, INVENTORY_ADD], '<ItemQueryRq/>'),
    'CustomerAdd': ([], CUSTOMER_ADD),
    'CustomerAdd-job': ([CUSTOMER_ADD], '<CustomerAddRq><CustomerAdd><Name>Office</Name><ParentRef><FullName>Acme'
                                        '</FullName></ParentRef></CustomerAdd></CustomerAddRq>'),
    'CustomerMod': ([CUSTOMER_ADD], _mod('Customer', '<Name>Acme Two</Name><BillAddress><City>Salem</City>'
                                                     '</BillAddress>')),
    'CustomerQuery': ([CUSTOMER_ADD, DATA_EXT_DEF, DATA_EXT_ADD],
                      f'<CustomerQueryRq><ActiveStatus>All</ActiveStatus><OwnerID>{OWNER}</OwnerID>'
                      '</CustomerQueryRq>'),
    'CustomerQuery-iterator': ([CUSTOMER_ADD], '<CustomerQueryRq iterator="Start"><MaxReturned>1</MaxReturned>'
                                               '</CustomerQueryRq>'),
    'CustomerQuery-metadata': ([CUSTOMER_ADD], '<CustomerQueryRq metaData="MetaDataAndResponseData"/>'),
    'CustomerQuery-no-match': ([], '<CustomerQueryRq><FullName>Nobody</FullName></CustomerQueryRq>'),
    'VendorAdd': ([], '<VendorAddRq><VendorAdd><Name>Supplies Co</Name><VendorAddress><City>Austin</City>'
                      '</VendorAddress><OpenBalance>20.00</OpenBalance></VendorAdd></VendorAddRq>'),
    'VendorMod': ([TAX_AGENCY], _mod('Vendor', '<Phone>555-0199</Phone>')),
    'VendorQuery': ([TAX_AGENCY], '<VendorQueryRq/>'),
    'EmployeeAdd': ([], EMPLOYEE_ADD),
    'EmployeeAdd-supervised': ([EMPLOYEE_ADD], '<EmployeeAddRq><EmployeeAdd><Name>Sam Roe</Name><SupervisorRef>'
                                               '<FullName>Jane Q Doe</FullName></SupervisorRef></EmployeeAdd>'
                                               '</EmployeeAddRq>'),
    'EmployeeMod': ([EMPLOYEE_ADD], _mod('Employee', '<LastName>Smith</LastName><EmployeePayrollInfoMod><PayPeriod>'
                                                     'Weekly</PayPeriod></EmployeePayrollInfoMod>')),
    'EmployeeQuery': ([], '<EmployeeQueryRq/>'),
    'EmployeeQuery-dataext': ([EMPLOYEE_ADD, *EMPLOYEE_DATA_EXT],
                              f'<EmployeeQueryRq><OwnerID>{OWNER}</OwnerID></EmployeeQueryRq>'),
    'OtherNameAdd': ([], OTHER_NAME_ADD),
    'OtherNameMod': ([OTHER_NAME_ADD], _mod('OtherName', '<Name>Property Manager</Name><Phone>555-0151</Phone>')),
    'OtherNameQuery': ([], '<OtherNameQueryRq/>'),
    'ListDel-employee': ([EMPLOYEE_ADD], '<ListDelRq><ListDelType>Employee</ListDelType><ListID>{ListID}</ListID>'
                                         '</ListDelRq>'),
    'ListDel-other-name': ([OTHER_NAME_ADD], '<ListDelRq><ListDelType>OtherName</ListDelType><ListID>{ListID}'
                                             '</ListID></ListDelRq>'),
    'ListDeletedQuery-employee': ([EMPLOYEE_ADD, '<ListDelRq><ListDelType>Employee</ListDelType><ListID>{ListID}'
                                                 '</ListID></ListDelRq>'],
                                  '<ListDeletedQueryRq><ListDelType>Employee</ListDelType><ListDelType>OtherName'
                                  '</ListDelType></ListDeletedQueryRq>'),
    'ListDel': ([CUSTOMER_ADD], '<ListDelRq><ListDelType>Customer</ListDelType><ListID>{ListID}</ListID></ListDelRq>'),
    'ListDeletedQuery': ([CUSTOMER_ADD, '<ListDelRq><ListDelType>Customer</ListDelType><ListID>{ListID}</ListID>'
                                        '</ListDelRq>'],
                         '<ListDeletedQueryRq><ListDelType>Customer</ListDelType><ListDelType>Vendor</ListDelType>'
                         '</ListDeletedQueryRq>'),
    'DataExtDefAdd': ([], DATA_EXT_DEF),
    'DataExtDefQuery': ([DATA_EXT_DEF], '<DataExtDefQueryRq/>'),
    'DataExtAdd': ([CUSTOMER_ADD, DATA_EXT_DEF], DATA_EXT_ADD),
    'DataExtMod': ([CUSTOMER_ADD, DATA_EXT_DEF, DATA_EXT_ADD],
                   DATA_EXT_ADD.replace('DataExtAdd', 'DataExtMod').replace('>42<', '>43<')),
    'error-3100': ([CUSTOMER_ADD], CUSTOMER_ADD),
    'error-3100-employee': ([CUSTOMER_ADD], '<EmployeeAddRq><EmployeeAdd><Name>ACME</Name></EmployeeAdd>'
                                            '</EmployeeAddRq>'),
    'error-3100-other-name': ([EMPLOYEE_ADD], '<OtherNameAddRq><OtherNameAdd><Name>jane q doe</Name></OtherNameAdd>'
                                              '</OtherNameAddRq>'),
    'error-3250': ([], '<ItemInventoryAddRq requestID="x"><ItemInventoryAdd><Name>Off</Name></ItemInventoryAdd>'
                       '</ItemInventoryAddRq>'),
}

# A query row without setup queries what its Add row creates, so the Ret shape is validated too.
for _name, (_setup, _request) in list(CASES.items()):
    _add = _name.replace('Query', 'Add')
    if _name.endswith('Query') and not _setup and _add in CASES:
        CASES[_name] = ([*CASES[_add][0], CASES[_add][1]], _request)


def _fill(template: str, last_ret: etree._Element | None) -> str:
    if last_ret is None:
        return template
    return template.replace('{ListID}', last_ret.findtext('ListID') or '') \
        .replace('{EditSequence}', last_ret.findtext('EditSequence') or '')


@pytest.mark.parametrize(('setup', 'request_xml'), list(CASES.values()), ids=list(CASES))
def test_response_validates_against_intuit_schema(make_company, qbxml_schema, message, setup, request_xml, request):
    inventory = 'error-3250' not in request.node.callspec.id
    company = make_company('schema.qbsim', multicurrency=True, inventory=inventory)
    last_ret = None
    for step in setup:
        rs = etree.fromstring(company.process(message(_fill(step, last_ret))).encode()).find('QBXMLMsgsRs')[0]
        assert rs.get('statusCode') == '0', rs.get('statusMessage')
        last_ret = rs[0] if len(rs) else last_ret
    response = company.process(message(_fill(request_xml, last_ret)), session=company.begin_session())
    document = etree.fromstring(response.encode())
    qbxml_schema.assertValid(document)
    rs = document.find('QBXMLMsgsRs')[0]
    expected = request.node.callspec.id.split('-')
    if expected[0] == 'error':
        assert rs.get('statusCode') == expected[1]
    elif expected[-1] != 'match':
        assert rs.get('statusCode') == '0', rs.get('statusMessage')
        assert len(rs) > 0 or rs.tag == 'ListDelRs'
