"""How long a run's requests are kept one by one, and what the run history reads after that.

Every request the engine sends is a row of ``qb_requests``: the row lets QuickBooks' answer find
its record and a lost answer be verified, and the run history groups a run's rows by type and
outcome. Once a run is over its rows serve only that history, while a Web Connector scheduled
every few minutes adds thousands a day; the original module kept them forever (inventory 10.2).
After ``RETENTION`` a run's rows are folded into the groups the history shows, stored on the run
(``SyncRun.requests_summary``), and deleted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.models.runs import SyncRun

#: How long a run's requests stay rows: long enough to look into a problem the week after.
RETENTION = timedelta(days=30)
#: Runs folded per call of ``prune``: each closeConnection does a little, so none waits long.
RUNS_PER_PRUNE = 20
#: The state of a request that never went: not counted among a run's requests.
_NEVER_SENT = 'queued'


@dataclass(frozen=True)
class RequestGroup:
    """Requests of a run that share a type, an action, a state and a status code."""

    request_type: str
    action: str
    state: str
    status_code: int | None
    count: int


def request_groups(db: Session, run: SyncRun) -> list[RequestGroup]:
    """The run's requests by type and outcome: from its rows, or from its summary once they are pruned."""
    return _grouped(db, [run.id]).get(run.id) or _summary(run)


def request_counts(db: Session, runs: Sequence[SyncRun]) -> dict[int, int]:
    """How many requests each run sent (a request still queued never went), in one query."""
    counts: dict[int, int] = {}
    if runs:
        rows = db.execute(
            sa.select(SentRequest.run_id, sa.func.count())
            .where(SentRequest.run_id.in_([run.id for run in runs]), SentRequest.state != _NEVER_SENT)
            .group_by(SentRequest.run_id)
        )
        counts = {run_id: int(count) for run_id, count in rows}
    for run in runs:
        if run.id not in counts and run.requests_summary:
            counts[run.id] = sum(group.count for group in _summary(run) if group.state != _NEVER_SENT)
    return counts


def prune(db: Session, now: datetime) -> int:
    """Fold the rows of the oldest runs past ``RETENTION`` into their summaries; how many runs were folded.

    Run ids grow with their start, so the runs to fold are those up to the newest one started
    before the cut-off, found through the index on ``started_at``; the requests' index on
    ``run_id`` then hands out the oldest remaining rows first, so a call reads only what it folds.
    """
    newest_old_run = db.scalar(
        sa.select(SyncRun.id)
        .where(SyncRun.started_at < now - RETENTION)
        .order_by(SyncRun.started_at.desc())
        .limit(1)
    )
    if newest_old_run is None:
        return 0
    run_ids = list(
        db.scalars(
            sa.select(SentRequest.run_id)
            .where(SentRequest.run_id <= newest_old_run)
            .distinct()
            .order_by(SentRequest.run_id)
            .limit(RUNS_PER_PRUNE)
        )
    )
    if not run_ids:
        return 0
    grouped = _grouped(db, run_ids)
    for run in db.scalars(sa.select(SyncRun).where(SyncRun.id.in_(run_ids))):
        run.requests_summary = json.dumps([astuple(group) for group in grouped.get(run.id, [])])
    db.execute(sa.delete(SentRequest).where(SentRequest.run_id.in_(run_ids)))
    return len(run_ids)


def _grouped(db: Session, run_ids: list[int]) -> dict[int, list[RequestGroup]]:
    rows = db.execute(
        sa.select(
            SentRequest.run_id,
            SentRequest.request_type,
            SentRequest.action,
            SentRequest.state,
            SentRequest.status_code,
            sa.func.count(),
        )
        .where(SentRequest.run_id.in_(run_ids))
        .group_by(SentRequest.run_id, SentRequest.request_type, SentRequest.action, SentRequest.state,
                  SentRequest.status_code)
        .order_by(SentRequest.run_id, SentRequest.request_type, SentRequest.action)
    )
    grouped: dict[int, list[RequestGroup]] = {}
    for run_id, *group in rows:
        grouped.setdefault(run_id, []).append(RequestGroup(*group))
    return grouped


def _summary(run: SyncRun) -> list[RequestGroup]:
    """The groups stored on a pruned run; none for a run whose rows are still there (or a damaged summary)."""
    try:
        return [RequestGroup(*group) for group in json.loads(run.requests_summary or '[]')]
    except (TypeError, ValueError):
        return []
