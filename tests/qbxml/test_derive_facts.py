"""The committed facts table is exactly what the derivation script makes from Intuit's schema."""

from __future__ import annotations

import json

from onecrm_finance_qb.qbxml import derive_facts, facts


def test_committed_table_matches_a_fresh_derivation(qbxml_xsd_dir, tmp_path) -> None:
    output = tmp_path / 'schema_facts.json'
    derive_facts.main([str(qbxml_xsd_dir), '--output', str(output)])
    assert output.read_text(encoding='utf-8') == derive_facts.FACTS_PATH.read_text(encoding='utf-8')


def test_table_is_compact_and_free_of_documentation() -> None:
    text = derive_facts.FACTS_PATH.read_text(encoding='utf-8')
    assert len(text) < 200_000
    assert 'Intuit' not in text
    assert 'appinfo' not in text
    assert json.loads(text)['schema'] == 'qbXML 13.0'


def test_facts_of_a_request() -> None:
    spec = facts.request('CustomerQuery')
    assert spec.wrapper is None
    assert {'requestID', 'iterator', 'iteratorID', 'metaData'} <= spec.attributes
    assert facts.request('AccountQuery').attributes == {'requestID', 'metaData'}
    assert facts.request('InvoiceAdd').wrapper.name == 'InvoiceAdd'
    assert facts.field('CustomerAdd.Name').leaf.max_length == 41
    assert facts.field('CustomerAdd.Name').min_occurs == 1
    assert facts.field('InvoiceAdd.InvoiceLineAdd.Amount').leaf.base == 'AMT'
    assert facts.field('InvoiceAdd.InvoiceLineAdd.Quantity').leaf.base == 'QUAN'
    assert facts.field('InvoiceAdd.InvoiceLineAdd.IsTaxable').deprecated
    assert facts.field('CustomerQuery.ActiveStatus').leaf.enum == {'ActiveOnly', 'InactiveOnly', 'All'}
    assert facts.ret_type('InvoiceRet', 'TimeCreated') == 'DATETIME'
    assert 'LinkedTxn' in facts.ret_repeated()
