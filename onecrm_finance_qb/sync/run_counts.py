"""A run's counted events folded into the figures people read: imported, exported, updated, blocked, errored.

The engine counts per object family and event in ``SyncRun.counts`` (``customers.imported``,
``items.blocked``...); the run history, its chart and ``sync-status`` all fold them the same way
here. An event no column takes (``customers.registered``, ``lists.terms``) stays in the raw counts.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Which counted events fall in which figure.
COLUMN_EVENTS = {
    'imported': ('imported', 'updated_in_crm', 'linked'),
    'exported': ('exported', 'verified'),
    'updated': ('updated_in_qb',),
    'blocked': ('blocked',),
    'errored': ('errored',),
}


def column(counts: Mapping[str, int], name: str) -> int:
    """The sum of the events of every family counted in figure ``name``."""
    events = COLUMN_EVENTS[name]
    return sum(value for key, value in counts.items() if key.rpartition('.')[2] in events)


def columns(counts: Mapping[str, int]) -> dict[str, int]:
    """Every figure of a run, by name."""
    return {name: column(counts, name) for name in COLUMN_EVENTS}
