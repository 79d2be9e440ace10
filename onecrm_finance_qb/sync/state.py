"""Small JSON documents kept per server between runs (``qb_cursors``)."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.cursors import SyncCursor


def load(db: Session, server_id: int, key: str) -> dict[str, Any]:
    """The document stored under ``key``, or an empty one."""
    row = _row(db, server_id, key)
    return json.loads(row.value) if row is not None else {}


def save(db: Session, server_id: int, key: str, value: dict[str, Any]) -> None:
    """Replace the document stored under ``key``."""
    row = _row(db, server_id, key)
    text = json.dumps(value, sort_keys=True, default=str)
    if row is None:
        db.add(SyncCursor(server_id=server_id, key=key, value=text))
    else:
        row.value = text
    db.flush()


def _row(db: Session, server_id: int, key: str) -> SyncCursor | None:
    return db.scalars(sa.select(SyncCursor).where(SyncCursor.server_id == server_id, SyncCursor.key == key)).first()
