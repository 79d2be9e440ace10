"""A first sync both ways and a second run that changes nothing, on US, CA and UK companies."""

from __future__ import annotations

import pytest
from lxml import etree

from onecrm_finance_qb.models.links import FirstSync, LinkStatus

from .schema import assert_requests_valid

pytestmark = pytest.mark.slow

SEED = {
    'Customer': [
        {
            'Name': 'Acme Widgets',
            'FirstName': 'Ann',
            'LastName': 'Lee',
            'Phone': '555-0100',
            'BillAddress': {'Addr1': '1 Main St', 'City': 'Springfield'},
        }
    ],
    'Vendor': [{'Name': 'Paper Supply Co', 'Email': 'sales@paper.example'}],
}


def test_first_sync_both_ways_then_nothing_changes(bench, qbxml_xsd_dir):
    bench.qb_process(seed_message(bench))
    customer_id = bench.add_account(
        'Globex Corporation',
        contact=('Hank', 'Scorpio'),
        phone_office='555-0199',
        billing_address_street='2 Cypress Creek\nSuite 5',
        billing_address_city='Portland',
    )
    bench.add_account('Initech Supplies', supplier=True)

    result = bench.update()
    assert result.completed, (result.outcome, result.error, result.last_error_text)

    customers = bench.qb('CustomerRet')
    assert {'Acme Widgets', 'Globex Corporation'} <= customers.keys()
    assert customers['Globex Corporation']['BillAddress']['Addr2'] == 'Suite 5'
    assert 'Initech Supplies' in bench.qb('VendorRet')
    [acme] = bench.accounts_named('Acme Widgets')
    assert not acme.is_supplier
    [paper] = bench.accounts_named('Paper Supply Co')
    assert paper.is_supplier
    links = bench.links()
    assert links['Globex Corporation'].first_sync == FirstSync.EXPORTED
    assert links['Acme Widgets'].first_sync == FirstSync.IMPORTED
    entity_links = {**bench.links('Customer'), **bench.links('Vendor')}
    assert all(link.status == LinkStatus.ENABLED for link in entity_links.values()), entity_links
    assert links['Globex Corporation'].crm_id == customer_id

    second = bench.update()
    assert second.completed
    writes = {kind: count for kind, count in second.requests_by_type.items() if kind.endswith(('Add', 'Mod'))}
    assert writes == {}
    assert bench.links()['Globex Corporation'].status == LinkStatus.ENABLED
    assert len(bench.accounts_named('Acme Widgets')) == 1
    assert_requests_valid(bench, qbxml_xsd_dir)


def seed_message(bench) -> str:
    country = bench.company_path.name.split()[0]
    version = '13.0' if country == 'US' else f'{country}13.0'
    body = (
        '<CustomerAddRq requestID="1"><CustomerAdd><Name>Acme Widgets</Name><FirstName>Ann</FirstName>'
        '<LastName>Lee</LastName><BillAddress><Addr1>1 Main St</Addr1><City>Springfield</City></BillAddress>'
        '<Phone>555-0100</Phone></CustomerAdd></CustomerAddRq>'
        '<VendorAddRq requestID="2"><VendorAdd><Name>Paper Supply Co</Name><Email>sales@paper.example</Email>'
        '</VendorAdd></VendorAddRq>'
    )
    return (
        f'<?xml version="1.0"?><?qbxml version="{version}"?><QBXML><QBXMLMsgsRq onError="continueOnError">'
        f'{body}</QBXMLMsgsRq></QBXML>'
    )


#: What an Add or Mod of a customer or vendor asks QuickBooks to answer with: what the link keeps.
WRITE_ANSWER = {'ListID', 'TimeModified', 'EditSequence', 'Name', 'FullName', 'IsActive', 'ParentRef'}


def test_adds_and_mods_are_answered_with_what_the_link_keeps(us_bench, qbxml_xsd_dir):
    """QuickBooks returns the few elements the link keeps of a record it wrote, not the whole record."""
    bench = us_bench
    parent = bench.add_account('Globex Corporation', phone_office='555-0199', billing_address_city='Portland')
    bench.add_account('Phase 1', parent_id=parent, phone_office='555-0101')
    bench.add_account('Initech Supplies', supplier=True, billing_address_city='Austin')
    assert bench.update().completed
    bench.edit_account(parent, phone_office='555-0100')
    assert bench.update().completed

    answers = [etree.fromstring(path.read_bytes()) for path in sorted(bench.records.glob('run*/*-response.xml'))]
    writes = [rs for answer in answers for rs in answer.iter('CustomerAddRs', 'VendorAddRs', 'CustomerModRs')]
    assert sorted(rs.tag for rs in writes) == ['CustomerAddRs', 'CustomerAddRs', 'CustomerModRs', 'VendorAddRs']
    for rs in writes:
        [ret] = rs
        assert {child.tag for child in ret} <= WRITE_ANSWER
        assert {'ListID', 'EditSequence', 'Name'} <= {child.tag for child in ret}
    customers = bench.qb('CustomerRet')
    assert customers['Globex Corporation']['Phone'] == '555-0100'
    assert customers['Globex Corporation']['BillAddress']['City'] == 'Portland'
    links = {**bench.links('Customer'), **bench.links('Vendor')}
    assert links['Globex Corporation'].edit_sequence == customers['Globex Corporation']['EditSequence']
    assert links['Globex Corporation:Phase 1'].parent_qb_id == customers['Globex Corporation']['ListID']
    assert links['Initech Supplies'].qb_id == bench.qb('VendorRet')['Initech Supplies']['ListID']
    assert {link.status for link in links.values()} == {LinkStatus.ENABLED}
    assert_requests_valid(bench, qbxml_xsd_dir)
