"""Status-code policies end to end, a poisoned batch, a lost response, and the per-update request cap."""

from __future__ import annotations

import dataclasses
import json

import pytest
import sqlalchemy as sa

from hostcrm.extensions import db
from onecrm_finance_qb.models.cursors import SyncCursor
from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncLink
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.qbxml import RequestBuildError
from onecrm_finance_qb.sync import outbox
from qbsim.webconnector import run_update
from qbsim.webconnector.faults import FaultPlan
from qbsim.webconnector.quickbooks import RequestProcessor

from . import qb
from .conftest import PASSWORD, sync_two_customers
from .schema import assert_requests_valid

pytestmark = pytest.mark.slow


def test_3100_links_to_the_same_kind_of_record_with_that_name(us_bench):
    bench = us_bench
    bench.cli('config', 'set', 'import.customers', 'false')
    qb.add(bench, 'Customer', '<Name>Globex Corporation</Name><Phone>555-0000</Phone>')
    bench.add_account('Globex Corporation', phone_office='555-0199')
    result = bench.update()
    assert result.completed
    assert result.responses_by_status['CustomerAdd'][3100] == 1
    assert len(bench.qb('CustomerRet')) == 1
    assert bench.qb('CustomerRet')['Globex Corporation']['Phone'] == '555-0199'
    link = bench.links('Customer')['Globex Corporation']
    assert (link.status, link.first_sync) == (LinkStatus.ENABLED, FirstSync.EXPORTED)


def test_3100_blocks_when_another_kind_of_record_has_the_name(us_bench):
    bench = us_bench
    bench.cli('config', 'set', 'import.vendors', 'false')
    qb.add(bench, 'Vendor', '<Name>Initrode</Name>')
    bench.add_account('Initrode')
    assert bench.update().completed
    link = bench.links('Customer')['Initrode']
    assert link.status == LinkStatus.EXPORT_BLOCKED
    assert 'already used in QuickBooks' in link.message


def test_a_message_of_confirmed_and_refused_adds_records_each(us_bench):
    """The confirmed Adds around a refused one are recorded together; the refused one gets its own handling."""
    bench = us_bench
    bench.cli('config', 'set', 'import.vendors', 'false')
    qb.add(bench, 'Vendor', '<Name>Initrode</Name>')
    for name in ('Alpha Industries', 'Initrode', 'Zeta Holdings'):
        bench.add_account(name)

    result = bench.update()

    assert result.completed
    assert result.responses_by_status['CustomerAdd'] == {0: 2, 3100: 1}
    customers = bench.qb('CustomerRet')
    links = bench.links('Customer')
    for name in ('Alpha Industries', 'Zeta Holdings'):
        link = links[name]
        assert (link.status, link.first_sync, link.qb_id) == (LinkStatus.ENABLED, FirstSync.EXPORTED,
                                                              customers[name]['ListID']), name
        assert link.edit_sequence == customers[name]['EditSequence']
    assert links['Initrode'].status == LinkStatus.EXPORT_BLOCKED
    counts = bench.status()['runs'][0]['counts']
    assert (counts['customers.exported'], counts['customers.blocked']) == (2, 1)


def test_3200_requeries_the_edit_sequence_and_retries_once(us_bench, qbxml_xsd_dir):
    bench = us_bench
    globex = bench.add_account('Globex Corporation')
    assert bench.update().completed
    bench.cli('config', 'set', 'import.customers', 'false')
    qb.modify(bench, 'Customer', 'Globex Corporation', '<Fax>555-9999</Fax>')
    bench.edit_account(globex, phone_office='555-4242')
    result = bench.update()
    assert result.completed
    assert result.responses_by_status['CustomerMod'] == {3200: 1, 0: 1}
    assert bench.qb('CustomerRet')['Globex Corporation']['Phone'] == '555-4242'
    assert bench.links('Customer')['Globex Corporation'].status == LinkStatus.ENABLED
    assert_requests_valid(bench, qbxml_xsd_dir)


@pytest.mark.parametrize('code', [3170, 3175, 3176, 3180])
def test_transient_codes_retry_later_with_backoff(us_bench, code):
    bench = us_bench
    bench.cli('config', 'set', 'sync.retry_minutes', '0')
    bench.add_account('Globex Corporation')
    bench.add_account('Hooli')
    result = bench.update(f'transient:CustomerAdd:{code}')
    assert result.completed
    links = bench.links('Customer')
    waiting = [link for link in links.values() if link.status == LinkStatus.PENDING_EXPORT]
    assert len(waiting) == 1
    assert waiting[0].attempts == 1
    assert waiting[0].next_attempt_at is not None
    assert 'temporary' in waiting[0].message
    assert sum(link.status == LinkStatus.ENABLED for link in links.values()) == 1
    assert bench.update().completed
    assert {link.status for link in bench.links('Customer').values()} == {LinkStatus.ENABLED}


def test_poisoned_batch_is_split_until_the_bad_request_is_alone(us_bench, poison):
    bench = us_bench
    names = [f'Customer {number:02d}' for number in range(7)]
    for name in names:
        bench.add_account(name)
    bench.add_account('Poison Pill')
    poison('Poison Pill')
    result = bench.update()
    assert result.completed, (result.outcome, result.last_error_text)
    assert len(result.hresults) >= 2
    assert set(names) <= set(bench.qb('CustomerRet'))
    links = bench.links('Customer')
    assert links['Poison Pill'].status == LinkStatus.EXPORT_ERROR
    assert 'could not read the request' in links['Poison Pill'].message
    assert all(links[name].status == LinkStatus.ENABLED for name in names)


@pytest.mark.parametrize('import_customers', ['true', 'false'])
def test_lost_response_does_not_duplicate_the_record(us_bench, import_customers):
    bench = us_bench
    bench.cli('config', 'set', 'import.customers', import_customers)
    account_id = bench.add_account('Globex Corporation')
    plan = FaultPlan()
    sent = []

    def lose_the_add(event):
        if event.operation == 'sendRequestXML' and event.answer:
            sent.append(event.answer)
            if '<CustomerAddRq' in event.answer:
                plan.lose_response.add(len(sent))

    result = run_update(bench.qwc, PASSWORD, bench.company_path, faults=plan, progress=lose_the_add)
    assert result.outcome == 'connection-lost'
    assert 'Globex Corporation' in bench.qb('CustomerRet')
    assert bench.links('Customer')['Globex Corporation'].status == LinkStatus.IN_FLIGHT

    again = bench.update()
    assert again.completed
    assert 'CustomerAdd' not in again.requests_by_type
    assert len(bench.qb('CustomerRet')) == 1
    link = bench.links('Customer')['Globex Corporation']
    assert link.status == LinkStatus.ENABLED
    assert link.qb_id == bench.qb('CustomerRet')['Globex Corporation']['ListID']
    # Synced at the CRM version the lost Add sent, as its answer would have stamped it.
    assert link.crm_modified_at == bench.account(account_id).date_modified


def test_a_planned_add_or_mod_leaves_its_link_to_be_written_when_sent_and_answered(us_bench, monkeypatch):
    """Planning a customer's Add or Mod writes no link: sending marks the run, the answer stamps the CRM version sent.

    Writing both at planning as well cost an UPDATE of every exported or updated row more.
    """
    bench = sync_two_customers(us_bench)
    new_ids = [bench.add_account('Initech'), bench.add_account('Umbrella')]
    bench.edit_account(bench.globex, phone_office='555-0300')
    planned_writes, written_early = [], []
    enqueue = outbox.enqueue

    def watch(ctx, planned):
        items = list(planned)
        writes = {item.link_id: item.action for item in items if item.action in ('add', 'mod')}
        planned_writes.extend(writes.values())
        written_early.extend(link.name for link in ctx.db.dirty if isinstance(link, SyncLink) and link.id in writes)
        return enqueue(ctx, items)

    monkeypatch.setattr(outbox, 'enqueue', watch)
    assert bench.update().completed
    assert sorted(planned_writes) == ['add', 'add', 'mod']
    assert written_early == []
    links = bench.links('Customer')
    for account_id in [*new_ids, bench.globex]:
        account = bench.account(account_id)
        assert links[account.name].status == LinkStatus.ENABLED
        assert links[account.name].crm_modified_at == account.date_modified


def _customers_under_a_cap(bench, cap: int, customers: int) -> None:
    """``customers`` new CRM accounts to export two a message, products off, at most ``cap`` requests an update."""
    bench.cli('config', 'set', 'sync.max_requests_per_update', str(cap))
    bench.cli('config', 'set', 'batch.accounts_export', '2')
    bench.cli('config', 'set', 'import.products', 'false')
    bench.cli('config', 'set', 'export.products', 'false')
    for number in range(customers):
        bench.add_account(f'Customer {number}')


def test_a_run_cut_by_the_request_cap_is_resumed_by_the_next(us_bench):
    bench = us_bench
    _customers_under_a_cap(bench, cap=4, customers=5)
    first = bench.update()
    assert first.completed
    assert first.requests <= 4
    status = bench.status()
    assert status['runs'][0]['result'] == 'partial'
    assert 'resumes here' in status['runs'][0]['message']
    for _ in range(6):
        if len(bench.qb('CustomerRet')) == 5:
            break
        assert bench.update().requests <= 4
    assert len(bench.qb('CustomerRet')) == 5
    lists = [run.requests_by_type.get('AccountQuery', 0) for run in bench.runs]
    assert sum(lists) == 1


def _room_used(bench) -> tuple[int, int]:
    """The last run's running count of requests against the cap, and its requests sent, answered or failed."""
    with bench.app.app_context():
        numbering = json.loads(
            db.session.scalar(sa.select(SyncCursor.value).where(SyncCursor.key == outbox.NUMBERING_KEY))
        )
        spent = db.session.scalar(
            sa.select(sa.func.count(SentRequest.id)).where(
                SentRequest.run_id == numbering['run'],
                SentRequest.state.in_((outbox.SENT, outbox.ANSWERED, outbox.FAILED)),
            )
        )
    return numbering['used'], spent


def test_the_request_cap_is_checked_without_reading_the_requests_the_run_sent(us_bench):
    """Room under the cap is a running count: counting the rows walked the run's whole history twice a call."""
    bench = us_bench
    _customers_under_a_cap(bench, cap=8, customers=6)
    history_reads = []

    def watch(_conn, _cursor, statement, parameters, _context, _executemany):
        values = parameters.values() if isinstance(parameters, dict) else parameters or ()
        finished = {'answered', 'failed'} & {value for value in values if isinstance(value, str)}
        if finished and statement.lstrip().upper().startswith('SELECT') and 'FROM qb_requests' in statement:
            history_reads.append(statement)

    with bench.app.app_context():
        engine = db.engine
    sa.event.listen(engine, 'before_cursor_execute', watch)
    try:
        first = bench.update()
    finally:
        sa.event.remove(engine, 'before_cursor_execute', watch)
    assert history_reads == []
    assert first.completed
    assert first.requests == 8
    assert _room_used(bench) == (8, 8)
    assert bench.status()['runs'][0]['result'] == 'partial'
    assert bench.update().completed
    assert len(bench.qb('CustomerRet')) == 6


def test_the_running_count_is_what_counting_the_requests_gives(us_bench, poison, monkeypatch):
    """A split message's requests give their room back when queued again; one that cannot be built uses room."""
    bench = us_bench
    for name in ('Customer 1', 'Customer 2', 'Customer 3', 'Poison Pill', 'Unbuildable'):
        bench.add_account(name)
    poison('Poison Pill')
    build = outbox.build_request

    def refuse_one(request_type, fields, *args, **kwargs):
        if fields.get('Name') == 'Unbuildable':
            raise RequestBuildError('Name: refused on purpose')
        return build(request_type, fields, *args, **kwargs)

    monkeypatch.setattr(outbox, 'build_request', refuse_one)
    result = bench.update()
    assert result.completed, (result.outcome, result.last_error_text)
    links = bench.links('Customer')
    assert (links['Poison Pill'].status, links['Unbuildable'].status) == (LinkStatus.EXPORT_ERROR,) * 2
    # Listed among the problems of the run that failed it.
    assert links['Unbuildable'].last_run_id == bench.status()['runs'][0]['id']
    assert len(result.hresults) >= 2
    used, spent = _room_used(bench)
    assert used == spent


def test_a_response_damaged_midway_ends_the_run_and_the_next_verifies_the_rest(us_bench, monkeypatch):
    """QuickBooks applied both Adds but only the first answer can be read: nothing is lost, resent or doubled."""
    bench = us_bench
    bench.cli('config', 'set', 'import.customers', 'false')
    bench.add_account('Globex Corporation')
    bench.add_account('Initech')
    process = RequestProcessor.process

    def damaged(self, request):
        processed = process(self, request)
        if request.count('<CustomerAddRq') == 2 and processed.response:
            cut = processed.response.index('</CustomerAddRs>') + len('</CustomerAddRs>')
            processed = dataclasses.replace(processed, response=processed.response[:cut] + '<CustomerAddRs')
        return processed

    monkeypatch.setattr(RequestProcessor, 'process', damaged)
    first = bench.update()
    monkeypatch.undo()

    assert first.percents[-1] == -1
    assert 'unreadable response' in (first.last_error_text or '')
    run = bench.status()['runs'][0]
    assert (run['result'], 'unreadable response' in run['message']) == ('partial', True)
    assert set(bench.qb('CustomerRet')) == {'Globex Corporation', 'Initech'}
    links = bench.links('Customer')
    answered, unknown = sorted(links.values(), key=lambda link: link.status != LinkStatus.ENABLED)
    assert answered.status == LinkStatus.ENABLED
    assert answered.qb_id == bench.qb('CustomerRet')[answered.name]['ListID']
    # QuickBooks may have applied it: it stays in flight until the next run asks.
    assert unknown.status == LinkStatus.IN_FLIGHT

    again = bench.update()
    assert again.completed
    assert 'CustomerAdd' not in again.requests_by_type
    assert len(bench.qb('CustomerRet')) == 2
    links = bench.links('Customer')
    assert {link.status for link in links.values()} == {LinkStatus.ENABLED}
    assert links[unknown.name].qb_id == bench.qb('CustomerRet')[unknown.name]['ListID']
