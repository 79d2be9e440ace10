"""Small JSON documents kept per server between runs (``qb_cursors``).

A call of a run reads and writes the same few documents many times, so their rows are kept in the
session's ``info`` once found, for the rest of the transaction: a row the session no longer holds,
or expired by a commit or a rollback, is looked up again.
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
        _known(db)[server_id, key] = row
    else:
        row.value = text


def _known(db: Session) -> dict[tuple[int, str], SyncCursor]:
    return db.info.setdefault(CACHE_KEY, {})


def _row(db: Session, server_id: int, key: str) -> SyncCursor | None:
    known = _known(db)
    row = known.get((server_id, key))
    if row is not None and row in db and not (found := sa.inspect(row)).deleted and not found.expired:
        return row
    query = sa.select(SyncCursor).where(SyncCursor.server_id == server_id, SyncCursor.key == key)
    row = db.scalars(query).first()
    if row is not None:
        known[server_id, key] = row
    return row
