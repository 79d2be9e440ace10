"""List queries that page through QuickBooks and, after one full pass, ask only for what changed.

US files page with iterators (``Start``/``Continue``); other editions have no iterators, so
lists are paged by name (``NameRangeFilter/FromName`` = the last name received, which comes back
first on the next page and is skipped as unchanged). Once a query has gone through a whole list,
later runs send ``FromModifiedDate`` = the newest TimeModified seen minus an overlap, which keeps
every run's import proportional to what changed. The state lives in one cursor per query.

The overlap brings back every record saved in its window (all of them after a bulk export), so a
query that knows its records' identity asks its modified-date pages light (and the pass after one
that found the list empty, which can only read the whole list again): ``IncludeRetElement``
names only the elements that say which record and which version it is, QuickBooks sends just those
(qbxml-semantics section 5.2), and the handler picks the records it has not seen in that version.
Those are fetched whole by ListID before the query is finished, and the newest TimeModified moves
only when every one of them was answered: a run cut in between (request cap, lost response, crash)
reads them again from the same date, or, when it is resumed, fetches what its light pages found.

The overlap exists for records saved while the pass that found the newest change ran, or in the
same second. Once a later pass has read the whole window again, any such record has come back in
it, so the window is *verified*: nothing older than its newest change can still appear, since a
record saved after the verifying pass began is at least as new as everything that pass knew
(TimeModified is QuickBooks' own clock, and passes of one company file never overlap: one run at
a time, one pass per query and run). A verified point is therefore a floor: later windows never
start below it, and while nothing newer is found they start at it (``FromModifiedDate`` includes
that second).

A verifying pass may find records newer than the window's newest change, as long as each comes in
a version we already hold: the echo of our own Adds and Mods, or of an earlier fetch. Their
TimeModified reached us in an answer before the pass began, so a record saved during the pass is
at least as new as they are, and the pass verifies its own newest change. Only a change we had not
seen (another user's save) opens a new window, read with the overlap down to the floor. An idle
company therefore stops re-reading its last bulk change after one run, and after a few changes
the next run re-reads the minutes since the floor, not the bulk before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from onecrm_finance_qb.qbxml import Response
from onecrm_finance_qb.sync import state
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.planned import Planned

#: What a light page asks for: the record's id, its version, its place in the list order.
IDENTITY = ('ListID', 'TimeModified', 'EditSequence', 'Name', 'FullName')
#: List types whose Ret has no FullName (Intuit's qbXML 13.0 schema): their Name is the whole name.
#: They are also the types that do not nest, whose Ret has no ParentRef.
WITHOUT_FULL_NAME = frozenset(
    {'Vendor', 'ItemGroup', 'ItemSubtotal', 'ItemFixedAsset', 'ItemPayment', 'ItemSalesTax', 'ItemSalesTaxGroup'}
)


def identity_of(qb_type: str) -> tuple[str, ...]:
    """The ``IncludeRetElement`` values of a light page of ``qb_type``, only elements its Ret has."""
    return tuple(name for name in IDENTITY if name != 'FullName' or qb_type not in WITHOUT_FULL_NAME)


def write_answer_of(qb_type: str) -> tuple[str, ...]:
    """The ``IncludeRetElement`` values of an Add or Mod of ``qb_type``: what the link keeps of the answer.

    Without them QuickBooks answers a write with the whole record (qbxml-semantics section 6.1):
    dozens of elements it serializes and we parse, on the user's machine and ours, for nothing.
    """
    nests = qb_type not in WITHOUT_FULL_NAME
    return (*identity_of(qb_type), 'IsActive', *(('ParentRef',) if nests else ()))


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    return second if first is None or (second is not None and second > first) else first


def _stored(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass
class Page:
    """What one answered page held: how many records (of ``limit`` asked), the last name, the newest change.

    ``newest_unseen`` is the newest change among records not already held in that version (every
    record of a page whose versions are not compared): only those can open a new window.
    """

    limit: int
    seen: int = 0
    last_name: str | None = None
    newest: datetime | None = None
    newest_unseen: datetime | None = None

    def add(self, name: str, modified: datetime | None, *, held: bool = False) -> None:
        self.seen += 1
        self.last_name = name
        self.newest = _later(self.newest, modified)
        if not held:
            self.newest_unseen = _later(self.newest_unseen, modified)


class PagedQuery:
    """One query (``CustomerQuery``...) and its paging state under cursor ``import:<key>``.

    ``identity``, when given, makes the modified-date pages light (see the module docstring), and
    those of a pass after one that found the list empty; the first full pass asks for whole records.
    """

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
        identity: tuple[str, ...] = (),
    ) -> None:
        self.key = f'import:{key}'
        self.request_type = request_type
        self.family = family
        self.iterable = iterable
        self.paged = paged
        self.by_date = by_date
        self.fields = fields or {}
        self.identity = identity

    def _state(self, ctx: SyncContext) -> dict[str, Any]:
        current = state.load(ctx.db, ctx.server.id, self.key)
        if current.get('run') == ctx.run.id:
            return current
        if ctx.same_run(current.get('run')):
            # Resuming a cut run: its finished queries stay finished; its iterator died with its
            # session, and a fetch it sent without an answer is asked again.
            fetch = [*current.get('fetching', []), *current.get('to_fetch', [])]
            return {**current, 'run': ctx.run.id, 'iterator_id': None, 'fetching': [], 'to_fetch': fetch}
        return {
            'run': ctx.run.id,
            'full_pass': current.get('full_pass', False),
            'newest': current.get('newest'),
            'verified': current.get('verified'),
        }

    def plan(self, ctx: SyncContext, limit: int) -> list[Planned]:
        """The next page and the next records to fetch whole; none when this query is done for the run."""
        current = self._state(ctx)
        if current.get('done'):
            return []
        planned = []
        to_fetch = current.get('to_fetch', [])
        if to_fetch:
            current['to_fetch'], batch = to_fetch[limit:], to_fetch[:limit]
            current['fetching'] = [*current.get('fetching', []), *batch]
            context = {'query': self.key, 'fetch': True}
            planned.append(Planned(self.request_type, {'ListID': batch}, self.family, 'import', context=context))
        if not current.get('paged_out'):
            planned.append(self._page(ctx, current, limit))
        elif not planned:
            self._finish(current)
        state.save(ctx.db, ctx.server.id, self.key, current)
        return planned

    def _page(self, ctx: SyncContext, current: dict[str, Any], limit: int) -> Planned:
        fields = dict(self.fields)
        iterator = iterator_id = None
        # After a full pass, a read brings mostly records we already hold (the echo of our own
        # exports, or the overlap of the date window), so it asks for their identity alone.
        light = bool(self.by_date and current.get('full_pass') and self.identity)
        if self.by_date and current.get('full_pass') and current.get('newest'):
            overlap = timedelta(minutes=int(ctx.setting('sync.modified_overlap_minutes')))
            start = datetime.fromisoformat(current['newest']) - overlap
            fields['FromModifiedDate'] = _later(start, _stored(current.get('verified')))
            current['window_of'] = current['newest']
        if self.paged:
            if ctx.is_us and self.iterable:
                iterator_id = current.get('iterator_id')
                iterator = 'Continue' if iterator_id else 'Start'
            elif current.get('from_name'):
                fields['NameRangeFilter'] = {'FromName': current['from_name']}
                # The first record of a page by name repeats the last of the page before: ask for
                # one more, so a page always brings ``limit`` new records (and a limit of 1 moves on).
                limit += 1
            fields['MaxReturned'] = limit
        if light:
            fields['IncludeRetElement'] = list(self.identity)
        return Planned(
            self.request_type,
            fields,
            self.family,
            'import',
            context={'query': self.key, 'limit': limit, 'light': light},
            iterator=iterator,
            iterator_id=iterator_id,
        )

    def answered(self, ctx: SyncContext, response: Response, page: Page, changed: Sequence[str] = ()) -> None:
        """Record what a page held, whether another page follows, and the ``changed`` ListIDs to fetch whole."""
        current = self._state(ctx)
        for key, newest in (('pass_newest', page.newest), ('pass_unseen', page.newest_unseen)):
            if newest is not None and newest == _later(_stored(current.get(key)), newest):
                current[key] = newest.isoformat()
        to_fetch = current.get('to_fetch', [])
        waiting = {*to_fetch, *current.get('fetching', [])}
        current['to_fetch'] = [*to_fetch, *(list_id for list_id in dict.fromkeys(changed) if list_id not in waiting)]
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
            current['paged_out'] = True
            if not current['to_fetch'] and not current.get('fetching'):
                self._finish(current)
        state.save(ctx.db, ctx.server.id, self.key, current)

    def fetched(self, ctx: SyncContext, response: Response) -> None:
        """The records fetched whole were handled; a failed fetch keeps the newest change where it was.

        Plans send one fetch per query at a time, so an answer settles every ListID in flight. Those
        not found (status 500, a warning: the others came back) were deleted since, which
        ListDeletedQuery reports.
        """
        current = self._state(ctx)
        if response.status_code >= 1000:
            current['error'] = response.status_message
        else:
            current['fetching'] = []
        state.save(ctx.db, ctx.server.id, self.key, current)

    @staticmethod
    def _finish(current: dict[str, Any]) -> None:
        """Done for the run; the pass's newest change becomes the next run's start if nothing was missed.

        The pass verifies its newest change when it read the previous newest change's window (or
        the whole list, when there was none) and every record newer than that change came in a
        version already held (module docstring). A list that was empty when first read and then
        received our exports is thus verified by the pass that reads them back.
        """
        current['done'] = True
        if current.get('error') or current.get('fetching') or current.get('to_fetch'):
            return
        current['full_pass'] = True
        previous = _stored(current.get('newest'))
        newest = _later(previous, _stored(current.get('pass_newest')))
        if newest is not None:
            current['newest'] = newest.isoformat()
        unseen = _stored(current.get('pass_unseen'))
        # No window and no previous change: the pass read the whole list (the last one found it empty).
        read_the_window = _stored(current.get('window_of')) == previous
        if read_the_window and (unseen is None or (previous is not None and unseen <= previous)):
            current['verified'] = current.get('newest')
