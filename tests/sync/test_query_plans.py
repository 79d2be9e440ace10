"""Every link and CRM lookup an update makes is served by an index: none reads all of a server's links.

Table scans do not fail a test on a small bench, they make a large company slow; so the plans
SQLite chooses for the statements of a real update are checked instead of timings.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hostcrm.extensions import db

from . import qb
from .conftest import sync_two_customers

pytestmark = pytest.mark.slow

#: Tables whose size grows with the company: a lookup in them must not read them whole.
LARGE_TABLES = ('qb_links', 'accounts', 'products', 'qb_requests')


def _plans_of_an_update(bench) -> dict[str, list[str]]:
    """The SELECTs on the large tables during one update, with the plan SQLite chose for each."""
    statements: list[tuple[str, tuple]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith('SELECT') and any(f'FROM {t}' in statement for t in LARGE_TABLES):
            statements.append((statement, parameters))

    with bench.app.app_context():
        engine = db.engine
    sa.event.listen(engine, 'before_cursor_execute', keep)
    try:
        assert bench.update().completed
    finally:
        sa.event.remove(engine, 'before_cursor_execute', keep)
    plans = {}
    with engine.connect() as connection:
        for statement, parameters in statements:
            rows = connection.exec_driver_sql(f'EXPLAIN QUERY PLAN {statement}', parameters)
            plans[statement] = [row[-1] for row in rows]
    return plans


def test_an_update_reads_no_large_table_whole(us_bench):
    bench = sync_two_customers(us_bench)
    bench.add_account('Initech')
    bench.edit_account(bench.globex, phone_office='555-0123')
    qb.add(bench, 'Customer', '<Name>Hooli</Name>')
    qb.modify(bench, 'Customer', 'Acme Widgets', '<Phone>555-0777</Phone>')
    plans = _plans_of_an_update(bench)
    assert any('FROM qb_links' in statement for statement in plans)
    walking = {
        statement: plan
        for statement, plan in plans.items()
        if any(step.startswith(f'SCAN {table}') or 'qb_id>?' in step for step in plan for table in LARGE_TABLES)
    }
    assert walking == {}


def test_links_are_looked_up_by_name_through_the_name_index(us_bench):
    """The lookup of a new QuickBooks record's unsent namesake too.

    Unsent links all share a NULL ListID: looked up by (type, ListID), each page read every one of them.
    """
    bench = sync_two_customers(us_bench)
    bench.add_account('Initech')
    bench.add_account('Hooli')
    qb.add(bench, 'Customer', '<Name>Hooli</Name>')
    plans = _plans_of_an_update(bench)
    by_name = {
        statement: plan
        for statement, plan in plans.items()
        if 'FROM qb_links' in statement and 'name_key IN' in statement
    }
    assert by_name
    for plan in by_name.values():
        assert any('USING INDEX ix_qb_links_server_name_key' in step for step in plan), plan
