"""The benchmarks on a tiny scenario: every figure is measured and every table printed (no timing is asserted)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bench import original
from bench.measure import SyncMeasurement
from bench.report import ratio, targets_table
from bench.scenario import ScenarioSize
from bench.server import ServerStats
from bench.sync import parse_args, run

pytestmark = pytest.mark.slow


def test_tiny_scenario_measures_and_prints_every_table(tmp_path: Path):
    out = io.StringIO()
    args = parse_args(['--accounts', '30', '--products', '10', '--qb-customers', '20', '--qb-items', '10',
                       '--incremental-accounts', '50', '--delay-ms', '1', '--settle-seconds', '1',
                       '--workdir', str(tmp_path)])
    measured = run(args, out=out)
    printed = out.getvalue()

    initial = measured['initial']
    assert initial.completed
    assert initial.round_trips > 0
    assert initial.requests >= initial.round_trips
    assert initial.server.cpu_s > 0
    assert initial.server.queries > 0
    assert initial.server.peak_rss_bytes > 0
    assert initial.count('imported') > 0
    assert initial.count('exported') > 0
    assert initial.count('linked') > 0
    assert measured['initial_with_delay'].completed
    assert [size.accounts for size, _ in measured['initial_runs']] == [30, 50]
    assert [size.accounts for size, _ in measured['incremental']] == [30, 50]
    for _size, incremental in measured['incremental']:
        assert incremental.completed
        assert incremental.count('updated') > 0
        assert incremental.idle is not None
        assert incremental.idle.round_trips > 0
        assert incremental.idle.server.queries > 0
        assert incremental.first_after_start is not None
        assert incremental.first_after_start.round_trips == incremental.idle.round_trips
        assert incremental.first_after_start.server.queries > 0
    assert all(page.status_code == 200 for page in measured['pages'])
    for heading in ('1. Initial sync both ways', '1b. Initial sync at both sizes', '2. Incremental run',
                    '3. Admin pages', 'Targets'):
        assert heading in printed
    assert 'round trips (sendRequestXML)' in printed
    assert 'ours, 50 accounts' in printed
    assert 'next update, nothing to do: round trips' in printed
    assert 'first update after a server start' in printed
    assert all(cpu_ms > 0 for cpu_ms in measured['reference_cpu_ms'])
    assert 'Machine speed: the reference workload took' in printed
    assert 'per synced record, at every size' in printed


@pytest.mark.parametrize(('ours', 'theirs', 'more_is_better', 'expected'), [
    (10, 100, False, '10.0x fewer'),
    (100, 10, False, '10.0x more'),
    (50, 10, True, '5.0x more'),
    (10, 10, False, 'same'),
    (0, 10, False, '-'),
])
def test_ratio_wording(ours, theirs, more_is_better, expected):
    assert ratio(ours, theirs, more_is_better) == expected


def _measured(records: int, cpu_s: float) -> SyncMeasurement:
    stats = ServerStats(cpu_s=cpu_s, peak_rss_bytes=200 * 2**20, queries=1, requests=1)
    return SyncMeasurement(updates=1, completed=True, round_trips=10, requests=10, wall_s=1.0, server=stats,
                           baseline_rss_bytes=180 * 2**20, activity={'customers': {'exported': records}})


@pytest.mark.parametrize(('large_cpu_s', 'verdict'), [(4.0, 'yes'), (6.0, 'NO')])
def test_cpu_per_record_target_is_judged_at_every_size(large_cpu_s, verdict):
    small, large = ScenarioSize(1000, 10, 10, 10), ScenarioSize(10000, 10, 10, 10)
    initial = [(small, _measured(1000, 0.4)), (large, _measured(10000, large_cpu_s))]
    table = targets_table(initial, [(small, _measured(20, 0.1))])
    row = next(line for line in table.splitlines() if line.startswith('server CPU at most 0.5 ms'))
    assert f'0.400 ms, {large_cpu_s / 10:.3f} ms' in row
    assert row.split()[-1] == verdict


def test_original_initial_sync_follows_its_documented_batches():
    figures = original.initial_sync(qb_customers=1000, qb_vendors=0, qb_items=200, exported_customers=500,
                                    exported_vendors=100, exported_items=100, crm_accounts=1500, crm_products=300)
    # Setup 1 + iterators 10 (items) + 50 (customers) + 1 (vendors) + exports 5 + 25 + 5 (20 a message).
    assert figures.round_trips == 1 + 10 + 50 + 1 + 5 + 25 + 5
    assert figures.requests == 10 + (10 + 9) + 50 + 1 + 700
    assert figures.runs == 1


def test_original_is_cut_at_five_thousand_requests_and_starts_over():
    figures = original.initial_sync(qb_customers=0, qb_vendors=0, qb_items=0, exported_customers=9000,
                                    exported_vendors=0, exported_items=0, crm_accounts=9000, crm_products=0)
    assert figures.runs == 2
    assert figures.rows_scanned == 2 * original.initial_sync(
        qb_customers=0, qb_vendors=0, qb_items=0, exported_customers=10, exported_vendors=0, exported_items=0,
        crm_accounts=9000, crm_products=0).rows_scanned


def test_original_incremental_pays_a_query_before_every_mod():
    figures = original.incremental_run(crm_changes=10, qb_changes=10, crm_accounts=100_000, crm_products=2000)
    assert figures.round_trips == 1 + 2 + (1 + 2) + 1
    assert figures.requests == 10 + 10 + 1 + 20 + 1
    assert figures.rows_scanned == 2 * (200_000 + 2000)
