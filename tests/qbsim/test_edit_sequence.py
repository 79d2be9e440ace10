"""Checklist 3: a new EditSequence on every write, 3200 when stale, 3120 when unknown or deleted."""

from __future__ import annotations

import re


def _mod(list_id: str, edit_sequence: str, body: str = '') -> str:
    return (f'<CustomerModRq><CustomerMod><ListID>{list_id}</ListID><EditSequence>{edit_sequence}</EditSequence>'
            f'{body}</CustomerMod></CustomerModRq>')


def _added(send, name: str = 'Acme'):
    ret = send(f'<CustomerAddRq><CustomerAdd><Name>{name}</Name></CustomerAdd></CustomerAddRq>')[0][0]
    return ret.findtext('ListID'), ret.findtext('EditSequence')


def test_ids_and_edit_sequence_have_quickbooks_formats(send):
    list_id, edit_sequence = _added(send)
    assert re.fullmatch(r'[0-9A-F]+-[0-9]{10}', list_id)
    assert re.fullmatch(r'[0-9]{1,16}', edit_sequence)


def test_new_edit_sequence_on_every_write_even_without_changes(send, company):
    list_id, first = _added(send)
    second = send(_mod(list_id, first))[0][0].findtext('EditSequence')
    third = send(_mod(list_id, second))[0][0].findtext('EditSequence')
    assert len({first, second, third}) == 3
    assert int(first) < int(second) < int(third)


def test_stale_edit_sequence_is_3200(send, company):
    list_id, first = _added(send)
    send(_mod(list_id, first, '<CompanyName>Acme Inc</CompanyName>'))
    rs = send(_mod(list_id, first, '<CompanyName>Overwritten</CompanyName>'))[0]
    assert rs.get('statusCode') == '3200'
    assert rs.get('statusMessage') == f'The provided edit sequence "{first}" is out-of-date.'
    assert company.get('CustomerRet', list_id)['CompanyName'] == 'Acme Inc'


def test_unknown_list_id_is_3120(send):
    rs = send(_mod('80000999-1234567890', '1'))[0]
    assert rs.get('statusCode') == '3120'
    assert rs.get('statusMessage') == 'Object "80000999-1234567890" specified in the request cannot be found.'


def test_mod_of_deleted_object_is_3120(send):
    list_id, edit_sequence = _added(send)
    assert send(f'<ListDelRq><ListDelType>Customer</ListDelType><ListID>{list_id}</ListID></ListDelRq>')[0] \
        .get('statusCode') == '0'
    assert send(_mod(list_id, edit_sequence))[0].get('statusCode') == '3120'


def test_time_modified_moves_with_the_clock_and_time_created_stays(send, company):
    list_id, edit_sequence = _added(send)
    company.clock.advance(90)
    ret = send(_mod(list_id, edit_sequence))[0][0]
    assert ret.findtext('TimeCreated') == '2024-03-01T09:00:00-05:00'
    assert ret.findtext('TimeModified') == '2024-03-01T09:01:30-05:00'
