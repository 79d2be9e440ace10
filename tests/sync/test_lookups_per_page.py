"""A page of imports or a batch of exports looks links up a fixed number of times, however long it is.

Each lookup first flushes what the page wrote so far, so a lookup per record made a large first
sync slow: namesakes' links and modification times, and jobs' customers, are read once per page
or batch. The same round is run with few and with many records, and the SELECTs on the links
compared. They are not always equal: QuickBooks' modification times have a one-second
resolution, so whether a window is read again varies by a query or two between rounds; a
lookup per record would add one query per extra record, twice the margin allowed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from hostcrm.extensions import db
from onecrm_finance_qb.models.links import FirstSync, LinkStatus

from . import qb

pytestmark = pytest.mark.slow


#: Records in the small and the large round.
SMALL, LARGE = 2, 22


def _link_selects(bench, action: Callable[[], None]) -> int:
    """How many SELECTs on the links ``action`` made the server send."""
    selects = 0

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        nonlocal selects
        if statement.lstrip().upper().startswith('SELECT') and 'FROM qb_links' in statement:
            selects += 1

    with bench.app.app_context():
        engine = db.engine
    sa.event.listen(engine, 'before_cursor_execute', count)
    try:
        action()
    finally:
        sa.event.remove(engine, 'before_cursor_execute', count)
    return selects


def _completed(bench) -> None:
    result = bench.update()
    assert result.completed, (result.outcome, result.error, result.last_error_text)


def _customers(bench) -> dict[str, dict]:
    """QuickBooks customers and jobs by full name (jobs of different customers share a name)."""
    company = bench.company()
    try:
        return {obj['FullName']: obj for obj in company.query_objects('CustomerRet')}
    finally:
        company.close()


def _import_namesakes(bench, prefix: str, size: int) -> int:
    """CRM customers never exported, each with a QuickBooks namesake that has a job: linked and imported."""
    accounts = {}
    for number in range(size):
        name = f'{prefix} {number:02}'
        accounts[name] = bench.add_account(name)
        qb.add(bench, 'Customer', f'<Name>{name}</Name>')
        qb.add(bench, 'Customer', f'<Name>Phase 1</Name><ParentRef><FullName>{name}</FullName></ParentRef>')
    selects = _link_selects(bench, lambda: _completed(bench))

    links = bench.links('Customer')
    jobs = {account.id: account for account in bench.accounts_named('Phase 1')}
    for name, account_id in accounts.items():
        link = links[name]
        assert (link.crm_id, link.status, link.first_sync) == (account_id, LinkStatus.ENABLED, FirstSync.IMPORTED)
        job = links[f'{name}:Phase 1']
        assert (job.status, job.first_sync, job.parent_qb_id) == (LinkStatus.ENABLED, FirstSync.IMPORTED, link.qb_id)
        assert jobs[job.crm_id].parent_id == account_id
    # The next update registers the accounts this one created, so that each round starts alike.
    _completed(bench)
    return selects


def _export_jobs(bench, prefix: str, size: int) -> int:
    """CRM jobs whose customers are already in QuickBooks: each Add names its customer's ListID."""
    customers = {f'{prefix} {number:02}': bench.add_account(f'{prefix} {number:02}') for number in range(size)}
    _completed(bench)
    for account_id in customers.values():
        bench.add_account('Phase 1', parent_id=account_id)
    selects = _link_selects(bench, lambda: _completed(bench))

    in_quickbooks = _customers(bench)
    links = bench.links('Customer')
    for name in customers:
        assert in_quickbooks[f'{name}:Phase 1']['ParentRef']['ListID'] == links[name].qb_id
        assert links[f'{name}:Phase 1'].status == LinkStatus.ENABLED
    return selects


def test_importing_namesakes_and_their_jobs_looks_links_up_once_a_page(us_bench):
    bench = us_bench
    bench.cli('config', 'set', 'export.customers', 'false')
    _completed(bench)

    small = _import_namesakes(bench, 'Small', SMALL)
    large = _import_namesakes(bench, 'Large', LARGE)

    assert len(bench.accounts_named('Phase 1')) == SMALL + LARGE
    assert large < small + (LARGE - SMALL) // 2


def test_exporting_jobs_looks_their_customers_up_once_a_batch(us_bench):
    bench = us_bench
    _completed(bench)

    small = _export_jobs(bench, 'Small', SMALL)
    large = _export_jobs(bench, 'Large', LARGE)

    assert len(bench.accounts_named('Phase 1')) == SMALL + LARGE
    assert large < small + (LARGE - SMALL) // 2
