"""Reading the list mappings both ways, loaded once per call so records never cost a query each."""

from __future__ import annotations

import sqlalchemy as sa

from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.sync.context import SyncContext


def _rows(ctx: SyncContext, kind: ListKind) -> list[ListMapping]:
    key = f'mappings:{kind}'
    if key not in ctx.cache:
        query = sa.select(ListMapping).where(
            ListMapping.server_id == ctx.server.id, ListMapping.kind == kind, ListMapping.deleted.is_(False)
        )
        ctx.cache[key] = list(ctx.db.scalars(query.order_by(ListMapping.id)))
    return ctx.cache[key]


def forget(ctx: SyncContext, kind: ListKind) -> None:
    """Drop the cached rows of ``kind`` after changing them."""
    ctx.cache.pop(f'mappings:{kind}', None)


def crm_value(ctx: SyncContext, kind: ListKind, ref: dict | None) -> str | None:
    """The CRM value a QuickBooks reference (``{'ListID': ..., 'FullName': ...}``) maps to."""
    if not ref:
        return None
    for row in _rows(ctx, kind):
        if row.qb_id == ref.get('ListID') or (not ref.get('ListID') and row.name == ref.get('FullName')):
            return row.crm_value
    return None


def qb_ref(ctx: SyncContext, kind: ListKind, value: str | None) -> dict[str, str] | None:
    """The reference to the QuickBooks element mapped to CRM ``value`` (the first, if several are)."""
    if value is None:
        return None
    for row in _rows(ctx, kind):
        if row.crm_value == value and row.qb_id and row.is_active:
            return {'ListID': row.qb_id}
    return None
