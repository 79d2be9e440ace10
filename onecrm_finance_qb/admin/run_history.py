"""What the run history shows: every Web Connector run with its figures, read in a few queries.

The sync engine counts what a run did per object family in ``SyncRun.counts`` (``customers.imported``,
``items.exported``...); ``sync.run_counts`` folds those events into the columns people read:
imported, exported, updated, blocked and errored. The detail page lists every counted event, labelled
in the reader's language; a key this version does not name (from an older run) shows as stored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb import request_log
from onecrm_finance_qb.admin import labels
from onecrm_finance_qb.models.links import SyncLink
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.sync import run_counts
from onecrm_finance_qb.sync.cli import PROBLEM_STATUSES

PAGE_SIZE = 50
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class RunFigures:
    """One run as a row of the history."""

    run: SyncRun
    server: QBServer | None
    requests: int
    counts: dict[str, int]

    @property
    def duration(self) -> timedelta | None:
        return self.run.ended_at - self.run.started_at if self.run.ended_at else None

    def column(self, name: str) -> int:
        """The sum of the events counted in column ``name`` (see ``run_counts.COLUMN_EVENTS``)."""
        return run_counts.column(self.counts, name)

    @property
    def synced(self) -> int:
        return self.column('imported') + self.column('exported') + self.column('updated')

    @property
    def failed(self) -> int:
        return self.column('blocked') + self.column('errored')


def parse_counts(text: str | None) -> dict[str, int]:
    """The run's counts; a damaged value reads as no counts rather than breaking the page."""
    try:
        data = json.loads(text or '{}')
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(key): value for key, value in data.items() if isinstance(value, int) and not isinstance(value, bool)}


@dataclass(frozen=True)
class CountRow:
    """One counted event of a run; ``data_type`` and ``event`` are None for a key this version does not name."""

    key: str
    data_type: str | None
    event: str | None
    count: int


def count_rows(counts: Mapping[str, int]) -> list[CountRow]:
    """A run's counts labelled in the reader's language, families in the engine's order, unnamed keys last."""
    families = list(labels.FAMILY_LABELS)
    named: list[tuple[tuple[int, int], CountRow]] = []
    unnamed: list[CountRow] = []
    for key, value in counts.items():
        family, _dot, event = key.partition('.')
        events = labels.family_events(family)
        if family in labels.FAMILY_LABELS and event in events:
            row = CountRow(key, str(labels.FAMILY_LABELS[family]), str(events[event]), value)
            named.append(((families.index(family), list(events).index(event)), row))
        else:
            unnamed.append(CountRow(key, None, None, value))
    named.sort(key=lambda entry: entry[0])
    return [row for _order, row in named] + sorted(unnamed, key=lambda row: row.key)


def _figures(db: Session, runs: Sequence[SyncRun]) -> list[RunFigures]:
    """Figures of ``runs`` with one query for their servers and one for their request counts."""
    server_ids = {run.server_id for run in runs if run.server_id is not None}
    servers = {server.id: server for server in db.scalars(sa.select(QBServer).where(QBServer.id.in_(server_ids)))}
    requests = request_log.request_counts(db, runs)
    return [
        RunFigures(run=run, server=servers.get(run.server_id) if run.server_id else None,
                   requests=int(requests.get(run.id, 0)), counts=parse_counts(run.counts))
        for run in runs
    ]


def history_page(db: Session, before_id: int | None, size: int = PAGE_SIZE) -> tuple[list[RunFigures], int | None]:
    """A page of runs, newest first, older than run ``before_id``; and the id to continue from, if any."""
    query = sa.select(SyncRun).order_by(SyncRun.id.desc()).limit(size + 1)
    if before_id is not None:
        query = query.where(SyncRun.id < before_id)
    runs = list(db.scalars(query))
    more = len(runs) > size
    runs = runs[:size]
    return _figures(db, runs), runs[-1].id if more else None


def run_figures(db: Session, run_id: int) -> RunFigures | None:
    run = db.get(SyncRun, run_id)
    return _figures(db, [run])[0] if run is not None else None


def runs_since(db: Session, since: datetime, limit: int) -> list[RunFigures]:
    """The latest ``limit`` runs started after ``since``, oldest first (for the chart)."""
    runs = list(db.scalars(
        sa.select(SyncRun).where(SyncRun.started_at >= since).order_by(SyncRun.id.desc()).limit(limit)
    ))
    runs.reverse()
    return _figures(db, runs)


def run_problems(db: Session, run: SyncRun) -> list[SyncLink]:
    """Records this run was the last to handle and that now need attention, with their messages."""
    return list(db.scalars(
        sa.select(SyncLink)
        .where(SyncLink.last_run_id == run.id, SyncLink.status.in_(PROBLEM_STATUSES))
        .order_by(SyncLink.qb_type, SyncLink.name)
        .limit(MAX_PROBLEMS)
    ))
