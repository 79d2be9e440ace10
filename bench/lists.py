"""Scenario 3: how long the Finance (QB) admin pages take to render with many links.

The pages are rendered in the benchmark's process through Flask's test client, logged in as an
administrator, several times each; the median is reported. The lists filter, sort and page in
the database, so their time should not grow with the number of links.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from flask import Flask

from bench.scenario import command
from hostcrm.auth import find_user
from hostcrm.demo.tables import format_table

ADMIN = 'benchadmin'
ADMIN_PASSWORD = 'benchmark admin password'  # noqa: S105 - a throw-away local scenario
REPEAT = 5
TARGET_MS = 200
#: (label, path, query string)
PAGES = (
    ('Entity Sync, first page', '/finance-qb/sync/entities', {}),
    ('Entity Sync, 200 rows a page', '/finance-qb/sync/entities', {'size': '200'}),
    ('Entity Sync, newest first', '/finance-qb/sync/entities', {'sort': 'modified', 'dir': 'desc'}),
    ('Entity Sync, name search', '/finance-qb/sync/entities', {'name': 'Customer 0004'}),
    ('Entity Sync, blocked only', '/finance-qb/sync/entities', {'status': 'all_blocked'}),
    ('Item Sync, first page', '/finance-qb/sync/items', {}),
    ('Run history', '/finance-qb/runs/', {}),
    ('Finance (QB) status', '/finance-qb/', {}),
)


@dataclass(frozen=True)
class PageTiming:
    label: str
    status_code: int
    median_ms: float


def measure_pages(app: Flask) -> list[PageTiming]:
    """Render each page once to warm up, then ``REPEAT`` times; the median of the timed renders."""
    command(app, 'create-admin', ADMIN, ADMIN_PASSWORD)
    with app.app_context():
        user_id = find_user(ADMIN).id
    client = app.test_client()
    with client.session_transaction() as session:
        session['_user_id'] = user_id
        session['_fresh'] = True
    timings = []
    for label, path, query in PAGES:
        status_code = client.get(path, query_string=query).status_code
        elapsed = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            client.get(path, query_string=query)
            elapsed.append(time.perf_counter() - started)
        timings.append(PageTiming(label, status_code, statistics.median(elapsed) * 1000))
    return timings


def lists_table(timings: list[PageTiming], links: int) -> str:
    rows = [[timing.label, f'{timing.median_ms:.1f}' if timing.status_code == 200 else f'HTTP {timing.status_code}',
             'yes' if timing.status_code == 200 and timing.median_ms < TARGET_MS else 'no', '-']
            for timing in timings]
    title = f'3. Admin pages with {links:,} links: median render time of {REPEAT}'
    return f'{title}\n' + format_table(['page', 'ours, ms', f'under {TARGET_MS} ms', 'original'], rows)
