"""The committed structure tables are exactly what the derivation script makes from Intuit's schema."""

from __future__ import annotations

import json

from qbsim.schema.derive_tables import REQUEST_TYPES, TABLES_PATH, derive


def test_committed_tables_match_the_schema(qbxml_xsd_dir):
    committed = json.loads(TABLES_PATH.read_text(encoding='utf-8'))
    assert derive(qbxml_xsd_dir) == committed, 'run: python -m qbsim.schema.derive_tables ../shared/qbxml'


def test_tables_cover_transaction_requests_and_stay_compact():
    committed = json.loads(TABLES_PATH.read_text(encoding='utf-8'))
    for request_type in ('InvoiceAdd', 'InvoiceMod', 'ReceivePaymentAdd', 'BillPaymentCheckAdd', 'TxnDel',
                         'TxnDeletedQuery', 'ARRefundCreditCardAdd', 'SalesReceiptMod'):
        assert request_type in committed['requests']
    assert set(REQUEST_TYPES) <= set(committed['responses'])
    assert TABLES_PATH.stat().st_size < 2_000_000
