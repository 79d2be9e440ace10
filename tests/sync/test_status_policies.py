"""Status codes 3140 (a reference that does not resolve) and 3070 (text too long) end to end through qbsim."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hostcrm.extensions import db
from onecrm_finance_qb import state
from onecrm_finance_qb.models.links import LinkStatus, SyncLink
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.sync import manual
from qbsim.webconnector import run_update
from qbsim.webconnector.update import CallEvent

from . import qb
from .conftest import PASSWORD, SyncBench

pytestmark = pytest.mark.slow


def _terms_mappings(bench: SyncBench, name: str) -> list[tuple[bool, str | None]]:
    with bench.app.app_context():
        query = sa.select(ListMapping.deleted, ListMapping.crm_value).where(
            ListMapping.server_id == bench.server_id, ListMapping.kind == ListKind.TERMS, ListMapping.name == name
        )
        return [tuple(row) for row in db.session.execute(query.order_by(ListMapping.id))]


def test_3140_waits_for_the_deleted_terms_without_holding_up_the_batch(us_bench):
    """Terms deleted in QuickBooks while the update runs: the customer waits, names what it waits for, and
    goes once the terms are back; the customer sent in the same message is exported at once."""
    bench = us_bench
    assert bench.update().completed
    bench.cli('config', 'set', 'mapping.terms.Net 30', '+')
    bench.add_account('Globex Corporation', default_terms='Net 30')
    bench.add_account('Hooli')

    def delete_the_terms_before_the_adds(event: CallEvent) -> None:
        adds = event.operation == 'sendRequestXML' and '<CustomerAddRq' in str(event.answer)
        if adds and 'Net 30' in bench.qb('StandardTermsRet'):
            qb.delete(bench, 'StandardTerms', 'Net 30')

    result = run_update(bench.qwc, PASSWORD, bench.company_path, progress=delete_the_terms_before_the_adds)
    assert result.completed
    assert result.responses_by_status['CustomerAdd'] == {3140: 1, 0: 1}
    links = bench.links('Customer')
    assert links['Hooli'].status == LinkStatus.ENABLED
    waiting = links['Globex Corporation']
    assert (waiting.status, waiting.qb_id) == (LinkStatus.PENDING_EXPORT, None)
    assert 'Waiting for a record it refers to' in waiting.message
    assert 'QuickBooks Terms' in waiting.message

    refreshed = bench.update()
    assert refreshed.completed
    assert 'CustomerAdd' not in refreshed.requests_by_type
    assert _terms_mappings(bench, 'Net 30') == [(True, 'Net 30')]
    waiting = bench.links('Customer')['Globex Corporation']
    assert waiting.status == LinkStatus.PENDING_EXPORT
    assert waiting.message == 'Terms Net 30 are not mapped to QuickBooks terms.'

    qb.add(bench, 'StandardTerms', '<Name>Net 30</Name><StdDueDays>30</StdDueDays>')
    assert bench.update().completed
    assert _terms_mappings(bench, 'Net 30') == [(True, 'Net 30'), (False, 'Net 30')]
    link = bench.links('Customer')['Globex Corporation']
    assert (link.status, link.message) == (LinkStatus.ENABLED, '')
    customer = bench.qb('CustomerRet')['Globex Corporation']
    assert customer['TermsRef']['ListID'] == bench.qb('StandardTermsRet')['Net 30']['ListID']


def test_an_unmapped_account_type_waits_with_the_reason(us_bench):
    bench = us_bench
    bench.add_account('Globex Corporation', account_type='No Such Type')
    bench.add_account('Hooli')
    assert bench.update().completed
    links = bench.links('Customer')
    assert links['Hooli'].status == LinkStatus.ENABLED
    waiting = links['Globex Corporation']
    assert (waiting.status, waiting.message) == (
        LinkStatus.PENDING_EXPORT,
        'Account type No Such Type is not mapped to a QuickBooks customer type.',
    )


def _re_register(bench: SyncBench, name: str) -> None:
    """The Re-Register action of the Entity Sync list on one record."""
    with bench.app.app_context():
        server = db.session.get(QBServer, bench.server_id)
        selected = sa.and_(SyncLink.server_id == bench.server_id, SyncLink.name == name)
        assert manual.re_register(db.session, state.get_host(bench.app), server, selected) == 1
        db.session.commit()


def test_3070_blocks_naming_the_field_until_the_crm_value_is_fixed(us_bench):
    """A QuickBooks whose Phone limit is shorter than the schema's: the record is Export Blocked (Update
    Blocked once exported) with the field named, the others go on, and the fixed record is sent."""
    bench = us_bench
    company = bench.company()
    company.limit_field('Phone', 12)
    company.close()
    globex = bench.add_account('Globex Corporation', phone_office='+1 555 0100 ext 42')
    hooli = bench.add_account('Hooli', phone_office='555-0100')

    result = bench.update()
    assert result.completed
    assert result.responses_by_status['CustomerAdd'] == {3070: 1, 0: 1}
    links = bench.links('Customer')
    assert links['Hooli'].status == LinkStatus.ENABLED
    blocked = links['Globex Corporation']
    assert blocked.status == LinkStatus.EXPORT_BLOCKED
    assert 'in the field "Phone" is too long' in blocked.message

    again = bench.update()
    assert again.completed
    assert 'CustomerAdd' not in again.requests_by_type
    assert bench.links('Customer')['Globex Corporation'].status == LinkStatus.EXPORT_BLOCKED

    bench.edit_account(globex, phone_office='555-0100 x42')
    _re_register(bench, 'Globex Corporation')
    assert bench.links('Customer')['Globex Corporation'].status == LinkStatus.PENDING_EXPORT
    assert bench.update().completed
    assert bench.links('Customer')['Globex Corporation'].status == LinkStatus.ENABLED
    assert bench.qb('CustomerRet')['Globex Corporation']['Phone'] == '555-0100 x42'

    bench.edit_account(hooli, phone_office='+1 555 0100 ext 99')
    assert bench.update().completed
    link = bench.links('Customer')['Hooli']
    assert link.status == LinkStatus.UPDATE_BLOCKED
    assert 'in the field "Phone" is too long' in link.message
    assert bench.qb('CustomerRet')['Hooli']['Phone'] == '555-0100'


def test_a_full_export_batch_of_waiting_records_does_not_hide_the_ones_behind(us_bench):
    bench = us_bench
    bench.cli('config', 'set', 'batch.accounts_export', '2')
    for name in ('Globex Corporation', 'Initech', 'Umbrella Corp'):
        bench.add_account(name, account_type='No Such Type')
    bench.add_account('Hooli')
    assert bench.update().completed
    links = bench.links('Customer')
    assert links['Hooli'].status == LinkStatus.ENABLED
    assert 'Hooli' in bench.qb('CustomerRet')
    assert {links[name].status for name in ('Globex Corporation', 'Initech', 'Umbrella Corp')} == {
        LinkStatus.PENDING_EXPORT
    }
