"""List queries that page through QuickBooks and, after one full pass, ask only for what changed.

US files page with iterators (``Start``/``Continue``); other editions have no iterators, so
lists are paged by name (``NameRangeFilter/FromName`` = the last name received, which comes back
first on the next page and is skipped as unchanged). Once a query has gone through a whole list,
later runs send ``FromModifiedDate`` = the newest TimeModified seen minus an overlap, which keeps
every run's import proportional to what changed. The state lives in one cursor per query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from onecrm_finance_qb.qbxml import Response
from onecrm_finance_qb.sync import state
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.planned import Planned


@dataclass
class Page:
    """What one answered page held: how many records (of ``limit`` asked), the last name, the newest change."""

    limit: int
    seen: int = 0
    last_name: str | None = None
    newest: datetime | None = None

    def add(self, name: str, modified: datetime | None) -> None:
        self.seen += 1
        self.last_name = name
        if modified is not None and (self.newest is None or modified > self.newest):
            self.newest = modified


class PagedQuery:
    """One query (``CustomerQuery``...) and its paging state under cursor ``import:<key>``."""

    def __init__(
        self,
        key: str,
        request_type: str,
        family: str,
        *,
        iterable: bool,
        paged: bool = True,
        by_date: bool = True,
        fields: dict[str, Any] | None = None,
    ) -> None:
        self.key = f'import:{key}'
        self.request_type = request_type
        self.family = family
        self.iterable = iterable
        self.paged = paged
        self.by_date = by_date
        self.fields = fields or {}

    def _state(self, ctx: SyncContext) -> dict[str, Any]:
        current = state.load(ctx.db, ctx.server.id, self.key)
        if current.get('run') == ctx.run.id:
            return current
        if ctx.same_run(current.get('run')):
            # Resuming a cut run: its finished queries stay finished; its iterator died with its session.
            return {**current, 'run': ctx.run.id, 'iterator_id': None}
        return {'run': ctx.run.id, 'full_pass': current.get('full_pass', False), 'newest': current.get('newest')}

    def plan(self, ctx: SyncContext, limit: int) -> Planned | None:
        """The next page, or None when this query is done for the run."""
        current = self._state(ctx)
        if current.get('done'):
            return None
        fields = dict(self.fields)
        iterator = iterator_id = None
        if self.by_date and current.get('full_pass') and current.get('newest'):
            overlap = timedelta(minutes=int(ctx.setting('sync.modified_overlap_minutes')))
            fields['FromModifiedDate'] = datetime.fromisoformat(current['newest']) - overlap
        if self.paged:
            fields['MaxReturned'] = limit
            if ctx.is_us and self.iterable:
                iterator_id = current.get('iterator_id')
                iterator = 'Continue' if iterator_id else 'Start'
            elif current.get('from_name'):
                fields['NameRangeFilter'] = {'FromName': current['from_name']}
        state.save(ctx.db, ctx.server.id, self.key, current)
        return Planned(
            self.request_type,
            fields,
            self.family,
            'import',
            context={'query': self.key, 'limit': limit},
            iterator=iterator,
            iterator_id=iterator_id,
        )

    def answered(self, ctx: SyncContext, response: Response, page: Page) -> None:
        """Record what a page held, and whether another page follows."""
        current = self._state(ctx)
        newest = page.newest
        if newest is not None and (not current.get('pass_newest') or newest.isoformat() > current['pass_newest']):
            current['pass_newest'] = newest.isoformat()
        more = False
        if response.status_code >= 1000:
            current['error'] = response.status_message
        elif self.paged and ctx.is_us and self.iterable:
            more = bool(response.iterator_remaining_count)
            current['iterator_id'] = response.iterator_id if more else None
        elif self.paged:
            more = page.seen >= page.limit and page.last_name is not None and page.last_name != current.get('from_name')
            current['from_name'] = page.last_name if more else None
        if not more:
            current['done'] = True
            if response.status_code < 1000:
                current['full_pass'] = True
                if current.get('pass_newest'):
                    current['newest'] = max(filter(None, (current.get('newest'), current['pass_newest'])))
        state.save(ctx.db, ctx.server.id, self.key, current)
