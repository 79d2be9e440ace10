"""Checklist 8: query results: 1 vs 500, ActiveOnly default, inclusive local-time date bounds, name filters
and name order, IncludeRetElement, OwnerID."""

from __future__ import annotations

import pytest


def _names(rs) -> list[str]:
    return [ret.findtext('FullName') or ret.findtext('Name') for ret in rs]


def _add_customers(send, company, names: list[str], step_seconds: int = 0) -> None:
    for name in names:
        send(f'<CustomerAddRq><CustomerAdd><Name>{name}</Name></CustomerAdd></CustomerAddRq>')
        company.clock.advance(step_seconds)


def test_filter_without_hits_is_1_info_without_ret(send):
    rs = send('<CustomerQueryRq><NameFilter><MatchCriterion>Contains</MatchCriterion><Name>nobody</Name>'
              '</NameFilter></CustomerQueryRq>')[0]
    assert (rs.get('statusCode'), rs.get('statusSeverity')) == ('1', 'Info')
    assert rs.get('statusMessage') == 'A query request did not find a matching object in QuickBooks'
    assert len(rs) == 0


def test_missing_name_in_explicit_list_is_500_warn_with_the_others(send, company):
    _add_customers(send, company, ['Acme'])
    rs = send('<CustomerQueryRq><FullName>acme</FullName><FullName>Ghost</FullName></CustomerQueryRq>')[0]
    assert (rs.get('statusCode'), rs.get('statusSeverity')) == ('500', 'Warn')
    assert '"Ghost"' in rs.get('statusMessage')
    assert _names(rs) == ['Acme']


def _deactivate(send, company, name: str) -> None:
    doc = company.find('CustomerRet', name)
    send(f'<CustomerModRq><CustomerMod><ListID>{doc["ListID"]}</ListID><EditSequence>{doc["EditSequence"]}'
         '</EditSequence><IsActive>false</IsActive></CustomerMod></CustomerModRq>')


@pytest.mark.parametrize(('status', 'expected'), [
    (None, ['Active']), ('ActiveOnly', ['Active']), ('InactiveOnly', ['Dormant']), ('All', ['Active', 'Dormant'])])
def test_active_status_defaults_to_active_only(send, company, status, expected):
    _add_customers(send, company, ['Active', 'Dormant'])
    _deactivate(send, company, 'Dormant')
    body = f'<ActiveStatus>{status}</ActiveStatus>' if status else ''
    assert _names(send(f'<CustomerQueryRq>{body}</CustomerQueryRq>')[0]) == expected


def test_explicit_ids_return_inactive_objects(send, company):
    _add_customers(send, company, ['Dormant'])
    _deactivate(send, company, 'Dormant')
    assert _names(send('<CustomerQueryRq><FullName>Dormant</FullName></CustomerQueryRq>')[0]) == ['Dormant']


def test_modified_date_bounds_are_inclusive_in_local_time(send, company):
    _add_customers(send, company, ['A', 'B', 'C'], step_seconds=60)
    rs = send('<CustomerQueryRq><FromModifiedDate>2024-03-01T09:01:00</FromModifiedDate>'
              '<ToModifiedDate>2024-03-01T09:02:00</ToModifiedDate></CustomerQueryRq>')[0]
    assert _names(rs) == ['B', 'C']


def test_modified_date_offset_is_honoured(send, company):
    _add_customers(send, company, ['A', 'B', 'C'], step_seconds=60)
    rs = send('<CustomerQueryRq><FromModifiedDate>2024-03-01T14:01:00+00:00</FromModifiedDate></CustomerQueryRq>')[0]
    assert _names(rs) == ['B', 'C']


def test_bare_to_date_covers_the_whole_day(send, company):
    _add_customers(send, company, ['Morning'])
    company.clock.advance(14 * 3600 + 59 * 60)
    _add_customers(send, company, ['Late'])
    company.clock.advance(3600)
    _add_customers(send, company, ['Tomorrow'])
    rs = send('<CustomerQueryRq><FromModifiedDate>2024-03-01</FromModifiedDate>'
              '<ToModifiedDate>2024-03-01</ToModifiedDate></CustomerQueryRq>')[0]
    assert _names(rs) == ['Late', 'Morning']


def test_from_after_to_is_3030(send):
    rs = send('<CustomerQueryRq><FromModifiedDate>2024-03-02</FromModifiedDate>'
              '<ToModifiedDate>2024-03-01</ToModifiedDate></CustomerQueryRq>')[0]
    assert rs.get('statusCode') == '3030'


@pytest.mark.parametrize(('criterion', 'name', 'expected'), [
    ('StartsWith', 'ac', ['Acme', 'Acme:Office']), ('Contains', 'OFF', ['Acme:Office']),
    ('EndsWith', 'ex', ['Globex'])])
def test_name_filter_is_case_insensitive(send, company, criterion, name, expected):
    _add_customers(send, company, ['Acme', 'Globex'])
    send('<CustomerAddRq><CustomerAdd><Name>Office</Name><ParentRef><FullName>Acme</FullName></ParentRef>'
         '</CustomerAdd></CustomerAddRq>')
    rs = send(f'<CustomerQueryRq><NameFilter><MatchCriterion>{criterion}</MatchCriterion><Name>{name}</Name>'
              '</NameFilter></CustomerQueryRq>')[0]
    assert _names(rs) == expected


def test_results_sorted_by_name_parents_before_children(send, company):
    _add_customers(send, company, ['beta', 'Alpha', 'AB', 'alpha 2'])
    send('<CustomerAddRq><CustomerAdd><Name>Zed</Name><ParentRef><FullName>Alpha</FullName></ParentRef>'
         '</CustomerAdd></CustomerAddRq>')
    assert _names(send('<CustomerQueryRq/>')[0]) == ['AB', 'Alpha', 'Alpha:Zed', 'alpha 2', 'beta']


def test_name_range_paging_from_last_name_ends(send, company):
    """1CRM's non-US paging: repeat with FromName = last name received until it repeats."""
    names = [f'Customer {number:03d}' for number in range(25)]
    _add_customers(send, company, list(reversed(names)))
    seen: list[str] = []
    from_name = ''
    for _page in range(10):
        bounds = f'<NameRangeFilter><FromName>{from_name}</FromName></NameRangeFilter>' if from_name else ''
        page = _names(send(f'<CustomerQueryRq><MaxReturned>10</MaxReturned>{bounds}</CustomerQueryRq>')[0])
        seen.extend(name for name in page if name not in seen)
        if page[-1] == from_name:
            break
        from_name = page[-1]
    else:
        pytest.fail('FromName paging did not end')
    assert seen == names


def test_name_range_to_name_is_inclusive(send, company):
    _add_customers(send, company, ['Apple', 'Banana', 'Cherry'])
    rs = send('<CustomerQueryRq><NameRangeFilter><FromName>apple</FromName><ToName>banana</ToName>'
              '</NameRangeFilter></CustomerQueryRq>')[0]
    assert _names(rs) == ['Apple', 'Banana']


def test_max_returned_caps_results(send, company):
    _add_customers(send, company, ['A', 'B', 'C'])
    assert _names(send('<CustomerQueryRq><MaxReturned>2</MaxReturned></CustomerQueryRq>')[0]) == ['A', 'B']


def test_include_ret_element_trims_the_ret(send, company):
    _add_customers(send, company, ['Acme'])
    rs = send('<CustomerQueryRq><IncludeRetElement>Name</IncludeRetElement>'
              '<IncludeRetElement>ListID</IncludeRetElement></CustomerQueryRq>')[0]
    assert [child.tag for child in rs[0]] == ['ListID', 'Name']


def test_item_query_spans_item_types(send):
    send('<ItemServiceAddRq><ItemServiceAdd><Name>Labour</Name><SalesOrPurchase><AccountRef><FullName>Services'
         '</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>',
         '<ItemDiscountAddRq><ItemDiscountAdd><Name>Loyalty</Name><DiscountRatePercent>5.0</DiscountRatePercent>'
         '<AccountRef><FullName>Sales</FullName></AccountRef></ItemDiscountAdd></ItemDiscountAddRq>')
    rs = send('<ItemQueryRq/>')[0]
    assert [(ret.tag, ret.findtext('Name')) for ret in rs] == [
        ('ItemServiceRet', 'Labour'), ('ItemDiscountRet', 'Loyalty'), ('ItemSalesTaxRet', 'Out of State')]


def test_terms_query_returns_both_kinds(send):
    tags = {ret.tag for ret in send('<TermsQueryRq/>')[0]}
    assert tags == {'StandardTermsRet', 'DateDrivenTermsRet'}


def test_account_type_filter(send):
    rs = send('<AccountQueryRq><AccountType>Income</AccountType></AccountQueryRq>')[0]
    assert _names(rs) == ['Sales', 'Services']


def test_owner_id_returns_data_ext_ret_only_for_that_owner(send, company):
    owner = '{6B063959-81B0-4B45-B4D3-9D2F1DDE7E43}'
    _add_customers(send, company, ['Acme'])
    send(f'<DataExtDefAddRq><DataExtDefAdd><OwnerID>{owner}</OwnerID><DataExtName>CRM id</DataExtName>'
         '<DataExtType>STR255TYPE</DataExtType><AssignToObject>Customer</AssignToObject></DataExtDefAdd>'
         '</DataExtDefAddRq>',
         f'<DataExtAddRq><DataExtAdd><OwnerID>{owner}</OwnerID><DataExtName>CRM id</DataExtName>'
         '<ListDataExtType>Customer</ListDataExtType><ListObjRef><FullName>Acme</FullName></ListObjRef>'
         '<DataExtValue>abc-1</DataExtValue></DataExtAdd></DataExtAddRq>')
    plain = send('<CustomerQueryRq><FullName>Acme</FullName></CustomerQueryRq>')[0][0]
    assert plain.find('DataExtRet') is None
    public = send('<CustomerQueryRq><FullName>Acme</FullName><OwnerID>0</OwnerID></CustomerQueryRq>')[0][0]
    assert public.find('DataExtRet') is None
    private = send(f'<CustomerQueryRq><FullName>Acme</FullName><OwnerID>{owner.lower()}</OwnerID>'
                   '</CustomerQueryRq>')[0][0]
    assert private.findtext('DataExtRet/DataExtValue') == 'abc-1'
    assert private.findtext('DataExtRet/OwnerID') == owner
