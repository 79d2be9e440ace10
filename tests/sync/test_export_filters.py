"""The export options "only customers with an invoice" and "only suppliers with a bill", end to end."""

from __future__ import annotations

from datetime import date

import pytest

from hostcrm.extensions import db
from hostcrm.models import Bill, Invoice
from onecrm_finance_qb.sync.handlers.entities import CustomerFamily

from .conftest import SyncBench

pytestmark = pytest.mark.slow

#: (QuickBooks type, setting, the document that counts, whether the accounts are suppliers)
FILTERS = [
    pytest.param('Customer', 'export.only_invoiced_accounts', Invoice, False, id='customers-with-an-invoice'),
    pytest.param('Vendor', 'export.only_billed_accounts', Bill, True, id='suppliers-with-a-bill'),
]


def _add_document(bench: SyncBench, model: type[Invoice | Bill], account_id: str, *, deleted: bool = False) -> None:
    with bench.app.app_context():
        number = db.session.query(model).count() + 1
        db.session.add(
            model(
                number=number,
                name=f'Document {number}',
                account_id=account_id,
                issue_date=date(2026, 11, 2),
                deleted=deleted,
            )
        )
        db.session.commit()


@pytest.mark.parametrize(('qb_type', 'setting', 'model', 'supplier'), FILTERS)
def test_only_accounts_with_a_document_are_exported_and_a_first_document_exports_the_next_run(
    us_bench, qb_type, setting, model, supplier
):
    bench = us_bench
    bench.cli('config', 'set', setting, 'true')
    trading = bench.add_account('Globex Corporation', supplier=supplier)
    _add_document(bench, model, trading)
    quiet = bench.add_account('Hooli', supplier=supplier)
    lapsed = bench.add_account('Initech', supplier=supplier)
    _add_document(bench, model, lapsed, deleted=True)

    assert bench.update().completed
    assert set(bench.links(qb_type)) == {'Globex Corporation'}, 'the others are not even registered'
    assert set(bench.qb(f'{qb_type}Ret')) == {'Globex Corporation'}

    _add_document(bench, model, quiet)
    assert bench.update().completed
    assert set(bench.qb(f'{qb_type}Ret')) == {'Globex Corporation', 'Hooli'}
    assert set(bench.links(qb_type)) == {'Globex Corporation', 'Hooli'}


@pytest.mark.parametrize(('qb_type', 'setting', 'model', 'supplier'), FILTERS)
def test_with_the_option_off_every_account_is_exported(us_bench, qb_type, setting, model, supplier):
    bench = us_bench
    assert bench.cli('config', 'set', setting, 'false').strip() == f'{setting} = False'
    trading = bench.add_account('Globex Corporation', supplier=supplier)
    _add_document(bench, model, trading)
    bench.add_account('Hooli', supplier=supplier)
    assert bench.update().completed
    assert set(bench.qb(f'{qb_type}Ret')) == {'Globex Corporation', 'Hooli'}


def test_an_invoice_does_not_export_a_supplier_and_a_bill_does_not_export_a_customer(us_bench):
    bench = us_bench
    bench.cli('config', 'set', 'export.only_invoiced_accounts', 'true')
    bench.cli('config', 'set', 'export.only_billed_accounts', 'true')
    supplier = bench.add_account('Acme Supplies', supplier=True)
    customer = bench.add_account('Globex Corporation')
    _add_document(bench, Invoice, supplier)
    _add_document(bench, Bill, customer)
    assert bench.update().completed
    assert bench.qb('CustomerRet') == {}
    assert bench.qb('VendorRet') == {}
    assert bench.links('Customer') == {}
    assert bench.links('Vendor') == {}


class _Context:
    """The little of a sync context the registration filter reads."""

    def __init__(self, host: object) -> None:
        self.host = host

    def setting(self, key: str) -> bool:
        return key == 'export.only_invoiced_accounts'


def test_a_host_that_cannot_tell_which_accounts_have_invoices_exports_every_account():
    """A host of contract version 1 has no ``account_documents``: the option cannot apply."""
    assert CustomerFamily().exportable(_Context(host=object()), ['a', 'b']) == {'a', 'b'}
