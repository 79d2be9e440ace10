"""Filtering, sorting and keyset paging of sync records, fast on a hundred thousand links.

Every filter becomes a bound parameter of one SELECT (never text pasted into SQL), the list is
always restricted to one server, and pages are found by the last row's sort key rather than by
OFFSET, so the tenth-thousandth page costs what the first does.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncLink, name_key

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50

#: The guide's pseudo-statuses of the Sync Status filter.
STATUS_GROUPS: dict[str, tuple[LinkStatus, ...]] = {
    'all_pending': (LinkStatus.PENDING_IMPORT, LinkStatus.PENDING_EXPORT, LinkStatus.PENDING_UPDATE,
                    LinkStatus.PENDING_DELETE),
    'all_blocked': (LinkStatus.IMPORT_BLOCKED, LinkStatus.EXPORT_BLOCKED, LinkStatus.UPDATE_BLOCKED),
    'all_errored': (LinkStatus.IMPORT_ERROR, LinkStatus.EXPORT_ERROR, LinkStatus.UPDATE_ERROR,
                    LinkStatus.DELETE_ERROR),
}

#: Sortable columns; the link id breaks ties so every row has one place in the order.
SORT_COLUMNS: dict[str, Any] = {
    'name': SyncLink.name,
    'type': SyncLink.qb_type,
    'first_sync': SyncLink.first_sync,
    'status': SyncLink.status,
    'modified': SyncLink.modified_sort,
}


@dataclass(frozen=True)
class LinkFilter:
    """What the list shows: the search fields, the order and the page size, all validated."""

    name: str = ''
    qb_type: str = ''
    first_sync: str = ''
    status: str = ''
    sort: str = 'name'
    descending: bool = False
    size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_args(cls, args: Mapping[str, str], qb_types: tuple[str, ...]) -> LinkFilter:
        """Read the query string; a value that is not one of the known ones is ignored, never used."""
        status = args.get('status', '')
        size = args.get('size', '')
        return cls(
            name=args.get('name', '').strip()[:255],
            qb_type=args.get('type', '') if args.get('type', '') in qb_types else '',
            first_sync=args.get('first_sync', '') if args.get('first_sync', '') in set(FirstSync) else '',
            status=status if status in STATUS_GROUPS or status in set(LinkStatus) else '',
            sort=args.get('sort', '') if args.get('sort', '') in SORT_COLUMNS else 'name',
            descending=args.get('dir') == 'desc',
            size=int(size) if size.isdigit() and int(size) in PAGE_SIZES else DEFAULT_PAGE_SIZE,
        )

    def args(self, **changes: Any) -> dict[str, str]:
        """The query string of this filter (with ``changes``), leaving out what is at its default."""
        shown = replace(self, **changes)
        values = {'name': shown.name, 'type': shown.qb_type, 'first_sync': shown.first_sync, 'status': shown.status,
                  'sort': '' if shown.sort == 'name' else shown.sort, 'dir': 'desc' if shown.descending else '',
                  'size': '' if shown.size == DEFAULT_PAGE_SIZE else str(shown.size)}
        return {key: value for key, value in values.items() if value}


def _escape_like(text: str) -> str:
    return text.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


def _named(server_id: int, text: str) -> sa.Select[tuple[int]]:
    """The ids of the server's links whose name holds ``text``, in any case.

    A search reads the (server, lower-case name) index alone: matching every link's name through
    the table, a row lookup each, took most of a search's time at a hundred thousand links.
    ``name_key`` is lowered by Python, as ``text`` is here, so accented capitals match too.
    """
    named = aliased(SyncLink)
    pattern = f'%{_escape_like(name_key(text))}%'
    return sa.select(named.id).where(named.server_id == server_id, named.name_key.like(pattern, escape='\\'))


def condition(server_id: int, qb_types: tuple[str, ...], chosen: LinkFilter) -> sa.ColumnElement[bool]:
    """The WHERE clause of a list: one server, the list's QuickBooks types, the filter's fields."""
    parts = [SyncLink.server_id == server_id,
             SyncLink.qb_type == chosen.qb_type if chosen.qb_type else SyncLink.qb_type.in_(qb_types)]
    if chosen.name:
        parts.append(SyncLink.id.in_(_named(server_id, chosen.name)))
    if chosen.first_sync:
        parts.append(SyncLink.first_sync == chosen.first_sync)
    if chosen.status in STATUS_GROUPS:
        parts.append(SyncLink.status.in_(STATUS_GROUPS[chosen.status]))
    elif chosen.status:
        parts.append(SyncLink.status == chosen.status)
    return sa.and_(*parts)


def encode_position(link: SyncLink, sort: str) -> str:
    """An opaque token for the place of ``link`` in the order by ``sort``."""
    value: Any = {
        'name': link.name, 'type': link.qb_type, 'first_sync': link.first_sync, 'status': link.status,
        'modified': link.modified_sort.isoformat(),
    }[sort]
    return base64.urlsafe_b64encode(json.dumps([value, link.id]).encode()).decode().rstrip('=')


def decode_position(token: str, sort: str) -> tuple[Any, int] | None:
    """The sort value and id of a token; None for anything that is not a token of ours."""
    try:
        value, link_id = json.loads(base64.urlsafe_b64decode(token + '=' * (-len(token) % 4)))
        if not isinstance(link_id, int) or not isinstance(value, str):
            return None
        return (_modified_time(value) if sort == 'modified' else value), link_id
    except (ValueError, TypeError, binascii.Error):
        return None


def _modified_time(value: str) -> datetime:
    """The time in a "modified" token; a naive one is not ours, and the column would refuse it."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f'naive time {value!r} in a page token')
    return moment


@dataclass(frozen=True)
class LinkPage:
    """One page of links, the tokens of the pages around it, and how many rows the filter matches."""

    links: list[SyncLink]
    total: int
    next_token: str | None
    previous_token: str | None


def _beyond(sort_key: Any, position: tuple[Any, int], forward: bool) -> sa.ColumnElement[bool]:
    """The rows after ``position`` in the walking direction.

    The bound on the sort value alone is implied by the rest, but it is what lets a database start
    reading an index at the token: without it, a page far down the list (or the page before
    one) reads the index from its first entry.
    """
    value, link_id = position
    if forward:
        return sa.and_(sort_key >= value, sa.or_(sort_key > value, SyncLink.id > link_id))
    return sa.and_(sort_key <= value, sa.or_(sort_key < value, SyncLink.id < link_id))


def fetch_page(db: Session, where: sa.ColumnElement[bool], chosen: LinkFilter, *, after: str | None = None,
               before: str | None = None) -> LinkPage:
    """The page after token ``after`` (or before ``before``; the first page without either)."""
    sort_key = SORT_COLUMNS[chosen.sort]
    token = after or before
    position = decode_position(token, chosen.sort) if token else None
    going_back = position is not None and not after
    # Going back reads the order reversed from the token, then turns the rows round.
    ascending = chosen.descending == going_back
    query = sa.select(SyncLink).where(where)
    if position is not None:
        query = query.where(_beyond(sort_key, position, ascending))
    order = (sort_key.asc(), SyncLink.id.asc()) if ascending else (sort_key.desc(), SyncLink.id.desc())
    links = list(db.scalars(query.order_by(*order).limit(chosen.size + 1)))
    more = len(links) > chosen.size
    links = links[:chosen.size]
    if going_back:
        links.reverse()
    total = db.scalar(sa.select(sa.func.count()).select_from(SyncLink).where(where)) or 0
    first, last = (links[0], links[-1]) if links else (None, None)
    if going_back:
        next_token = encode_position(last, chosen.sort) if last is not None and position is not None else None
        previous_token = encode_position(first, chosen.sort) if more and first is not None else None
    else:
        next_token = encode_position(last, chosen.sort) if more and last is not None else None
        previous_token = encode_position(first, chosen.sort) if position is not None and first is not None else None
    return LinkPage(links=links, total=int(total), next_token=next_token, previous_token=previous_token)
