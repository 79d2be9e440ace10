"""What every CRM record shares: a UUID id, automatic timestamps, a soft-delete flag.

The change cursor
-----------------
Records are read "changed since" a cursor ``(date_modified, id)``: rows are ordered by
``date_modified`` then ``id``, and the next page starts strictly after the last row seen. The
id breaks ties, so a page boundary never skips or repeats rows that share a timestamp (seeding
and bulk edits give thousands of rows the same instant). Every table carries the index
``ix_<table>_changed`` on ``(date_modified, id)``, which turns the query into an index range
scan: the cost is proportional to the changes, not to the table.

Soft deletes are updates (``deleted`` becomes true and ``date_modified`` moves), so deletions
come through the same cursor. ``date_modified`` is taken when the change is flushed, not when
it commits; a reader that must not miss a long transaction re-reads a short overlap window
before its cursor and relies on its own processing being idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from hostcrm.models.types import UTCDateTime, new_id, utc_now


class RecordMixin:
    """Id, timestamps and soft-delete flag of a CRM table, plus its change-cursor index.

    Ids are UUID strings, as in 1CRM: they can be generated before the insert (bulk seeding
    and imports build whole documents without round trips), they reveal nothing about volumes,
    and records keep their id when copied between installations.
    """

    #: Extra constraints and indexes of a table; the change index is always added.
    __extra_table_args__: tuple[Any, ...] = ()
    #: Name of the relationship to a record whose ``date_modified`` moves when this one changes
    #: (a document line changes its document).
    __change_parent__: str | None = None

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_id)
    #: When the record was created (UTC).
    date_entered: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    #: Last change, soft deletes included (UTC); first half of the change cursor.
    date_modified: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now, onupdate=utc_now)
    #: Soft delete: the row stays so that the deletion can be synchronised.
    deleted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        changed = sa.Index(f'ix_{cls.__tablename__}_changed', 'date_modified', 'id')
        return (*cls.__extra_table_args__, changed)

    def __repr__(self) -> str:
        label = getattr(self, 'name', None) or getattr(self, 'id', None)
        return f'<{type(self).__name__}({self.id!r}, {label!r})>'


@dataclass(frozen=True)
class ChangeCursor:
    """Position after the last record read: its ``date_modified`` and ``id``."""

    date_modified: datetime
    id: str


def changed_since(model: type[RecordMixin], cursor: ChangeCursor | None, limit: int) -> sa.Select[Any]:
    """Up to ``limit`` records of ``model`` changed after ``cursor``, deleted ones included, in cursor order.

    The condition is written as a range on ``date_modified`` plus a tie-break on ``id`` so that
    every database's planner uses the ``(date_modified, id)`` index.
    """
    query = sa.select(model).order_by(model.date_modified, model.id).limit(limit)
    if cursor is not None:
        query = query.where(
            model.date_modified >= cursor.date_modified,
            sa.or_(model.date_modified > cursor.date_modified, model.id > cursor.id),
        )
    return query


def cursor_after(record: RecordMixin) -> ChangeCursor:
    """The cursor that resumes after ``record``."""
    return ChangeCursor(record.date_modified, record.id)


@event.listens_for(Session, 'before_flush')
def _stamp_changes(session: Session, flush_context: Any, instances: Any) -> None:
    """Maintain ``date_entered``/``date_modified`` for every record flushed through the ORM.

    One instant per flush, so records saved together share a timestamp (the cursor's id
    tie-break keeps them ordered). Bulk ``UPDATE`` statements, which bypass this hook, get the
    column's ``onupdate`` instead.
    """
    now = utc_now()
    for record in session.new:
        if isinstance(record, RecordMixin):
            record.date_entered = record.date_entered or now
            record.date_modified = now
            _touch_parents(session, record, now)
    for record in session.dirty:
        if isinstance(record, RecordMixin) and session.is_modified(record, include_collections=False):
            record.date_modified = now
            _touch_parents(session, record, now)
    for record in session.deleted:
        if isinstance(record, RecordMixin):
            _touch_parents(session, record, now)


def _touch_parents(session: Session, record: RecordMixin, now: datetime) -> None:
    """Move ``date_modified`` of the records ``record`` belongs to, up the ``__change_parent__`` chain."""
    parent = getattr(record, record.__change_parent__) if record.__change_parent__ else None
    while isinstance(parent, RecordMixin) and parent not in session.deleted:
        parent.date_modified = now
        parent = getattr(parent, parent.__change_parent__) if parent.__change_parent__ else None
