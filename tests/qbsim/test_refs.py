"""Checklist 5: ListID wins over FullName, FullName is case-insensitive, unresolved refs are 3140."""

from __future__ import annotations


def _customer_with_terms(ref: str) -> str:
    return f'<CustomerAddRq><CustomerAdd><Name>Acme</Name><TermsRef>{ref}</TermsRef></CustomerAdd></CustomerAddRq>'


def test_full_name_lookup_is_case_insensitive(send):
    ret = send(_customer_with_terms('<FullName>NET 30</FullName>'))[0][0]
    assert ret.findtext('TermsRef/FullName') == 'Net 30'


def test_list_id_wins_over_full_name(send, company):
    net15 = company.find('StandardTermsRet', 'Net 15')['ListID']
    ret = send(_customer_with_terms(f'<ListID>{net15}</ListID><FullName>Net 30</FullName>'))[0][0]
    assert ret.findtext('TermsRef/FullName') == 'Net 15'


def test_bad_list_id_fails_even_with_good_full_name(send):
    rs = send(_customer_with_terms('<ListID>80099999-1</ListID><FullName>Net 30</FullName>'))[0]
    assert rs.get('statusCode') == '3140'
    assert rs.get('statusMessage') == 'There is an invalid reference to QuickBooks Terms "80099999-1" in the Customer.'


def test_unresolved_full_name_is_3140_naming_list_and_value(send):
    rs = send('<ItemServiceAddRq><ItemServiceAdd><Name>Consulting</Name><SalesOrPurchase><AccountRef><FullName>'
              'Nowhere</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>')[0]
    assert (rs.get('statusCode'), rs.get('statusSeverity')) == ('3140', 'Error')
    assert rs.get('statusMessage') == 'There is an invalid reference to QuickBooks Account "Nowhere" in the Item.'


def test_ref_to_a_list_qbsim_keeps_empty_is_3140(send):
    rs = send('<CustomerAddRq><CustomerAdd><Name>A</Name><ClassRef><FullName>East</FullName></ClassRef>'
              '</CustomerAdd></CustomerAddRq>')[0]
    assert rs.get('statusCode') == '3140'


def test_ref_of_wrong_type_does_not_resolve(send, company):
    vendor = send('<VendorAddRq><VendorAdd><Name>Supplier</Name></VendorAdd></VendorAddRq>')[0][0]
    rs = send(_customer_with_terms(f'<ListID>{vendor.findtext("ListID")}</ListID>'))[0]
    assert rs.get('statusCode') == '3140'


def test_unknown_parent_is_3140(send):
    rs = send('<CustomerAddRq><CustomerAdd><Name>Job</Name><ParentRef><FullName>Ghost</FullName></ParentRef>'
              '</CustomerAdd></CustomerAddRq>')[0]
    assert rs.get('statusCode') == '3140'
    assert '"Ghost"' in rs.get('statusMessage')


def test_deleted_target_no_longer_resolves(send, company):
    terms = company.find('StandardTermsRet', 'Net 15')['ListID']
    assert send(f'<ListDelRq><ListDelType>StandardTerms</ListDelType><ListID>{terms}</ListID></ListDelRq>')[0] \
        .get('statusCode') == '0'
    assert send(_customer_with_terms('<FullName>Net 15</FullName>'))[0].get('statusCode') == '3140'
