"""Address regions on US, Canadian and UK companies: State, Province and County, both ways.

The CA and UK QuickBooks call an address's region ``Province`` and ``County``; qbsim, like them,
fails the whole message for a ``State`` there. The CRM has one region field per address.
"""

from __future__ import annotations

import pytest
from lxml import etree

from qbsim.schema.model import REGION_ELEMENT

from . import qb
from .schema import as_us_request, assert_requests_valid

pytestmark = pytest.mark.slow

#: A region of each edition's country, and another one to move to.
REGIONS = {'US': ('Oregon', 'Maine'), 'CA': ('Ontario', 'Quebec'), 'UK': ('Kent', 'Essex')}


def _country(bench) -> str:
    return bench.company_path.name.split()[0]


def _region_element(bench) -> str:
    return REGION_ELEMENT.get(_country(bench), 'State')


def test_regions_go_both_ways_in_the_editions_element(bench, qbxml_xsd_dir):
    region, other = REGIONS[_country(bench)]
    element = _region_element(bench)
    qb.add(
        bench,
        'Customer',
        f'<Name>Acme Widgets</Name><BillAddress><City>Leeds</City><{element}>{region}'
        f'</{element}></BillAddress><ShipAddress><{element}>{other}</{element}></ShipAddress>',
    )
    qb.add(
        bench, 'Vendor', f'<Name>Paper Supply Co</Name><VendorAddress><{element}>{region}</{element}></VendorAddress>'
    )
    globex = bench.add_account(
        'Globex Corporation',
        billing_address_city='Portland',
        billing_address_state=region,
        shipping_address_state=other,
    )
    initech = bench.add_account('Initech Supplies', supplier=True, billing_address_state=region)

    assert bench.update().completed
    customers, vendors = bench.qb('CustomerRet'), bench.qb('VendorRet')
    assert customers['Globex Corporation']['BillAddress'] == {'City': 'Portland', element: region}
    assert customers['Globex Corporation']['ShipAddress'] == {element: other}
    assert vendors['Initech Supplies']['VendorAddress'] == {element: region}
    [acme] = bench.accounts_named('Acme Widgets')
    assert (acme.billing_address_city, acme.billing_address_state, acme.shipping_address_state) == (
        'Leeds',
        region,
        other,
    )
    [paper] = bench.accounts_named('Paper Supply Co')
    assert paper.billing_address_state == region

    second = bench.update()
    assert second.completed
    assert not [kind for kind in second.requests_by_type if kind.endswith(('Add', 'Mod'))]

    bench.edit_account(globex, billing_address_state=other)
    bench.edit_account(initech, billing_address_state=other)
    qb.modify(bench, 'Customer', 'Acme Widgets', f'<ShipAddress><{element}>{region}</{element}></ShipAddress>')
    assert bench.update().completed
    assert bench.qb('CustomerRet')['Globex Corporation']['BillAddress'][element] == other
    assert bench.qb('VendorRet')['Initech Supplies']['VendorAddress'][element] == other
    [acme] = bench.accounts_named('Acme Widgets')
    assert acme.shipping_address_state == region
    assert bench.account(globex).billing_address_state == other
    third = bench.update()
    assert not [kind for kind in third.requests_by_type if kind.endswith(('Add', 'Mod'))]
    assert_requests_valid(bench, qbxml_xsd_dir)


def _message(version: str, address: str) -> str:
    return (
        f'<?xml version="1.0"?><?qbxml version="{version}"?><QBXML><QBXMLMsgsRq onError="continueOnError">'
        f'<CustomerAddRq requestID="1"><CustomerAdd><Name>A</Name><BillAddress>{address}</BillAddress>'
        '</CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>'
    )


def test_the_schema_check_maps_only_the_editions_region_back(qbxml_xsd_dir):
    schema = etree.XMLSchema(etree.parse(str(qbxml_xsd_dir / 'qbxmlops130.xsd')))
    assert schema.validate(as_us_request(_message('CA13.0', '<City>c</City><Province>Ontario</Province>')))
    assert schema.validate(as_us_request(_message('13.0', '<City>c</City><State>Oregon</State>')))
    assert not schema.validate(as_us_request(_message('UK13.0', '<Province>Kent</Province>')))
    assert not schema.validate(as_us_request(_message('CA13.0', '<Province>Ontario</Province><City>c</City>')))
    with pytest.raises(AssertionError, match='have no State'):
        as_us_request(_message('UK13.0', '<State>Kent</State>'))
