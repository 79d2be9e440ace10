"""``python -m bench.sync``: the server-side cost of an initial sync and of an incremental run.

1. Initial sync both ways (CRM accounts and products, a QuickBooks company with customers and
   items, half of them overlapping by name): QBWC updates, round trips (sendRequestXML calls),
   requests, server CPU in total and per synced record, wall time with QuickBooks answering at
   once and with a realistic delay per message, the server's peak memory and its CRM queries.
2. An incremental run after 10 records changed on each side, at the size of scenario 1 and among
   ``--incremental-accounts`` accounts (100,000 by default): round trips, CPU, queries.
3. The admin pages (sync lists, run history, status) with the links of the largest scenario:
   median render time (:mod:`bench.lists`).

Above the tables, the CPU time of a fixed reference workload before and after the runs
(:mod:`bench.machine`) shows large swings of the machine's speed, which move every CPU figure.

Each figure is printed next to the original module's figure for the same work where its
documented algorithm allows deriving one (see :mod:`bench.original`), with the ratio. The CRM
runs in its own process (:mod:`bench.server`), so CPU and memory are the server's alone.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import scenario
from bench.lists import lists_table, measure_pages
from bench.machine import reference_cpu_ms
from bench.measure import incremental, measure_updates, prepare_paired, sync_status
from bench.report import incremental_table, initial_table, machine_line, scaling_table, targets_table
from bench.scenario import ScenarioSize
from hostcrm.finance_host import DEFAULT_SETTLE_SECONDS

#: QuickBooks' own time per message in the "realistic" run: Intuit's SDK tools show a few hundred
#: milliseconds for a message of a few dozen requests on a desktop machine.
DEFAULT_DELAY_MS = 200


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='python -m bench.sync', description=__doc__.split('\n\n')[0])
    parser.add_argument('--accounts', type=int, default=10_000, help='CRM accounts (default 10,000)')
    parser.add_argument('--products', type=int, default=2_000, help='CRM products (default 2,000)')
    parser.add_argument('--qb-customers', type=int, default=10_000, help='QuickBooks customers (default 10,000)')
    parser.add_argument('--qb-items', type=int, default=2_000, help='QuickBooks items (default 2,000)')
    parser.add_argument('--incremental-accounts', type=int, default=100_000,
                        help='CRM accounts of the large incremental scenario; 0 skips it (default 100,000)')
    parser.add_argument('--delay-ms', type=int, default=DEFAULT_DELAY_MS,
                        help=f'QuickBooks time per message in the realistic run; 0 skips that run '
                             f'(default {DEFAULT_DELAY_MS})')
    parser.add_argument('--settle-seconds', type=float, default=DEFAULT_SETTLE_SECONDS,
                        help='how old a CRM change must be before a sync sees it; the benchmark waits this long '
                             f'after changing data (default: the CRM\'s {DEFAULT_SETTLE_SECONDS})')
    parser.add_argument('--workdir', type=Path, help='keep the scenarios here (default: a temporary folder)')
    return parser.parse_args(argv)


def run(args: argparse.Namespace, out: Any = sys.stdout) -> dict[str, Any]:
    """Run the benchmarks, print the tables to ``out``; returns the measurements as data."""
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix='finance-qb-bench-'))
    try:
        return _run(args, workdir, out)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, workdir: Path, out: Any) -> dict[str, Any]:
    size = ScenarioSize(args.accounts, args.products, args.qb_customers, args.qb_items)
    reference_before = reference_cpu_ms()
    print(f'Preparing scenario 1 in {workdir} ...', file=out, flush=True)
    prepared = prepare_paired(workdir / 'scenario-1', size, args.settle_seconds)
    print(f'  ready in {prepared.setup_s:.1f} s', file=out, flush=True)
    slow = None
    if args.delay_ms:
        print(f'Initial sync with QuickBooks taking {args.delay_ms} ms a message ...', file=out, flush=True)
        slow = measure_updates(prepared.app, prepared.folder, (f'delay-ms:{args.delay_ms}',))
        scenario.release(prepared.app)
        scenario.restore(prepared.folder)
    print('Initial sync with QuickBooks answering at once ...', file=out, flush=True)
    fast = measure_updates(prepared.app, prepared.folder)
    print('Incremental run ...', file=out, flush=True)
    initial_runs = [(size, fast)]
    incremental_runs = [(size, incremental(prepared))]
    if args.incremental_accounts:
        large = ScenarioSize(args.incremental_accounts, args.products, args.qb_customers, args.qb_items)
        print(f'Preparing and syncing {large.accounts:,} accounts for the large incremental run ...', file=out,
              flush=True)
        large_prepared = prepare_paired(workdir / 'scenario-2', large, args.settle_seconds)
        initial_runs.append((large, measure_updates(large_prepared.app, large_prepared.folder)))
        incremental_runs.append((large, incremental(large_prepared)))
        prepared = large_prepared
    print('Admin pages ...', file=out, flush=True)
    links = sum(sum(counts.values()) for counts in sync_status(prepared.app)['links'].values())
    pages = measure_pages(prepared.app)
    reference = (reference_before, reference_cpu_ms())
    print('\n' + machine_line(*reference), file=out)
    print('\n' + initial_table(size, fast, slow, args.delay_ms), file=out)
    if len(initial_runs) > 1:
        print('\n' + scaling_table(initial_runs), file=out)
    print('\n' + incremental_table(incremental_runs), file=out)
    print('\n' + lists_table(pages, links), file=out)
    print('\n' + targets_table(initial_runs, incremental_runs), file=out, flush=True)
    return {'initial': fast, 'initial_with_delay': slow, 'initial_runs': initial_runs,
            'incremental': incremental_runs, 'pages': pages, 'reference_cpu_ms': reference}


def main(argv: list[str] | None = None) -> int:
    run(parse_args(argv))
    return 0


if __name__ == '__main__':
    sys.exit(main())
