"""The Employee and OtherName lists: names, references, queries, deletes and seeding."""

from __future__ import annotations

import pytest

from qbsim import Company, QBXMLParseError
from qbsim.seed import SeedError


def _employee(body: str) -> str:
    return f'<EmployeeAddRq><EmployeeAdd>{body}</EmployeeAdd></EmployeeAddRq>'


def _mod(base: str, ret, body: str) -> str:
    return (f'<{base}ModRq><{base}Mod><ListID>{ret.findtext("ListID")}</ListID><EditSequence>'
            f'{ret.findtext("EditSequence")}</EditSequence>{body}</{base}Mod></{base}ModRq>')


def _codes(rs) -> list[str]:
    return [node.get('statusCode') for node in rs]


def test_employee_without_a_name_is_named_after_the_person(send):
    ret = send(_employee('<Salutation>Dr.</Salutation><FirstName>Ada</FirstName><MiddleName>K</MiddleName>'
                         '<LastName>Byron</LastName>'))[0][0]
    assert ret.findtext('Name') == 'Ada K Byron'
    assert ret.find('FullName') is None


def test_renaming_the_person_renames_an_employee_named_after_them(send):
    ret = send(_employee('<FirstName>Ada</FirstName><LastName>Byron</LastName>'))[0][0]
    modified = send(_mod('Employee', ret, '<LastName>Lovelace</LastName>'))[0][0]
    assert modified.findtext('Name') == 'Ada Lovelace'
    assert modified.findtext('EditSequence') != ret.findtext('EditSequence')


def test_an_explicit_employee_name_survives_a_change_of_the_person(send, company):
    ret = send(_employee('<Name>Bookkeeper</Name><FirstName>Ada</FirstName>'))[0][0]
    assert send(_mod('Employee', ret, '<FirstName>Grace</FirstName>'))[0][0].findtext('Name') == 'Bookkeeper'
    assert company.find('EmployeeRet', 'bookkeeper')['FirstName'] == 'Grace'


def test_employee_without_any_name_is_refused(send):
    rs = send(_employee('<JobTitle>Clerk</JobTitle>'))[0]
    assert rs.get('statusCode') == '3150'
    assert '"Name"' in rs.get('statusMessage')


@pytest.mark.parametrize('body', [f'<Name>{"N" * 42}</Name>',
                                  f'<FirstName>{"F" * 25}</FirstName><LastName>{"L" * 25}</LastName>'],
                         ids=['given', 'made-from-the-person'])
def test_employee_name_longer_than_41_is_3070(send, body):
    rs = send(_employee(body))[0]
    assert rs.get('statusCode') == '3070'


def test_other_name_longer_than_41_is_3070(send):
    rs = send(f'<OtherNameAddRq><OtherNameAdd><Name>{"O" * 42}</Name></OtherNameAdd></OtherNameAddRq>')[0]
    assert rs.get('statusCode') == '3070'


def test_supervisor_reference_resolves_case_insensitively(send):
    rs = send(_employee('<Name>Boss</Name>'), _employee('<Name>Worker</Name><SupervisorRef><FullName>BOSS</FullName>'
                                                        '</SupervisorRef>'))
    assert rs[1][0].findtext('SupervisorRef/FullName') == 'Boss'
    assert rs[1][0].findtext('SupervisorRef/ListID') == rs[0][0].findtext('ListID')


@pytest.mark.parametrize(('body', 'label'), [
    ('<SupervisorRef><FullName>Nobody</FullName></SupervisorRef>', 'Employee'),
    ('<BillingRateRef><FullName>Standard</FullName></BillingRateRef>', 'BillingRate'),
])
def test_unresolved_employee_reference_is_3140(send, body, label):
    rs = send(_employee(f'<Name>Worker</Name>{body}'))[0]
    assert rs.get('statusCode') == '3140'
    assert f'QuickBooks {label} "' in rs.get('statusMessage')


def test_a_customer_is_not_a_supervisor(send):
    rs = send('<CustomerAddRq><CustomerAdd><Name>Acme</Name></CustomerAdd></CustomerAddRq>',
              _employee('<Name>Worker</Name><SupervisorRef><FullName>Acme</FullName></SupervisorRef>'))
    assert _codes(rs) == ['0', '3140']


def test_supervisor_in_use_cannot_be_deleted(send):
    boss = send(_employee('<Name>Boss</Name>'), _employee('<Name>Worker</Name><SupervisorRef><FullName>Boss</FullName>'
                                                          '</SupervisorRef>'))[0][0]
    rs = send(f'<ListDelRq><ListDelType>Employee</ListDelType><ListID>{boss.findtext("ListID")}</ListID></ListDelRq>')
    assert rs[0].get('statusCode') == '3170'


def test_queries_filter_by_name_and_status(send):
    send(_employee('<Name>Zed</Name>'), _employee('<Name>Amy</Name><IsActive>false</IsActive>'),
         '<OtherNameAddRq><OtherNameAdd><Name>Owner Draw</Name></OtherNameAdd></OtherNameAddRq>')
    active = send('<EmployeeQueryRq/>')[0]
    assert [ret.findtext('Name') for ret in active] == ['Zed']
    everyone = send('<EmployeeQueryRq><ActiveStatus>All</ActiveStatus></EmployeeQueryRq>')[0]
    assert [ret.findtext('Name') for ret in everyone] == ['Amy', 'Zed']
    others = send('<OtherNameQueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>owner</Name>'
                  '</NameFilter></OtherNameQueryRq>')[0]
    assert [ret.findtext('Name') for ret in others] == ['Owner Draw']
    assert send('<OtherNameQueryRq><FullName>Zed</FullName></OtherNameQueryRq>')[0].get('statusCode') == '500'


@pytest.mark.parametrize('request_type', ['EmployeeQuery', 'OtherNameQuery'])
def test_employee_and_other_name_queries_take_no_iterator(company, message, request_type):
    with pytest.raises(QBXMLParseError, match='iterator'):
        company.process(message(f'<{request_type}Rq iterator="Start"><MaxReturned>1</MaxReturned>'
                                f'</{request_type}Rq>'))


def test_deleted_employee_and_other_name_are_listed(send):
    added = send(_employee('<Name>Temp</Name>'),
                 '<OtherNameAddRq><OtherNameAdd><Name>Old Lender</Name></OtherNameAdd></OtherNameAddRq>')
    for kind, ret in zip(('Employee', 'OtherName'), added, strict=True):
        rs = send(f'<ListDelRq><ListDelType>{kind}</ListDelType><ListID>{ret[0].findtext("ListID")}</ListID>'
                  '</ListDelRq>')[0]
        assert rs.get('statusCode') == '0'
    rs = send('<ListDeletedQueryRq><ListDelType>Employee</ListDelType><ListDelType>OtherName</ListDelType>'
              '</ListDeletedQueryRq>')[0]
    assert sorted((ret.findtext('ListDelType'), ret.findtext('FullName')) for ret in rs) == [
        ('Employee', 'Temp'), ('OtherName', 'Old Lender')]
    assert send('<EmployeeQueryRq><ActiveStatus>All</ActiveStatus></EmployeeQueryRq>')[0].get('statusCode') == '1'


def test_list_del_of_the_wrong_kind_is_not_found(send):
    ret = send(_employee('<Name>Kim</Name>'))[0][0]
    rs = send(f'<ListDelRq><ListDelType>OtherName</ListDelType><ListID>{ret.findtext("ListID")}</ListID>'
              '</ListDelRq>')[0]
    assert rs.get('statusCode') == '3120'


def test_other_name_data_extension(send):
    owner = '{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}'
    rs = send('<OtherNameAddRq><OtherNameAdd><Name>Landlord</Name></OtherNameAdd></OtherNameAddRq>',
              f'<DataExtDefAddRq><DataExtDefAdd><OwnerID>{owner}</OwnerID><DataExtName>Ref</DataExtName><DataExtType>'
              'STR255TYPE</DataExtType><AssignToObject>OtherName</AssignToObject></DataExtDefAdd></DataExtDefAddRq>',
              f'<DataExtAddRq><DataExtAdd><OwnerID>{owner}</OwnerID><DataExtName>Ref</DataExtName><ListDataExtType>'
              'OtherName</ListDataExtType><ListObjRef><FullName>landlord</FullName></ListObjRef><DataExtValue>R-9'
              '</DataExtValue></DataExtAdd></DataExtAddRq>',
              f'<OtherNameQueryRq><OwnerID>{owner}</OwnerID></OtherNameQueryRq>')
    assert _codes(rs) == ['0', '0', '0', '0']
    assert rs[3][0].findtext('DataExtRet/DataExtValue') == 'R-9'


def test_seed_holds_employees_and_other_names(make_company):
    company = make_company('seeded.qbsim', seed={
        'Employee': [{'FirstName': 'Ada', 'LastName': 'Byron', 'EmployeeType': 'Officer'},
                     {'Name': 'Sam', 'SupervisorRef': {'FullName': 'ada byron'}}],
        'OtherName': [{'Name': 'Owner Draw', 'CompanyName': 'Owner'}]})
    names = [doc['Name'] for doc in company.query_objects('EmployeeRet')]
    assert names == ['Ada Byron', 'Sam']
    assert company.find('EmployeeRet', 'Sam')['SupervisorRef']['FullName'] == 'Ada Byron'
    assert company.find('OtherNameRet', 'owner draw')['CompanyName'] == 'Owner'


def test_seed_clash_between_an_other_name_and_a_customer_is_refused(tmp_path):
    with pytest.raises(SeedError, match='3100'):
        Company.create(tmp_path / 'clash.qbsim', seed={'OtherName': [{'Name': 'Acme'}],
                                                       'Customer': [{'Name': 'ACME'}]})
    assert not (tmp_path / 'clash.qbsim').exists()


def test_canadian_employee_address_has_a_province(make_company, send):
    canada = make_company('ca.qbsim', edition='CA')
    rs = send(_employee('<Name>Luc</Name><EmployeeAddress><City>Laval</City><Province>QC</Province>'
                        '</EmployeeAddress>'), target=canada, version='CA13.0')[0]
    assert rs.get('statusCode') == '0'
    assert rs[0].findtext('EmployeeAddress/Province') == 'QC'
