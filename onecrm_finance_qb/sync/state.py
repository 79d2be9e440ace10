"""Small JSON documents kept per server between runs (``qb_cursors``).

A call of a run reads and writes the same few dozen documents, so the first read of a
transaction loads every document of the server in one query and keeps the rows in the session's
``info`` for the rest of it: a row the session no longer holds, or expired by a commit or a
rollback, sends the next read to the database again.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.cursors import SyncCursor

#: Where the rows already found are kept in ``Session.info``.
CACHE_KEY = 'finance_qb.sync_state'


def load(db: Session, server_id: int, key: str) -> dict[str, Any]:
    """The document stored under ``key``, or an empty one."""
    row = _row(db, server_id, key)
    return json.loads(row.value) if row is not None else {}


def save(db: Session, server_id: int, key: str, value: dict[str, Any]) -> None:
    """Replace the document stored under ``key``."""
    row = _row(db, server_id, key)
    text = json.dumps(value, sort_keys=True, default=str)
    if row is None:
        row = SyncCursor(server_id=server_id, key=key, value=text)
        db.add(row)
        db.flush()
        _known(db)[server_id][key] = row
    else:
        row.value = text


def _known(db: Session) -> dict[int, dict[str, SyncCursor]]:
    """The rows the transaction loaded, per server: all of a server's documents once any is read."""
    return db.info.setdefault(CACHE_KEY, {})


def _usable(db: Session, row: SyncCursor) -> bool:
    return row in db and not (found := sa.inspect(row)).deleted and not found.expired


def _row(db: Session, server_id: int, key: str) -> SyncCursor | None:
    """The row of ``key``; a commit or rollback expires every row at once, so one row tells for all."""
    rows = _known(db).get(server_id)
    if rows:
        row = rows.get(key)
        if _usable(db, row if row is not None else next(iter(rows.values()))):
            return row
    query = sa.select(SyncCursor).where(SyncCursor.server_id == server_id)
    rows = _known(db)[server_id] = {row.key: row for row in db.scalars(query)}
    return rows.get(key)
