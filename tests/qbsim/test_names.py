"""Checklist 4: shared entity (Customer, Vendor, Employee, OtherName) and item namespaces, case-insensitive,
sibling-unique, no ':' (3100)."""

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


def _employee(name: str) -> str:
    return f'<EmployeeAddRq><EmployeeAdd><Name>{name}</Name></EmployeeAdd></EmployeeAddRq>'


def _other_name(name: str) -> str:
    return f'<OtherNameAddRq><OtherNameAdd><Name>{name}</Name></OtherNameAdd></OtherNameAddRq>'


ENTITY_ADDS = {'Customer': _customer, 'Vendor': _vendor, 'Employee': _employee, 'OtherName': _other_name}
ENTITY_PAIRS = [(first, second) for first in ENTITY_ADDS for second in ENTITY_ADDS
                if first != second and {first, second} != {'Customer', 'Vendor'}]


@pytest.mark.parametrize(('first', 'second'), ENTITY_PAIRS, ids=[f'{a}-then-{b}' for a, b in ENTITY_PAIRS])
def test_employee_and_other_name_share_the_entity_namespace(send, first, second):
    rs = send(ENTITY_ADDS[first]('Initech'), ENTITY_ADDS[second]('iNITECH'))
    assert [node.get('statusCode') for node in rs] == ['0', '3100']
    assert rs[1].get('statusMessage') == 'The name "iNITECH" of the list element is already in use.'


def test_employee_named_after_the_person_blocks_a_customer(send):
    rs = send('<EmployeeAddRq><EmployeeAdd><FirstName>Ann</FirstName><LastName>Lee</LastName></EmployeeAdd>'
              '</EmployeeAddRq>', _customer('ann lee'))
    assert rs[0][0].findtext('Name') == 'Ann Lee'
    assert rs[1].get('statusCode') == '3100'


def test_rename_into_an_employee_or_other_name_is_refused(send):
    added = send(_employee('Dana'), _other_name('Petty Cash'), _customer('Globex'))
    globex = added[2][0]
    mod = ('<CustomerModRq><CustomerMod><ListID>{}</ListID><EditSequence>{}</EditSequence><Name>{}</Name>'
           '</CustomerMod></CustomerModRq>')
    for name in ('DANA', 'petty cash'):
        rs = send(mod.format(globex.findtext('ListID'), globex.findtext('EditSequence'), name))[0]
        assert rs.get('statusCode') == '3100'


def test_other_name_renamed_onto_a_vendor_is_refused(send):
    added = send(_vendor('Stationer'), _other_name('Owner'))
    owner = added[1][0]
    rs = send(f'<OtherNameModRq><OtherNameMod><ListID>{owner.findtext("ListID")}</ListID><EditSequence>'
              f'{owner.findtext("EditSequence")}</EditSequence><Name>STATIONER</Name></OtherNameMod>'
              '</OtherNameModRq>')[0]
    assert rs.get('statusCode') == '3100'


def test_job_may_share_its_leaf_name_with_an_employee(send):
    rs = send(_employee('Office'), _customer('Acme'), _customer('Office', 'Acme'))
    assert [node.get('statusCode') for node in rs] == ['0', '0', '0']


@pytest.mark.parametrize('kind', ['Employee', 'OtherName'])
def test_name_freed_by_deleting_an_employee_or_other_name(send, kind):
    added = send(ENTITY_ADDS[kind]('Temp'))[0][0]
    deleted = send(f'<ListDelRq><ListDelType>{kind}</ListDelType><ListID>{added.findtext("ListID")}</ListID>'
                   '</ListDelRq>')[0]
    assert deleted.get('statusCode') == '0'
    assert send(_customer('temp'))[0].get('statusCode') == '0'
