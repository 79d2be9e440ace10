"""The company file: persistence across opens and processes, seeds, refusing to overwrite, reading back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qbsim import Company, SeedError

REPO_ROOT = Path(__file__).resolve().parents[2]
ADD = ('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">'
       '<CustomerAddRq><CustomerAdd><Name>Persisted</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>')


def test_company_persists_between_opens(tmp_path):
    path = tmp_path / 'file.qbsim'
    created = Company.create(path, company_name='Persistent Ltd')
    created.process(ADD)
    created.close()
    reopened = Company.open(path)
    assert reopened.company_name == 'Persistent Ltd'
    assert reopened.find('CustomerRet', 'Persisted') is not None
    assert 'statusCode="3100"' in reopened.process(ADD)
    reopened.close()


def test_company_persists_between_processes(tmp_path):
    path = tmp_path / 'shared.qbsim'
    Company.create(path).close()
    script = f'import qbsim; c = qbsim.Company.open({str(path)!r}); c.process({ADD!r}); c.close()'
    subprocess.run([sys.executable, '-c', script], check=True, cwd=REPO_ROOT)
    company = Company.open(path)
    assert company.find('CustomerRet', 'Persisted') is not None
    company.close()


def test_create_refuses_to_overwrite(tmp_path):
    path = tmp_path / 'once.qbsim'
    Company.create(path).close()
    with pytest.raises(FileExistsError):
        Company.create(path)


def test_open_requires_an_existing_company_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        Company.open(tmp_path / 'missing.qbsim')


def test_seed_goes_through_add_rules(tmp_path):
    seed = {'Customer': [{'Name': 'Acme', 'BillAddress': {'City': 'Boston'}, 'TermsRef': {'FullName': 'Net 30'}},
                         {'Name': 'Office', 'ParentRef': {'FullName': 'Acme'}}],
            'ItemService': [{'Name': 'Labour', 'SalesOrPurchase': {'Price': '80.00',
                                                                   'AccountRef': {'FullName': 'Services'}}}],
            'Vendor': [{'Name': 'Supplier', 'IsActive': False}]}
    company = Company.create(tmp_path / 'seeded.qbsim', seed=seed)
    assert company.find('CustomerRet', 'Acme:Office')['Sublevel'] == '1'
    assert company.find('CustomerRet', 'Acme')['TermsRef']['FullName'] == 'Net 30'
    assert company.find('VendorRet', 'Supplier')['IsActive'] == 'false'
    assert company.find('ItemServiceRet', 'Labour')['SalesOrPurchase']['Price'] == '80.00'
    company.close()


@pytest.mark.parametrize(('seed', 'fragment'), [
    ({'Customer': [{'Name': 'Dup'}], 'Vendor': [{'Name': 'dup'}]}, '3100'),
    ({'Customer': [{'Name': 'X', 'TermsRef': {'FullName': 'Net 99'}}]}, '3140'),
    ({'Widget': [{'Name': 'X'}]}, 'Widget'),
])
def test_seed_refused_objects_are_reported(tmp_path, seed, fragment):
    with pytest.raises(SeedError, match=fragment):
        Company.create(tmp_path / 'bad.qbsim', seed=seed)
    assert not (tmp_path / 'bad.qbsim').exists(), 'a company that could not be seeded is not left behind'


def test_query_objects_and_get(company):
    customers = company.query_objects('CustomerRet')
    assert customers == []
    accounts = company.query_objects('AccountRet')
    assert all(doc['_type'] == 'AccountRet' for doc in accounts)
    first = accounts[0]
    assert company.get('AccountRet', first['ListID'])['Name'] == first['Name']
    assert company.get('CustomerRet', first['ListID']) is None
    json.dumps(company.query_objects())


def test_company_properties(make_company):
    company = make_company('props.qbsim', edition='UK', qbxml_version='12.0')
    assert company.edition == 'UK'
    assert company.supported_qbxml_versions[0] == 'UK2.0'
    assert company.supported_qbxml_versions[-1] == 'UK12.0'
    assert company.product_name.startswith('QuickBooks')
    assert company.file_path.name == 'props.qbsim'


def test_thousand_customer_adds_in_one_message(company, message):
    requests = [f'<CustomerAddRq requestID="{number}"><CustomerAdd><Name>Customer {number:04d}</Name>'
                f'<BillAddress><City>Town {number % 17}</City></BillAddress></CustomerAdd></CustomerAddRq>'
                for number in range(1000)]
    response = company.process(message(*requests))
    assert response.count('statusCode="0"') == 1000
    assert len(company.query_objects('CustomerRet')) == 1000
