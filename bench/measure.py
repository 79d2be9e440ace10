"""Measuring Web Connector updates against a CRM server process: cost, round trips, what they did.

A scenario is prepared once (seeded, paired, live), snapshotted, and each measurement runs the
updates a scheduled Web Connector would run until the sync has nothing left to do.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from bench import scenario
from bench.crm import crm_app
from bench.scenario import ScenarioSize
from bench.server import ServerProcess, ServerStats
from hostcrm.demo import crm_data, quickbooks
from hostcrm.demo.report import run_activity
from qbsim.webconnector import RunResult

#: Updates one measurement may take (an update stops at the per-update request cap).
MAX_UPDATES = 100
#: Records changed on each side before an incremental run.
CHANGES = 10


@dataclass(frozen=True)
class SyncMeasurement:
    """What one or more consecutive Web Connector updates cost."""

    updates: int
    completed: bool
    round_trips: int
    requests: int
    wall_s: float
    server: ServerStats
    baseline_rss_bytes: int
    activity: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Records still waiting after the updates (pending export or update), e.g. for a mapping.
    waiting: int = 0
    #: The update that found nothing left to do, which a scheduled Web Connector runs every few minutes.
    idle: IdleUpdate | None = None
    #: The update a freshly started server served before the measured ones, with nothing to do:
    #: it pays the one-off costs of a new process (SQL statements compiled, tables of facts read).
    first_after_start: IdleUpdate | None = None

    @property
    def records(self) -> int:
        """Records the updates imported, exported, updated or linked."""
        return sum(sum(counts.values()) for counts in self.activity.values())

    def count(self, column: str) -> int:
        return sum(counts.get(column, 0) for counts in self.activity.values())


@dataclass(frozen=True)
class IdleUpdate:
    """What an update with nothing to do costs."""

    round_trips: int
    requests: int
    server: ServerStats


@dataclass(frozen=True)
class _Update:
    """One update's figures: qbsim's account of it, the server's cost, its wall time, what it did."""

    result: RunResult
    server: ServerStats
    wall_s: float
    activity: dict[str, dict[str, int]]


def measure_updates(app: Flask, folder: Path, faults: tuple[str, ...] = (),
                    change: Callable[[], None] | None = None) -> SyncMeasurement:
    """Run updates until one finds nothing left to do; the figures of the updates that did work.

    An update cut at the per-update request cap, or one that still found work, is followed by
    another, as a scheduled Web Connector would run it; the last, idle update only confirms the
    sync is finished: it is left out of the figures (unless no update did anything) and reported
    on its own as ``idle``.

    With ``change``, the server first serves an update with nothing to do, as a server that has
    been running serves the Web Connector's scheduled updates; then ``change`` edits the data and
    the measured updates follow. That first update is reported as ``first_after_start``.
    """
    with ServerProcess(folder, crm_data.settle_seconds(app)) as server:
        scenario.write_qwc(app, folder, server.base_url)
        first_after_start = None
        if change is not None:
            before = server.stats()
            result = scenario.update(folder, faults)
            first_after_start = IdleUpdate(result.round_trips, sum(result.requests_by_type.values()),
                                           server.stats().since(before))
            change()
        baseline = server.stats()
        updates: list[_Update] = []
        idle = None
        while len(updates) < MAX_UPDATES:
            since_run = _last_run_id(app)
            before = server.stats()
            started = time.perf_counter()
            result = scenario.update(folder, faults)
            wall_s = time.perf_counter() - started
            cost = server.stats().since(before)
            status = sync_status(app)
            activity = run_activity([run for run in status['runs'] if run['id'] > since_run])
            worked = any(any(counts.values()) for counts in activity.values())
            cut = bool(status['runs']) and status['runs'][0]['result'] == 'partial'
            if updates and not worked and not cut:
                idle = IdleUpdate(result.round_trips, sum(result.requests_by_type.values()), cost)
                break
            updates.append(_Update(result, cost, wall_s, activity))
            if not result.completed or not (worked or cut):
                break
        peak = server.stats().peak_rss_bytes
        waiting = waiting_records(sync_status(app))
    totals: dict[str, dict[str, int]] = {}
    for update in updates:
        for family, counts in update.activity.items():
            for column, count in counts.items():
                totals.setdefault(family, {}).setdefault(column, 0)
                totals[family][column] += count
    return SyncMeasurement(
        updates=len(updates),
        completed=all(update.result.completed for update in updates),
        round_trips=sum(update.result.round_trips for update in updates),
        requests=sum(sum(update.result.requests_by_type.values()) for update in updates),
        wall_s=sum(update.wall_s for update in updates),
        server=ServerStats(cpu_s=sum(update.server.cpu_s for update in updates), peak_rss_bytes=peak,
                           queries=sum(update.server.queries for update in updates),
                           requests=sum(update.server.requests for update in updates)),
        baseline_rss_bytes=baseline.peak_rss_bytes,
        activity=totals,
        waiting=waiting,
        idle=idle,
        first_after_start=first_after_start,
    )


def sync_status(app: Flask) -> dict[str, Any]:
    return json.loads(scenario.command(app, 'finance-qb', 'sync-status', '--json'))


def waiting_records(status: dict[str, Any]) -> int:
    """Links whose record waits to be exported or updated (a missing mapping, a parent not exported yet...)."""
    return sum(count for counts in status['links'].values() for state, count in counts.items()
               if state.split('/')[-1].startswith('pending'))


def _last_run_id(app: Flask) -> int:
    return max((run['id'] for run in sync_status(app)['runs']), default=0)


@dataclass
class Prepared:
    """A scenario ready to sync: paired, live, snapshotted."""

    folder: Path
    app: Flask
    size: ScenarioSize
    setup_s: float


def prepare_paired(folder: Path, size: ScenarioSize, settle_seconds: float) -> Prepared:
    started = time.perf_counter()
    scenario.prepare(folder, size)
    app = crm_app(folder, settle_seconds)
    with ServerProcess(folder, settle_seconds) as server:
        scenario.pair(app, folder, server.base_url)
    scenario.release(app)
    scenario.snapshot(folder)
    setup_s = time.perf_counter() - started
    crm_data.wait_until_settled(app)
    return Prepared(folder, app, size, setup_s)


def incremental(prepared: Prepared) -> SyncMeasurement:
    """Change records on both sides of a synced scenario while its server runs, then measure the next update."""

    def change() -> None:
        crm_data.edit_accounts(prepared.app, CHANGES, phone='555-0199')
        quickbooks.edit_customers(prepared.folder / scenario.COMPANY_FILE, CHANGES, phone='555-0142')
        crm_data.wait_until_settled(prepared.app)

    return measure_updates(prepared.app, prepared.folder, change=change)
