"""The demo's summary: what the sync did per data type, what waits and why, as a table and as data.

Everything comes from the plugin's own ``sync-status --json`` (the runs' counts and the links'
states), so the demo reports what an administrator would see, not what it believes it did.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hostcrm.demo.tables import format_table

BLOCKED = ('import_blocked', 'export_blocked', 'update_blocked', 'held')
ERRORS = ('import_error', 'export_error', 'update_error', 'delete_error')
PENDING = ('pending_import', 'pending_export', 'pending_update', 'pending_delete', 'in_flight')
#: Columns of the activity table and the run-count suffixes ("customers.imported") they add up.
ACTIVITY = (
    ('imported', ('imported',)),
    ('exported', ('exported',)),
    ('updated', ('updated_in_crm', 'updated_in_qb')),
    ('linked', ('linked',)),
)
SUCCESS = 'success'


@dataclass(frozen=True)
class UpdateOutcome:
    """One Web Connector update as qbsim saw it."""

    outcome: str
    completed: bool
    round_trips: int
    requests: int
    error: str | None
    last_error_text: str | None


def build_report(status: dict[str, Any], updates: list[UpdateOutcome], since_run: int,
                 crm_url: str, login: str, incremental: bool) -> dict[str, Any]:
    """The summary as data (written to ``demo-report.json`` with ``ONCE=1``)."""
    runs = sorted((run for run in status['runs'] if run['id'] > since_run), key=lambda run: run['id'])
    links = {qb_type: _link_states(counts) for qb_type, counts in status['links'].items()}
    reasons = Counter((problem['qb_type'], problem['status'], problem['message'] or '')
                      for problem in status['problems'])
    errors = sum(states['errors'] for states in links.values())
    succeeded = (bool(updates) and all(update.completed for update in updates) and bool(runs)
                 and all(run['result'] == SUCCESS for run in runs) and errors == 0)
    return {
        'succeeded': succeeded,
        'incremental': incremental,
        'crm_url': crm_url,
        'login': login,
        'updates': [asdict(update) for update in updates],
        'runs': [{key: run[key] for key in ('id', 'result', 'message', 'requests')} for run in runs],
        'activity': run_activity(runs),
        'links': links,
        'reasons': [{'qb_type': qb_type, 'status': state, 'message': message, 'records': count}
                    for (qb_type, state, message), count in sorted(reasons.items())],
        'problems': status['problems'],
    }


def run_activity(runs: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per data type, what the runs imported, exported, updated and linked (from their counts)."""
    activity: dict[str, Counter[str]] = {}
    for run in runs:
        for key, count in run['counts'].items():
            family, _, what = key.partition('.')
            for column, suffixes in ACTIVITY:
                if what in suffixes:
                    activity.setdefault(family, Counter())[column] += count
    return {family: {column: counts[column] for column, _ in ACTIVITY} for family, counts in sorted(activity.items())}


def _link_states(counts: dict[str, int]) -> dict[str, int]:
    """``first_sync/status`` counts folded into synced, pending, blocked, errors and other."""
    states = Counter({'synced': 0, 'pending': 0, 'blocked': 0, 'errors': 0, 'other': 0})
    for key, count in counts.items():
        status = key.partition('/')[2]
        if status == 'enabled':
            states['synced'] += count
        elif status in PENDING:
            states['pending'] += count
        elif status in BLOCKED:
            states['blocked'] += count
        elif status in ERRORS:
            states['errors'] += count
        else:
            states['other'] += count
    return dict(states)


def format_report(report: dict[str, Any]) -> str:
    """The summary an administrator reads at the end of ``make demo``."""
    title = 'Incremental sync' if report['incremental'] else 'First sync'
    lines = [f'{title}: ' + ('succeeded' if report['succeeded'] else 'did NOT succeed')]
    for number, update in enumerate(report['updates'], start=1):
        lines.append(f'  update {number}: {update["outcome"]}, {update["round_trips"]} round trips, '
                     f'{update["requests"]} requests' + (f' ({update["error"]})' if update['error'] else ''))
    for run in report['runs']:
        if run['result'] != SUCCESS:
            lines.append(f'  run {run["id"]}: {run["result"]}: {run["message"]}')
    lines += ['', 'What this sync did, per data type:']
    activity_rows = [[family, *counts.values()] for family, counts in report['activity'].items()]
    lines.append(format_table(['data type', *(column for column, _ in ACTIVITY)], activity_rows or [['-'] * 5]))
    lines += ['', 'Where every linked record stands, per QuickBooks type:']
    link_rows = [[qb_type, *states.values()] for qb_type, states in report['links'].items()]
    lines.append(format_table(['QuickBooks type', 'synced', 'pending', 'blocked', 'errors', 'other'],
                              link_rows or [['-'] * 6]))
    if report['reasons']:
        lines += ['', 'Blocked and failed records, with the reasons:']
        for reason in report['reasons']:
            state = reason['status'].replace('_', ' ')
            lines.append(f'  {reason["qb_type"]} ({reason["records"]}, {state}): {reason["message"]}')
    return '\n'.join(lines)


def write_report(report: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(report, indent=2, default=str) + '\n', encoding='utf-8')
