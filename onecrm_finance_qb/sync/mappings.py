"""Reading the list mappings both ways, loaded once per call so records never cost a query each."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.host import Host
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.sync.context import SyncContext

#: The QuickBooks account types an expense category may be booked to.
EXPENSE_ACCOUNT_TYPES = ('Expense', 'OtherExpense', 'CostOfGoodsSold')
#: Host records read per call when a whole (small) host list is read.
HOST_LIST_PAGE = 1000


def _rows(ctx: SyncContext, kind: ListKind) -> list[ListMapping]:
    key = f'mappings:{kind}'
    if key not in ctx.cache:
        query = sa.select(ListMapping).where(
            ListMapping.server_id == ctx.server.id, ListMapping.kind == kind, ListMapping.deleted.is_(False)
        )
        ctx.cache[key] = list(ctx.db.scalars(query.order_by(ListMapping.id)))
    return ctx.cache[key]


def _by_crm_value(ctx: SyncContext, kind: ListKind) -> dict[str | None, list[ListMapping]]:
    """The rows of ``kind`` by CRM value, each list in id order.

    A batch of exports asks ``qb_ref`` for every record; scanning every row each time cost more
    than building the requests' references. Only the CRM value is indexed: whether a row is
    active and its ListID are read from the row when asked, as a list refresh may change them
    in the same call.
    """
    key = f'mappings:{kind}:by_crm_value'
    if key not in ctx.cache:
        index: dict[str | None, list[ListMapping]] = {}
        for row in _rows(ctx, kind):
            index.setdefault(row.crm_value, []).append(row)
        ctx.cache[key] = index
    return ctx.cache[key]


def forget(ctx: SyncContext, kind: ListKind) -> None:
    """Drop the cached rows of ``kind`` after changing them (adding rows or setting their CRM values)."""
    ctx.cache.pop(f'mappings:{kind}', None)
    ctx.cache.pop(f'mappings:{kind}:by_crm_value', None)


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
    for row in _by_crm_value(ctx, kind).get(value, ()):
        if row.qb_id and row.is_active:
            return {'ListID': row.qb_id}
    return None


def expense_account_ref(ctx: SyncContext, category_id: str | None) -> dict[str, str] | None:
    """The QuickBooks account the expenses of CRM category ``category_id`` are booked to, while it is active."""
    if category_id is None:
        return None
    active = {row.qb_id for row in _rows(ctx, ListKind.ACCOUNT) if row.is_active and row.qb_id}
    for row in _rows(ctx, ListKind.EXPENSE_CATEGORY):
        if row.crm_value == category_id:
            return {'ListID': row.expense_account} if row.expense_account in active else None
    return None


def expense_category_row(db: Session, server_id: int, category_id: str, name: str) -> ListMapping:
    """The mapping row of CRM expense category ``category_id``, created (unmapped) when there is none yet."""
    row = db.scalars(
        sa.select(ListMapping).where(
            ListMapping.server_id == server_id,
            ListMapping.kind == ListKind.EXPENSE_CATEGORY,
            ListMapping.crm_value == category_id,
        )
    ).first()
    if row is None:
        row = ListMapping(server_id=server_id, kind=ListKind.EXPENSE_CATEGORY, qb_type='Account', crm_value=category_id)
        db.add(row)
    row.name = name[:255]
    row.deleted = False
    return row


def live_host_records(host: Host, repository: str) -> list[Any]:
    """A whole (small) host list through its change feed, live records only."""
    records: list[Any] = []
    cursor = None
    while True:
        page = getattr(host, repository).changed_since(cursor, HOST_LIST_PAGE)
        records.extend(record for record in page.records if not record.deleted)
        cursor = page.cursor
        if not page.has_more:
            return records
