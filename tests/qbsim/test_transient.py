"""Checklist 13: injected transient errors answer once, apply nothing, and survive reopening the file."""

from __future__ import annotations

import pytest

from qbsim import Company

ADD = '<CustomerAddRq requestID="r"><CustomerAdd><Name>Retry Me</Name></CustomerAdd></CustomerAddRq>'


@pytest.mark.parametrize('code', [3170, 3175, 3176, 3180])
def test_transient_code_once_then_normal(company, send, code):
    company.inject_transient('CustomerAdd', code)
    first = send(ADD)[0]
    assert (first.get('statusCode'), first.get('statusSeverity'), first.get('requestID')) == (str(code), 'Error', 'r')
    assert 'QuickBooks error message' in first.get('statusMessage')
    assert company.find('CustomerRet', 'Retry Me') is None
    assert send(ADD)[0].get('statusCode') == '0'


def test_transient_fault_persists_across_processes(tmp_path):
    path = tmp_path / 'faulty.qbsim'
    Company.create(path).close()
    writer = Company.open(path)
    writer.inject_transient('VendorQuery', 3175)
    writer.close()
    reader = Company.open(path)
    response = reader.process('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq '
                              'onError="continueOnError"><VendorQueryRq/><VendorQueryRq/></QBXMLMsgsRq></QBXML>')
    reader.close()
    assert response.count('statusCode="3175"') == 1


def test_only_transient_codes_can_be_injected(company):
    with pytest.raises(ValueError, match='3170'):
        company.inject_transient('CustomerAdd', 3100)
