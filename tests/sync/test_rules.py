"""The blocking rules of entity names, and a blocked record shown Pending Export again once fixed."""

from __future__ import annotations

import pytest

from onecrm_finance_qb.models.links import LinkStatus

pytestmark = pytest.mark.slow


def test_names_that_cannot_be_sent_block_with_the_reason_and_others_go_on(bench):
    long_name = 'A' * 42
    too_long = bench.add_account(long_name)
    bench.add_account('Parts: and Service')
    bench.add_account('Duplicate Name Inc')
    bench.add_account('duplicate name inc', supplier=True)
    bench.add_account('Fine Customer')
    assert bench.update().completed
    links = bench.links()
    assert links[long_name].status == LinkStatus.EXPORT_BLOCKED
    assert 'longer than 41' in links[long_name].message
    assert links['Parts: and Service'].status == LinkStatus.EXPORT_BLOCKED
    assert 'colon' in links['Parts: and Service'].message
    assert links['Duplicate Name Inc'].status == LinkStatus.ENABLED
    assert links['duplicate name inc'].status == LinkStatus.EXPORT_BLOCKED
    assert 'ignoring case' in links['duplicate name inc'].message
    assert links['Fine Customer'].status == LinkStatus.ENABLED
    problems = {problem['name'] for problem in bench.status()['problems']}
    assert {long_name, 'Parts: and Service', 'duplicate name inc'} <= problems

    bench.edit_account(too_long, name='A shorter name')
    assert bench.update().completed
    assert bench.links()['A shorter name'].status == LinkStatus.ENABLED
    assert 'A shorter name' in bench.qb('CustomerRet')


def test_names_differing_only_in_the_case_of_accented_letters_are_the_same_name(bench):
    """The lookup lowers names in Python: SQLite's LOWER() would leave É alone and miss the clash."""
    bench.add_account('Émile Café SARL')
    bench.add_account('ÉMILE CAFÉ SARL', supplier=True)
    assert bench.update().completed
    links = bench.links()
    assert links['Émile Café SARL'].status == LinkStatus.ENABLED
    assert links['ÉMILE CAFÉ SARL'].status == LinkStatus.EXPORT_BLOCKED
    assert 'ignoring case' in links['ÉMILE CAFÉ SARL'].message


def test_fields_are_fitted_per_field_not_per_message(us_bench):
    bench = us_bench
    bench.add_account(
        'Zoë Café',
        phone_office='+1 (555) 0100 extension 12345 and more',
        billing_address_city='C' * 40,
        description='Notes with ~ tilde and 北京',
    )
    assert bench.update().completed
    customer = bench.qb('CustomerRet')['Zoë Café']
    assert customer['Phone'] == '+1 (555) 0100 extension'[:21].rstrip()
    assert customer['BillAddress']['City'] == 'C' * 31
    assert customer['Notes'] == 'Notes with ~ tilde and Bei Jing'
