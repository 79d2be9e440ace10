"""Checklist 4: shared entity and item namespaces, case-insensitive, sibling-unique, no ':' (3100)."""

from __future__ import annotations

import pytest

SERVICE = ('<ItemServiceAddRq><ItemServiceAdd><Name>{name}</Name>{parent}<SalesOrPurchase><Price>10.00</Price>'
           '<AccountRef><FullName>Services</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd>'
           '</ItemServiceAddRq>')
NON_INVENTORY = ('<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>{name}</Name><SalesOrPurchase><AccountRef>'
                 '<FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemNonInventoryAdd>'
                 '</ItemNonInventoryAddRq>')


def _customer(name: str, parent: str = '') -> str:
    ref = f'<ParentRef><FullName>{parent}</FullName></ParentRef>' if parent else ''
    return f'<CustomerAddRq><CustomerAdd><Name>{name}</Name>{ref}</CustomerAdd></CustomerAddRq>'


def _vendor(name: str) -> str:
    return f'<VendorAddRq><VendorAdd><Name>{name}</Name></VendorAdd></VendorAddRq>'


def _service(name: str, parent: str = '') -> str:
    return SERVICE.format(name=name, parent=f'<ParentRef><FullName>{parent}</FullName></ParentRef>' if parent else '')


def test_customer_and_vendor_share_one_namespace_case_insensitively(send):
    rs = send(_customer('Northwind'), _vendor('NORTHWIND'))
    assert rs[1].get('statusCode') == '3100'
    assert rs[1].get('statusMessage') == 'The name "NORTHWIND" of the list element is already in use.'


def test_vendor_first_blocks_customer(send):
    rs = send(_vendor('Contoso'), _customer('contoso'))
    assert [node.get('statusCode') for node in rs] == ['0', '3100']


def test_item_types_share_one_namespace(send):
    rs = send(_service('Widget'), NON_INVENTORY.format(name='widget'))
    assert [node.get('statusCode') for node in rs] == ['0', '3100']


def test_other_lists_have_their_own_namespace(send):
    rs = send(_customer('Net 30'), _service('Cash'))
    assert [node.get('statusCode') for node in rs] == ['0', '0']


def test_job_names_unique_among_siblings_only(send):
    rs = send(_customer('Acme'), _customer('Globex'), _customer('Office', 'Acme'), _customer('Office', 'Globex'),
              _customer('OFFICE', 'acme'), _vendor('Office'))
    assert [node.get('statusCode') for node in rs] == ['0', '0', '0', '0', '3100', '0']


def test_job_full_name_and_sublevel(send):
    rs = send(_customer('Acme'), _customer('Office', 'Acme'), _customer('Floor 2', 'acme:office'))
    job = rs[2][0]
    assert job.findtext('FullName') == 'Acme:Office:Floor 2'
    assert job.findtext('Sublevel') == '2'
    assert job.findtext('ParentRef/FullName') == 'Acme:Office'
    assert rs[0][0].findtext('Sublevel') == '0'


def test_sub_item_full_name(send):
    rs = send(_service('Labour'), _service('Evening', 'Labour'))
    assert rs[1][0].findtext('FullName') == 'Labour:Evening'


@pytest.mark.parametrize('request_xml', [_customer('Acme: West'), _vendor('A:B'), _service('x:y')])
def test_colon_refused_in_name(send, request_xml):
    rs = send(request_xml)[0]
    assert rs.get('statusCode') == '3100'
    assert ':' in rs.get('statusMessage')


def test_rename_parent_updates_children_full_names(send, company):
    acme = send(_customer('Acme'), _customer('Office', 'Acme'))[0][0]
    send(f'<CustomerModRq><CustomerMod><ListID>{acme.findtext("ListID")}</ListID><EditSequence>'
         f'{acme.findtext("EditSequence")}</EditSequence><Name>Acme Corp</Name></CustomerMod></CustomerModRq>')
    assert company.find('CustomerRet', 'Acme Corp:Office')['ParentRef']['FullName'] == 'Acme Corp'
    assert company.find('CustomerRet', 'Acme:Office') is None


def test_name_freed_by_delete(send):
    added = send(_customer('Temp'))[0][0]
    send(f'<ListDelRq><ListDelType>Customer</ListDelType><ListID>{added.findtext("ListID")}</ListID></ListDelRq>')
    assert send(_vendor('Temp'))[0].get('statusCode') == '0'
