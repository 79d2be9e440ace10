"""The stages every family of linked records goes through, whatever the object (entities, items).

Per run and in this order (inventory section 3.1, with its weaknesses fixed):

- ``register``: local changes through the host's ``changed_since`` cursor, O(changes): new
  records become Pending Export, changed ones Pending Update, deleted ones Pending Delete (when
  deletion is enabled), blocked ones are checked again;
- ``import``: the QuickBooks list, paged, then only what changed since the newest record seen,
  and in the same message ListDeletedQuery, which reports QuickBooks deletions before any Mod or
  name check of this run could trip over them;
- ``fetch``: records that could not be imported yet (Pending Import, Import BlockedError) asked
  again by ListID;
- ``export``: requests in flight from an earlier run verified by name first, then Adds;
- ``update``: Mods with the stored EditSequence (a stale one is re-queried and retried once);
- ``delete``: ListDel for Pending Delete rows.

Every row is taken at most once per stage and run (``last_run_id``), so a row that must wait
never holds up the rows behind it. Subclasses say how a record maps to QuickBooks and back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from onecrm_finance_qb.host import ChangePage, Repository, Stored
from onecrm_finance_qb.models.links import ConflictPolicy, FirstSync, LinkStatus, SyncConflict, SyncLink, name_key
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.qbxml import Record, Response
from onecrm_finance_qb.stored_messages import N_, Message, message_of
from onecrm_finance_qb.sync import conflict_versions, state, transitions
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.handlers.paging import Page, PagedQuery, identity_of, write_answer_of
from onecrm_finance_qb.sync.outbox import context_of
from onecrm_finance_qb.sync.planned import Planned
from onecrm_finance_qb.sync.policy import Reaction, reaction
from onecrm_finance_qb.sync.transitions import SyncedWrite

#: Records read from the host per ``changed_since`` call during registration.
REGISTRATION_PAGE = 500
#: How far back ListDeletedQuery looks on the first run.
FIRST_DELETION_WINDOW = timedelta(days=3650)


#: Where a write's request context names the CRM version it sends (``_crm_version``).
_CRM_VERSION_KEY = 'crm_modified_at'
#: The status a write that must wait keeps, by its action.
_PENDING_FOR = {'add': LinkStatus.PENDING_EXPORT, 'mod': LinkStatus.PENDING_UPDATE}
#: The writes whose successful answers are recorded in bulk: what each counts as, and the first sync it makes.
_CONFIRMED = {'add': ('exported', FirstSync.EXPORTED), 'mod': ('updated_in_qb', None)}

#: A link's ListID as no index can use it ('' when it has none), for "has a ListID" and "has none".
#: Compared as the column itself, SQLite chose the (server, type, ListID) index: "has one" walked
#: every linked record of the type, and "has none" every unsent one, where the status or the
#: name index finds the few rows wanted.
_LIST_ID_PAST_INDEXES = sa.func.coalesce(SyncLink.qb_id, '')
#: Statuses of links whose QuickBooks record is read again even when it did not change.
_IMPORT_UNFINISHED = frozenset({LinkStatus.PENDING_IMPORT, LinkStatus.IMPORT_BLOCKED, LinkStatus.IMPORT_ERROR})


def _unchanged(data: dict, edit_sequence: str | None, status: str) -> bool:
    """Whether a QuickBooks record is the version the link already holds, with nothing left to import."""
    return data.get('EditSequence') == edit_sequence and status not in _IMPORT_UNFINISHED


def lookup_each(repository: Any, lookup: str, keys: Collection[str]) -> dict[str, tuple[Any, ...]]:
    """The repository's batched ``<lookup>s`` of ``keys`` (``find_by_names``...), by key.

    The batched lookups joined the host contract after ``find_by_name``, so a host without them
    is asked once per key instead.
    """
    batched = getattr(repository, f'{lookup}s', None)
    if batched is not None:
        return batched(keys)
    single = getattr(repository, lookup)
    return {key: found for key in keys if (found := single(key))}


def modified_dates(repository: Any, record_ids: Collection[str]) -> dict[str, datetime]:
    """The repository's ``modified_dates``, or the dates of ``get_many``'s records for a host without it."""
    batched = getattr(repository, 'modified_dates', None)
    if batched is not None:
        return batched(record_ids)
    return {record_id: record.date_modified for record_id, record in repository.get_many(record_ids).items()}


def changes_to_register(repository: Any, cursor: str | None, limit: int) -> ChangePage[Any]:
    """The repository's ``changed_since_brief`` (records light enough for registration), else ``changed_since``.

    Registration reads every changed record but only its identity, name and flags; the records
    it registers are read whole when they are sent. The brief feed joined the host contract
    within version 1, so a host without it is read whole.
    """
    brief = getattr(repository, 'changed_since_brief', None)
    if brief is not None:
        return brief(cursor, limit)
    return repository.changed_since(cursor, limit)


def _crm_version(record: Any) -> dict[str, str]:
    """The request context naming the CRM version a write sends: the record's modification time."""
    return {_CRM_VERSION_KEY: record.date_modified.isoformat()} if record.date_modified else {}


def _crm_version_sent(sent: SentRequest) -> datetime | None:
    """The CRM version an answered write sent, for the link to remember as synced (None: keep the link's)."""
    sent_at = context_of(sent).get(_CRM_VERSION_KEY)
    return datetime.fromisoformat(sent_at) if sent_at else None


def _versions_sent(ctx: SyncContext, link_ids: list[int]) -> dict[int, dict[str, str]]:
    """The CRM version the latest Add of each link sent (``_crm_version``), from the requests kept.

    A link whose requests were pruned already has none: the answer then keeps the link's own.
    """
    if not link_ids:
        return {}
    query = (
        sa.select(SentRequest.link_id, SentRequest.context)
        .where(SentRequest.server_id == ctx.server.id, SentRequest.link_id.in_(link_ids), SentRequest.action == 'add')
        .order_by(SentRequest.id)
    )
    versions = {}
    for add in ctx.db.execute(query):
        sent_at = context_of(add).get(_CRM_VERSION_KEY)
        versions[add.link_id] = {_CRM_VERSION_KEY: sent_at} if sent_at else {}
    return versions


class RecordProblemError(Exception):
    """Why a record cannot go, kept as a ``Message`` so the administrator reads it in their language."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class NotReadyError(RecordProblemError):
    """The record cannot go yet; the message says what it waits for."""


class BlockedError(RecordProblemError):
    """Something about the record must be fixed in the CRM; the message says what."""


class RecordFamily:
    """Stages shared by families of linked records; subclasses fill in the hooks at the end."""

    name: str
    crm_kind: str
    qb_type: str
    #: QuickBooks types whose names share this family's namespace (entities, items).
    namespace: tuple[str, ...]
    import_key: str
    export_key: str
    delete_key: str
    conflict_key: str
    import_batch_key: str
    export_batch_key: str
    stages = ('register', 'import', 'fetch', 'export', 'update', 'delete')
    #: What ``_import_records`` keeps in the call's cache (``_cache_key``) for one page only.
    page_caches: tuple[str, ...] = ('crm_modified', 'namesakes', 'namesake_links')

    # -- planning ----------------------------------------------------------------------------

    def plan(self, ctx: SyncContext, stage: str, limit: int) -> list[Planned]:
        planned = getattr(self, f'_plan_{stage}')(ctx, limit)
        if stage == 'import' and len(planned) < limit:
            planned.extend(self._plan_deletions_seen(ctx))
        return planned

    def _query(self) -> PagedQuery:
        return PagedQuery(
            self.qb_type,
            f'{self.qb_type}Query',
            self.name,
            iterable=True,
            fields={'ActiveStatus': 'All'},
            identity=identity_of(self.qb_type),
        )

    def _plan_register(self, ctx: SyncContext, limit: int) -> list[Planned]:
        """Walk the CRM's changes since the last walk, registering the records to export or update.

        A walk made while export was off registered no new record, so the first walk after export
        is switched on starts over: the records that already existed are exported too.

        With export, deletion and import all off, no stage acts on what a walk registers, so there
        is none and the saved state stays as it was: the next walk, once one of them is on, starts
        where the last one ended and sees every change made meanwhile. Import alone is enough to
        walk: a walk disables the links of deleted CRM records, which import must then leave alone.
        """
        if ctx.setting(self.export_key) or ctx.setting(self.delete_key) or ctx.setting(self.import_key):
            self._walk_changes(ctx)
        self.register_other_changes(ctx)
        return []

    def _walk_changes(self, ctx: SyncContext) -> None:
        """Register the CRM's changes since the last walk, read light (``changes_to_register``)."""
        key = f'register:{self.name}'
        export = bool(ctx.setting(self.export_key))
        walked = state.load(ctx.db, ctx.server.id, key)
        cursor = walked.get('cursor') if walked.get('export', True) or not export else None
        repository = self.repository(ctx)
        while True:
            page = changes_to_register(repository, cursor, REGISTRATION_PAGE)
            self._register(ctx, [record for record in page.records if self.wants(record)])
            cursor = page.cursor
            if not page.has_more:
                break
        state.save(ctx.db, ctx.server.id, key, {'cursor': cursor, 'export': export})

    def _register(self, ctx: SyncContext, records: list[Any]) -> None:
        """Register a page of changed CRM records.

        New links are inserted with the table's own multi-row INSERT rather than added to the
        session or passed through the ORM's bulk insert: nothing reads them as objects here, and
        a first registration inserts a link for every CRM record, so each row's handling counts.
        """
        if not records:
            return
        links = self._links_by_crm_id(ctx, [record.id for record in records])
        export = bool(ctx.setting(self.export_key))
        delete = bool(ctx.setting(self.delete_key))
        new = [record.id for record in records if record.id not in links and not record.deleted]
        exportable = self.exportable(ctx, new) if export and new else set()
        registered = []
        for record in records:
            link = links.get(record.id)
            if record.deleted:
                self._register_deletion(link, delete)
                continue
            if link is None:
                if record.id in exportable:
                    name = self.qb_name(record)[:255]
                    registered.append(
                        {
                            'server_id': ctx.server.id,
                            'crm_kind': self.crm_kind,
                            'crm_id': record.id,
                            'qb_type': self.qb_type_for(record),
                            'name': name,
                            'name_key': name_key(name),
                            'status': LinkStatus.PENDING_EXPORT,
                        }
                    )
                    ctx.count(f'{self.name}.registered')
                continue
            if link.crm_modified_at is not None and record.date_modified <= link.crm_modified_at:
                continue
            link.name = self.qb_name(record)[:255] if link.qb_id is None else link.name
            if link.status == LinkStatus.EXPORT_BLOCKED:
                link.status, link.message = LinkStatus.PENDING_EXPORT, ''
            elif link.status in (LinkStatus.ENABLED, LinkStatus.UPDATE_BLOCKED) and link.qb_id and export:
                link.status, link.message = LinkStatus.PENDING_UPDATE, ''
                ctx.count(f'{self.name}.changed')
        if registered:
            ctx.db.execute(SyncLink.__table__.insert(), registered)
        ctx.db.flush()

    @staticmethod
    def _register_deletion(link: SyncLink | None, delete: bool) -> None:
        if link is None or link.status == LinkStatus.DISABLED:
            return
        if link.qb_id and delete:
            link.status, link.message = LinkStatus.PENDING_DELETE, ''
        else:
            link.status, link.message = LinkStatus.DISABLED, N_('The CRM record was deleted.')

    def _plan_import(self, ctx: SyncContext, limit: int) -> list[Planned]:
        if not ctx.setting(self.import_key):
            return []
        return self._query().plan(ctx, int(ctx.setting(self.import_batch_key)))

    def _due(self, ctx: SyncContext, statuses: Iterable[str], limit: int, *, with_qb_id: bool | None) -> list[SyncLink]:
        """The next ``limit`` links in ``statuses`` this run has not taken yet, through the status index.

        "Has a ListID" is written past the indexes (``_LIST_ID_PAST_INDEXES``): written ``IS NOT
        NULL``, it walked every linked record of the type on every stage of every run.
        """
        query = sa.select(SyncLink).where(
            SyncLink.server_id == ctx.server.id,
            SyncLink.crm_kind == self.crm_kind,
            SyncLink.qb_type.in_(self.qb_types()),
            SyncLink.status.in_(list(statuses)),
            sa.or_(SyncLink.last_run_id.is_(None), SyncLink.last_run_id != ctx.run.id),
            sa.or_(SyncLink.next_attempt_at.is_(None), SyncLink.next_attempt_at <= ctx.now),
        )
        if with_qb_id is True:
            query = query.where(_LIST_ID_PAST_INDEXES != '')
        elif with_qb_id is False:
            query = query.where(SyncLink.qb_id.is_(None))
        return list(ctx.db.scalars(query.order_by(SyncLink.id).limit(limit)))

    def _plan_fetch(self, ctx: SyncContext, limit: int) -> list[Planned]:
        if not ctx.setting(self.import_key):
            return []
        links = self._due(ctx, (LinkStatus.PENDING_IMPORT, LinkStatus.IMPORT_BLOCKED), limit, with_qb_id=True)
        by_type: dict[str, list[SyncLink]] = {}
        for link in links:
            link.last_run_id = ctx.run.id
            by_type.setdefault(link.qb_type, []).append(link)
        return [
            Planned(f'{qb_type}Query', {'ListID': [link.qb_id for link in group]}, self.name, 'fetch')
            for qb_type, group in by_type.items()
        ]

    def _plan_export(self, ctx: SyncContext, limit: int) -> list[Planned]:
        planned = self._plan_verifications(ctx, limit)
        if planned or not ctx.setting(self.export_key):
            return planned
        return self._plan_batches(ctx, LinkStatus.PENDING_EXPORT, limit, self._export_batch)

    def _plan_batches(
        self,
        ctx: SyncContext,
        status: LinkStatus,
        limit: int,
        plan_batch: Callable[[SyncContext, list[SyncLink]], list[Planned]],
    ) -> list[Planned]:
        """Requests for the next due rows; a batch whose rows all wait or block is followed by the next.

        An empty plan ends the stage, so a batch of rows that cannot go (their terms are not mapped,
        say) must not hide the rows behind it. A batch that plans nothing has marked each of its
        rows with the run or moved it out of ``status`` (``_batch``), so the loop ends when no row
        is left; a planned row is marked when its message goes.
        """
        while True:
            links = self._due(ctx, (status,), limit, with_qb_id=status is not LinkStatus.PENDING_EXPORT)
            if not links:
                return []
            planned = plan_batch(ctx, links)
            if planned:
                return planned

    def _export_batch(self, ctx: SyncContext, links: list[SyncLink]) -> list[Planned]:
        """Adds for a batch of Pending Export rows; see ``_batch`` for how the rows are marked taken."""
        taken = self._names_taken(ctx, links)
        return self._batch(ctx, links, 'add', lambda link, record: self._add(ctx, link, record, taken))

    def _add(self, ctx: SyncContext, link: SyncLink, record: Any, taken: dict[str, int]) -> Planned:
        self._check_unique(link, taken)
        fields = self.add_fields(ctx, record, link)
        taken[link.name.casefold()] = link.id
        fields['IncludeRetElement'] = list(write_answer_of(link.qb_type))
        return Planned(f'{link.qb_type}Add', fields, self.name, 'add', link_id=link.id, context=_crm_version(record))

    def _batch(
        self, ctx: SyncContext, links: list[SyncLink], action: str, plan_one: Callable[[SyncLink, Any], Planned]
    ) -> list[Planned]:
        """The ``action`` requests ``plan_one`` makes for a batch of rows, their CRM records read in one go.

        A row that goes is not written here: its message marks it taken for the run
        (``transitions.send_all``), and its answer stamps the CRM version it sent (``_crm_version``;
        an Add whose answer was lost passes it on to its verification). Writing both while planning
        cost an UPDATE of every exported row more. A row that does not go is marked taken now, so
        the stage moves past it.
        """
        self._prefetch(ctx, [link.crm_id for link in links])
        planned = []
        for link in links:
            request = self._plan_row(ctx, link, action, plan_one)
            if request is None:
                link.last_run_id = ctx.run.id
            else:
                planned.append(request)
        return planned

    def _plan_row(
        self, ctx: SyncContext, link: SyncLink, action: str, plan_one: Callable[[SyncLink, Any], Planned]
    ) -> Planned | None:
        """The request for one row; None when its record is gone, or ``plan_one`` found it blocked or waiting."""
        record = self._live_record(ctx, link)
        if record is None:
            return None
        try:
            return plan_one(link, record)
        except BlockedError as exc:
            transitions.block(link, action, exc.message, tally=ctx, family=self.name)
        except NotReadyError as exc:
            transitions.wait(link, _PENDING_FOR[action], exc.message, ctx.run.id)
        return None

    def _plan_verifications(self, ctx: SyncContext, limit: int) -> list[Planned]:
        """Adds whose answer never came: ask QuickBooks by name whether they were applied.

        Each question carries the CRM version its lost Add sent, so a record QuickBooks did add is
        synced at that version, as the Add's answer would have stamped it.
        """
        query = sa.select(SyncLink).where(
            SyncLink.server_id == ctx.server.id,
            SyncLink.crm_kind == self.crm_kind,
            SyncLink.qb_type.in_(self.qb_types()),
            SyncLink.status == LinkStatus.IN_FLIGHT,
            SyncLink.last_run_id != ctx.run.id,
        )
        links = list(ctx.db.scalars(query.order_by(SyncLink.id).limit(limit)))
        versions = _versions_sent(ctx, [link.id for link in links if not link.qb_id])
        planned = []
        for link in links:
            link.last_run_id = ctx.run.id
            if link.qb_id:
                transitions.not_sent(link)
                continue
            planned.append(
                Planned(
                    f'{link.qb_type}Query',
                    {'FullName': [link.name]},
                    self.name,
                    'verify',
                    link_id=link.id,
                    context=versions.get(link.id, {}),
                )
            )
        return planned

    def _plan_update(self, ctx: SyncContext, limit: int) -> list[Planned]:
        if not ctx.setting(self.export_key):
            return []
        return self._plan_batches(ctx, LinkStatus.PENDING_UPDATE, limit, self._update_batch)

    def _update_batch(self, ctx: SyncContext, links: list[SyncLink]) -> list[Planned]:
        """Mods for a batch of Pending Update rows; see ``_batch`` for how the rows are marked taken."""
        return self._batch(
            ctx, links, 'mod', lambda link, record: self._mod(link, self.mod_fields(ctx, record, link), record)
        )

    def _mod(self, link: SyncLink, fields: dict[str, Any], record: Any, retried: bool = False) -> Planned:
        return Planned(
            f'{link.qb_type}Mod',
            {
                'ListID': link.qb_id,
                'EditSequence': link.edit_sequence or '0',
                **fields,
                'IncludeRetElement': list(write_answer_of(link.qb_type)),
            },
            self.name,
            'mod',
            link_id=link.id,
            context={'retried': retried, **_crm_version(record)},
        )

    def _plan_delete(self, ctx: SyncContext, limit: int) -> list[Planned]:
        planned = [
            Planned('ListDel', {'ListDelType': link.qb_type, 'ListID': link.qb_id}, self.name, 'del', link_id=link.id)
            for link in self._due(ctx, (LinkStatus.PENDING_DELETE,), limit, with_qb_id=True)
        ]
        for planned_link in planned:
            ctx.db.get(SyncLink, planned_link.link_id).last_run_id = ctx.run.id
        return planned

    def _plan_deletions_seen(self, ctx: SyncContext) -> list[Planned]:
        """ListDeletedQuery once a run, while importing: QuickBooks deletions since the last check."""
        key = f'deleted:{self.name}'
        seen = state.load(ctx.db, ctx.server.id, key)
        if not ctx.setting(self.import_key) or ctx.same_run(seen.get('run')):
            return []
        since = datetime.fromisoformat(seen['checked']) if seen.get('checked') else ctx.now - FIRST_DELETION_WINDOW
        overlap = timedelta(minutes=int(ctx.setting('sync.modified_overlap_minutes')))
        state.save(ctx.db, ctx.server.id, key, {'run': ctx.run.id, 'checked': seen.get('checked')})
        return [
            Planned(
                'ListDeletedQuery',
                {'ListDelType': list(self.qb_types()), 'DeletedDateRangeFilter': {'FromDeletedDate': since - overlap}},
                self.name,
                'deleted',
                context={'started': ctx.now.isoformat()},
            )
        ]

    # -- answers -----------------------------------------------------------------------------

    def on_response(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        getattr(self, f'_on_{sent.action}')(ctx, sent, response)

    def on_poisoned(self, ctx: SyncContext, sent: SentRequest, message: str) -> None:
        link = ctx.db.get(SyncLink, sent.link_id) if sent.link_id else None
        if link is not None:
            unread = N_('QuickBooks could not read the request: %(detail)s', detail=message)
            transitions.fail(link, sent.action, unread, tally=ctx, family=self.name)

    def _on_import(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        self._import_answer(ctx, self._query(), context_of(sent), response)

    def _import_answer(self, ctx: SyncContext, query: PagedQuery, context: dict, response: Response) -> None:
        """A page of ``query`` (whole records, or light ones whose changes are fetched next), or a fetch."""
        records = list(response.records)
        if context.get('fetch'):
            self._import_records(ctx, records)
            query.fetched(ctx, response)
            return
        # Which records come in a version already held is read before the page is imported.
        accepted = [record for record in records if self.accepts(record)]
        changed = [record.data['ListID'] for record in self._without_unchanged(ctx, accepted)]
        held = {record.data['ListID'] for record in accepted}.difference(changed)
        page = Page(int(context.get('limit', 0)))
        for record in records:
            page.add(self._page_name(record), record.data.get('TimeModified'), held=record.data['ListID'] in held)
        if context.get('light'):
            query.answered(ctx, response, page, changed)
            return
        self._import_records(ctx, records)
        query.answered(ctx, response, page)

    @staticmethod
    def _page_name(record: Record) -> str:
        """The name a page is ordered by (paging by name continues from the last one)."""
        return record.data.get('FullName') or record.data.get('Name', '')

    def _on_fetch(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        self._import_records(ctx, list(response.records))

    def _import_records(self, ctx: SyncContext, records: list[Record]) -> None:
        records = self._without_unchanged(ctx, [record for record in records if self.accepts(record)])
        if not records:
            return
        ids = [record.data['ListID'] for record in records]
        links = {
            link.qb_id: link
            for link in ctx.db.scalars(
                sa.select(SyncLink).where(SyncLink.server_id == ctx.server.id, SyncLink.qb_id.in_(ids))
            )
        }
        new = [record for record in records if record.data['ListID'] not in links]
        pending = self._pending_exports_named(ctx, new)
        # Only a first import reads the CRM record of its link (the pending export it takes over);
        # a change to a linked record never does, so reading those would cost a page of CRM rows for nothing.
        self._prefetch_modified(ctx, [link.crm_id for link in pending.values()])
        self._prefetch_namesakes(ctx, [record for record in new if self._pending_of(record) not in pending])
        self._prefetch_page(ctx, records)
        ctx.cache[self._cache_key('written')] = []
        for record in records:
            link = links.get(record.data['ListID'])
            if link is None:
                link = self._first_import(ctx, record)
            else:
                self._import_change(ctx, link, record)
            self._learn(ctx, link)
        self._stamp_written(ctx)
        for what in self.page_caches:
            ctx.cache.pop(self._cache_key(what), None)
        ctx.db.flush()

    def _prefetch_page(self, ctx: SyncContext, records: list[Record]) -> None:
        """Read at once what importing a page needs per record beyond its namesakes (nothing unless a family says).

        What it leaves in the call's cache must be under one of ``page_caches``, so it is dropped with the page.
        """

    def _without_unchanged(self, ctx: SyncContext, records: list[Record]) -> list[Record]:
        """The records of a page QuickBooks changed since we last saw them, judged by a light query.

        A modified-date query sends back everything in its overlap window, and every record the
        last run wrote to QuickBooks: most of such a page is unchanged, and loading its links
        would cost more than the rest of the page.
        """
        ids = [record.data['ListID'] for record in records]
        if not ids:
            return records
        query = sa.select(SyncLink.qb_id, SyncLink.edit_sequence, SyncLink.status).where(
            SyncLink.server_id == ctx.server.id, SyncLink.qb_id.in_(ids)
        )
        seen = {qb_id: (edit_sequence, status) for qb_id, edit_sequence, status in ctx.db.execute(query)}
        return [
            record
            for record in records
            if record.data['ListID'] not in seen or not _unchanged(record.data, *seen[record.data['ListID']])
        ]

    def _pending_of(self, record: Record) -> tuple[str, str]:
        """The key of ``_pending_exports_named`` a new record takes its pending link by."""
        return record.tag.removesuffix('Ret'), name_key(self.ret_name(record.data))

    def _prefetch_namesakes(self, ctx: SyncContext, records: list[Record]) -> None:
        """Look up the CRM namesakes of a page's new records at once, with their links and modification times.

        ``namesakes``, ``_namesake`` and ``_crm_modified`` hand them out. Without them, a new record
        with a namesake costs two lookups of its own, and each first flushes the page's writes so far.
        """
        keys = {self.match_key(record.data) for record in records}
        found = self.find_namesakes(ctx, keys) if keys else {}
        ctx.cache[self._cache_key('namesakes')] = {key.lower(): found.get(key, ()) for key in keys}
        crm_records = {crm_record.id: crm_record for named in found.values() for crm_record in named}
        linked = self._links_by_crm_id(ctx, list(crm_records)) if crm_records else {}
        ctx.cache[self._cache_key('namesake_links')] = {crm_id: linked.get(crm_id) for crm_id in crm_records}
        modified = ctx.cache.setdefault(self._cache_key('crm_modified'), {})
        modified.update({crm_id: crm_record.date_modified for crm_id, crm_record in crm_records.items()})

    def _learn(self, ctx: SyncContext, link: SyncLink) -> None:
        """Keep what the page prefetched true once a record is imported: ``link`` may now hold a CRM record.

        Lookups of the page's later records trust what was prefetched, including "no link".
        """
        known = ctx.cache.get(self._cache_key('namesake_links'))
        if known is not None and link.crm_id is not None:
            known[link.crm_id] = link

    def namesakes(self, ctx: SyncContext, key: str) -> tuple[Any, ...]:
        """The live CRM records ``key`` names (ignoring case), oldest first: prefetched for the page, else read now."""
        prefetched = ctx.cache.get(self._cache_key('namesakes'))
        if prefetched is not None and key.lower() in prefetched:
            return prefetched[key.lower()]
        return self.find_namesakes(ctx, [key]).get(key, ())

    def _pending_exports_named(self, ctx: SyncContext, records: list[Record]) -> dict[tuple[str, str], SyncLink]:
        """The unsent links a page of new QuickBooks records may be linked to by name, in one query.

        They are kept in the call's cache for ``_first_import``, which takes each one once.
        "Has no ListID" is written past the indexes (``_LIST_ID_PAST_INDEXES``), leaving the name
        index to find the page's names: written ``IS NULL``, each page read every unsent link of
        the type, 100,000 of them on a first sync that exports as many records.
        """
        names = {name_key(self.ret_name(record.data)) for record in records}
        found: dict[tuple[str, str], SyncLink] = {}
        if names:
            query = (
                sa.select(SyncLink)
                .where(
                    SyncLink.server_id == ctx.server.id,
                    SyncLink.qb_type.in_({record.tag.removesuffix('Ret') for record in records}),
                    _LIST_ID_PAST_INDEXES == '',
                    SyncLink.name_key.in_(names),
                )
                .order_by(SyncLink.id.desc())
            )
            found = {(link.qb_type, link.name_key): link for link in ctx.db.scalars(query)}
        ctx.cache[self._cache_key('pending_exports')] = found
        return found

    def _first_import(self, ctx: SyncContext, record: Record) -> SyncLink:
        """A QuickBooks record never seen: link an existing CRM record with that name, else create one; its link."""
        data = record.data
        name = self.ret_name(data)
        qb_type = record.tag.removesuffix('Ret')
        # Read for the whole page by ``_pending_exports_named`` (``_import_records``).
        link = ctx.cache[self._cache_key('pending_exports')].pop((qb_type, name_key(name)), None)
        if link is None:
            crm_id, taken = self._namesake(ctx, data)
            if taken is not None and taken.qb_id is None:
                # The CRM record waits to be exported under another QuickBooks type (a product
                # registered as non-inventory that QuickBooks holds as a service item, say): it is
                # the same thing, so it takes QuickBooks' record instead of adding a second one.
                taken.qb_type = qb_type
                link = taken
            elif taken is not None:
                link = SyncLink(
                    server_id=ctx.server.id,
                    crm_kind=self.crm_kind,
                    qb_type=qb_type,
                    qb_id=data['ListID'],
                    name=name[:255],
                    status=LinkStatus.PENDING_IMPORT,
                )
                ctx.db.add(link)
                self._refuse_second_link(ctx, link, name)
                return link
        if link is None:
            link = SyncLink(
                server_id=ctx.server.id,
                crm_kind=self.crm_kind,
                crm_id=crm_id,
                qb_type=record.tag.removesuffix('Ret'),
                qb_id=data['ListID'],
                name=name[:255],
                status=LinkStatus.PENDING_IMPORT,
            )
            ctx.db.add(link)
        else:
            link.qb_id = data['ListID']
        link.parent_qb_id = (data.get('ParentRef') or {}).get('ListID')
        if link.crm_id is not None:
            self._synced(ctx, link, data, self._crm_modified(ctx, link.crm_id), FirstSync.IMPORTED)
            ctx.count(f'{self.name}.linked')
            return link
        self._write_crm(ctx, link, data, create=True)
        return link

    def _namesake(self, ctx: SyncContext, data: dict) -> tuple[str | None, SyncLink | None]:
        """The CRM record a new QuickBooks record matches by name or part number, and its link if any."""
        crm_id = self.match_existing(ctx, data)
        if crm_id is None:
            return None, None
        prefetched = ctx.cache.get(self._cache_key('namesake_links'), {})
        if crm_id in prefetched:
            return crm_id, prefetched[crm_id]
        return crm_id, self._links_by_crm_id(ctx, [crm_id]).get(crm_id)

    def _refuse_second_link(self, ctx: SyncContext, link: SyncLink, name: str) -> None:
        """A QuickBooks record whose CRM namesake is linked to another one: never a duplicate.

        Creating a second CRM record would duplicate it (or, for part numbers, break their
        uniqueness); the QuickBooks record stays Import Blocked with the reason instead.
        """
        transitions.block(
            link,
            'import',
            N_(
                'The CRM record named "%(name)s" is already linked to another QuickBooks record: rename one '
                'of the two in QuickBooks, then use Force Re-Import.',
                name=name,
            ),
            tally=ctx,
            family=self.name,
        )

    def _import_change(self, ctx: SyncContext, link: SyncLink, record: Record) -> None:
        data = record.data
        if _unchanged(data, link.edit_sequence, link.status):
            return
        if link.status in (LinkStatus.DISABLED, LinkStatus.HELD, LinkStatus.IN_FLIGHT):
            return
        if link.status in (LinkStatus.PENDING_UPDATE, LinkStatus.UPDATE_BLOCKED, LinkStatus.UPDATE_ERROR):
            self._conflict(ctx, link, record)
            return
        if link.crm_id is None:
            crm_id, taken = self._namesake(ctx, data)
            if taken is not None and taken is not link:
                self._refuse_second_link(ctx, link, self.ret_name(data))
                return
            if crm_id is not None and taken is None:
                link.crm_id = crm_id
                self._synced(ctx, link, data, self._crm_modified(ctx, crm_id), FirstSync.IMPORTED)
                ctx.count(f'{self.name}.linked')
                return
        self._write_crm(ctx, link, data, create=link.crm_id is None)

    def _conflict(self, ctx: SyncContext, link: SyncLink, record: Record) -> None:
        """Changed on both sides since the last sync: apply the data type's policy and keep a record of it."""
        data = record.data
        policy = ConflictPolicy(ctx.setting(self.conflict_key))
        held = policy is ConflictPolicy.HOLD
        ctx.db.add(
            SyncConflict(
                server_id=ctx.server.id,
                link_id=link.id,
                qb_type=link.qb_type,
                name=link.name,
                policy=policy,
                crm_modified_at=link.crm_modified_at,
                qb_modified_at=data.get('TimeModified'),
                qb_version=self._qb_version(ctx, data) if held else None,
                qb_edit_sequence=data.get('EditSequence'),
                resolved_at=None if held else ctx.now,
            )
        )
        ctx.count(f'{self.name}.conflicts')
        if policy is ConflictPolicy.CRM_WINS:
            link.edit_sequence = data.get('EditSequence')
            link.qb_modified_at = data.get('TimeModified')
        elif policy is ConflictPolicy.QB_WINS:
            self._write_crm(ctx, link, data, create=False)
        else:
            transitions.hold(link, N_('Changed in both the CRM and QuickBooks since the last sync: held for review.'))

    def _qb_version(self, ctx: SyncContext, data: dict) -> str | None:
        """QuickBooks' version in CRM fields, for the administrator to compare; None when it cannot be mapped yet."""
        try:
            return conflict_versions.dump(self.to_crm(ctx, data))
        except (NotReadyError, LookupError, ValueError):
            return None

    def _write_crm(self, ctx: SyncContext, link: SyncLink, data: dict, *, create: bool) -> None:
        repository = self.repository(ctx)
        try:
            crm_data = self.to_crm(ctx, data)
            crm_id = repository.create_from_qb(crm_data) if create else repository.update_from_qb(link.crm_id, crm_data)
        except NotReadyError as exc:
            transitions.block(link, 'import', exc.message, tally=ctx, family=self.name)
            link.qb_id = data['ListID']
            return
        except (LookupError, ValueError) as exc:
            refused = N_('The CRM refused the QuickBooks data: %(detail)s', detail=message_of(exc))
            transitions.fail(link, 'import', refused, tally=ctx, family=self.name)
            return
        self._namesakes_written(ctx, data, create=create)
        link.crm_id = crm_id
        written = ctx.cache.get(self._cache_key('written'))
        if written is None:
            record = repository.get(crm_id)
            self._synced(ctx, link, data, record.date_modified if record else None, FirstSync.IMPORTED)
        else:
            self._synced(ctx, link, data, None, FirstSync.IMPORTED)
            written.append(link)
        ctx.count(f'{self.name}.imported' if create else f'{self.name}.updated_in_crm')

    def _synced(
        self, ctx: SyncContext, link: SyncLink, data: dict, crm_modified_at: datetime | None, first_sync: FirstSync
    ) -> None:
        transitions.synced_with(link, self._synced_write(data, crm_modified_at, first_sync), ctx.now)

    def _synced_write(self, data: dict, crm_modified_at: datetime | None, first_sync: FirstSync | None) -> SyncedWrite:
        """What the record QuickBooks sent back makes of its link: the sync's values, its name and parent,
        and a note when QuickBooks keeps it inactive."""
        return SyncedWrite(
            qb_id=data['ListID'],
            edit_sequence=data.get('EditSequence'),
            qb_modified_at=data.get('TimeModified'),
            crm_modified_at=crm_modified_at,
            first_sync=first_sync,
            name=self.ret_name(data)[:255],
            parent_qb_id=(data.get('ParentRef') or {}).get('ListID'),
            message=N_('Inactive in QuickBooks.') if data.get('IsActive') is False else '',
        )

    def synced_in_bulk(self, ctx: SyncContext, sent: SentRequest, response: Response) -> SyncedWrite | None:
        """A successful Add or Mod answer as the write recording it (``transitions.synced_all``).

        The engine records a message's confirmed writes in one statement. Any other answer gets
        None, and ``on_response`` reads it: no record it held has been read here.
        """
        confirmed = _CONFIRMED.get(sent.action)
        if confirmed is None or response.status_code >= 1000:
            return None
        records = list(response.records)
        if not records:
            return None
        counted_as, first_sync = confirmed
        ctx.count(f'{self.name}.{counted_as}')
        return self._synced_write(records[0].data, _crm_version_sent(sent), first_sync)

    def _on_write(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        """An Add or Mod answer read on its own: recorded as ``synced_in_bulk`` reads it, or a failure."""
        write = self.synced_in_bulk(ctx, sent, response)
        if write is not None:
            transitions.synced_all(ctx.db, {sent.link_id: write}, ctx.now)
            return
        self._react(ctx, sent, ctx.db.get(SyncLink, sent.link_id), response)

    _on_add = _on_mod = _on_write

    def _react(self, ctx: SyncContext, sent: SentRequest, link: SyncLink, response: Response) -> None:
        """Apply the status-code policy to a failed Add or Mod."""
        what = reaction(response.status_class)
        text = N_('QuickBooks status %(code)s: %(detail)s', code=response.status_code, detail=response.status_message)
        if what is Reaction.LINK_BY_NAME and sent.action == 'add':
            transitions.not_sent(link)
            ctx.followups.append(
                Planned(f'{link.qb_type}Query', {'FullName': [link.name]}, self.name, 'same_name', link_id=link.id)
            )
        elif what is Reaction.REQUERY_AND_RETRY and not context_of(sent).get('retried'):
            transitions.not_sent(link)
            ctx.followups.append(
                Planned(f'{link.qb_type}Query', {'ListID': [link.qb_id]}, self.name, 'requery', link_id=link.id)
            )
        elif what in (Reaction.RETRY_LATER, Reaction.REQUERY_AND_RETRY):
            transitions.retry_later(
                link,
                N_('A temporary QuickBooks error; trying again later. %(text)s', text=text),
                ctx.now,
                int(ctx.setting('sync.retry_minutes')),
            )
            ctx.count(f'{self.name}.retried')
        elif what is Reaction.WAIT_FOR_DEPENDENCY:
            transitions.not_sent(link)
            transitions.wait(
                link, LinkStatus(link.status), N_('Waiting for a record it refers to. %(text)s', text=text), ctx.run.id
            )
        elif what is Reaction.BLOCK:
            transitions.block(link, sent.action, text, tally=ctx, family=self.name)
        else:
            transitions.fail(link, sent.action, text, tally=ctx, family=self.name)

    def _on_same_name(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        """After 3100: the same kind of record with that name, not linked to anything else, is ours to link."""
        link = ctx.db.get(SyncLink, sent.link_id)
        records = list(response.records)
        taken = (
            records
            and ctx.db.scalar(
                sa.select(SyncLink.id).where(
                    SyncLink.server_id == ctx.server.id, SyncLink.qb_id == records[0].data['ListID']
                )
            )
            is not None
        )
        if records and not taken:
            self._synced(ctx, link, records[0].data, None, FirstSync.EXPORTED)
            link.crm_modified_at = None
            link.status = LinkStatus.PENDING_UPDATE
            link.last_run_id = None
            link.message = N_('Linked to the QuickBooks record of the same name; the CRM data will be sent to it.')
            return
        transitions.block(
            link,
            'add',
            N_(
                'The name "%(name)s" is already used in QuickBooks by another record (customer, vendor, employee, '
                'other name or item): rename one of them.',
                name=link.name,
            ),
            tally=ctx,
            family=self.name,
        )

    def _on_requery(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        """After 3200: take the current EditSequence and send the Mod once more."""
        link = ctx.db.get(SyncLink, sent.link_id)
        records = list(response.records)
        record = self._live_record(ctx, link) if records else None
        if record is None:
            transitions.fail(
                link,
                'mod',
                N_('The QuickBooks record could not be found again: %(detail)s', detail=response.status_message),
                tally=ctx,
                family=self.name,
            )
            return
        link.edit_sequence = records[0].data.get('EditSequence')
        ctx.followups.append(self._mod(link, self.mod_fields(ctx, record, link), record, retried=True))

    def _on_verify(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        """An Add whose answer was lost: linked if QuickBooks has it, otherwise sent again."""
        link = ctx.db.get(SyncLink, sent.link_id)
        records = list(response.records)
        if records:
            self._synced(ctx, link, records[0].data, _crm_version_sent(sent), FirstSync.EXPORTED)
            ctx.count(f'{self.name}.verified')
            return
        transitions.not_sent(link)
        link.last_run_id = None

    def _on_del(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        link = ctx.db.get(SyncLink, sent.link_id)
        if response.status_code < 1000 or response.status_code == 3120:
            link.first_sync, link.status, link.message = FirstSync.DELETED, LinkStatus.DISABLED, ''
            link.status_before = None
            return
        self._react(ctx, sent, link, response)

    def _on_deleted(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        """QuickBooks deletions: the links stop syncing; the CRM records stay (deleting them is a person's call).

        The overlap reports a deletion again on the next run, and our own ListDel comes back too:
        a link already known deleted is left as it is and not counted again.
        """
        records = list(response.records)
        ids = [record.data['ListID'] for record in records]
        if ids:
            links = ctx.db.scalars(
                sa.select(SyncLink).where(
                    SyncLink.server_id == ctx.server.id,
                    SyncLink.qb_id.in_(ids),
                    SyncLink.first_sync != FirstSync.DELETED,
                )
            )
            for link in links:
                link.status, link.first_sync = LinkStatus.DISABLED, FirstSync.DELETED
                link.message = N_('Deleted in QuickBooks.')
                ctx.count(f'{self.name}.deleted_in_qb')
        if response.status_code < 1000:
            key = f'deleted:{self.name}'
            state.save(ctx.db, ctx.server.id, key, {'run': ctx.run.id, 'checked': context_of(sent)['started']})

    # -- helpers -----------------------------------------------------------------------------

    def _links_by_crm_id(self, ctx: SyncContext, ids: list[str]) -> dict[str, SyncLink]:
        query = sa.select(SyncLink).where(
            SyncLink.server_id == ctx.server.id, SyncLink.crm_kind == self.crm_kind, SyncLink.crm_id.in_(ids)
        )
        return {link.crm_id: link for link in ctx.db.scalars(query)}

    def _names_taken(self, ctx: SyncContext, links: list[SyncLink]) -> dict[str, int]:
        """Names (case-folded) already used by other links in the namespace, for the uniqueness rule."""
        names = {name_key(link.name) for link in links}
        if not names:
            return {}
        query = (
            sa.select(SyncLink.name, SyncLink.id)
            .where(
                SyncLink.server_id == ctx.server.id,
                SyncLink.qb_type.in_(self.namespace),
                SyncLink.name_key.in_(names),
                SyncLink.status.not_in((LinkStatus.DISABLED, LinkStatus.EXPORT_BLOCKED, LinkStatus.EXPORT_ERROR)),
            )
            .order_by(SyncLink.qb_id.is_(None), SyncLink.id)
        )
        taken: dict[str, int] = {}
        for name, link_id in ctx.db.execute(query):
            taken.setdefault(name.casefold(), link_id)
        return taken

    def _check_unique(self, link: SyncLink, taken: dict[str, int]) -> None:
        other = taken.get(link.name.casefold())
        if other is not None and other != link.id:
            raise BlockedError(self.duplicate_message(link.name))

    def _cache_key(self, what: str) -> str:
        """This family's entry ``what`` in the call's cache (``ctx.cache``)."""
        return f'{what}:{self.name}'

    def _namesakes_written(self, ctx: SyncContext, data: dict, *, create: bool) -> None:
        """Keep the page's prefetched namesakes true after a CRM write.

        A created record is a new namesake of its own name, so that name is looked up again; an
        updated one may have been renamed from any name, so every lookup is made afresh.
        """
        prefetched = ctx.cache.get(self._cache_key('namesakes'))
        if prefetched is None:
            return
        if create:
            prefetched.pop(self.match_key(data).lower(), None)
        else:
            ctx.cache.pop(self._cache_key('namesakes'))

    def _prefetch(self, ctx: SyncContext, crm_ids: Iterable[str | None]) -> None:
        """Read the CRM records a batch needs in one ``get_many``, for ``_crm_record`` to hand out."""
        wanted = [crm_id for crm_id in crm_ids if crm_id]
        ctx.cache[self._cache_key('crm_records')] = self.repository(ctx).get_many(wanted) if wanted else {}

    def _crm_record(self, ctx: SyncContext, crm_id: str) -> Any:
        """The CRM record, prefetched or read now; a prefetched one is handed out once, so it is never stale."""
        prefetched = ctx.cache.get(self._cache_key('crm_records'), {})
        if crm_id in prefetched:
            return prefetched.pop(crm_id)
        return self.repository(ctx).get(crm_id)

    def _stamp_written(self, ctx: SyncContext) -> None:
        """The CRM's modification time of the records a page imported, read back in one lookup.

        It tells the next registration which CRM changes are our own writes.
        """
        links = ctx.cache.pop(self._cache_key('written'), [])
        ctx.cache.pop(self._cache_key('pending_exports'), None)
        dates = modified_dates(self.repository(ctx), [link.crm_id for link in links]) if links else {}
        for link in links:
            link.crm_modified_at = dates.get(link.crm_id)

    def _prefetch_modified(self, ctx: SyncContext, crm_ids: Iterable[str | None]) -> None:
        """The modification times of the CRM records a page of imports links to, for ``_crm_modified``."""
        wanted = [crm_id for crm_id in crm_ids if crm_id]
        ctx.cache[self._cache_key('crm_modified')] = modified_dates(self.repository(ctx), wanted) if wanted else {}

    def _crm_modified(self, ctx: SyncContext, crm_id: str) -> datetime | None:
        """When the CRM record was last modified (None if unknown): prefetched for the page, else read now.

        A prefetched time is handed out once: a record the page then writes is read afresh.
        """
        prefetched = ctx.cache.get(self._cache_key('crm_modified'), {})
        if crm_id in prefetched:
            return prefetched.pop(crm_id)
        return modified_dates(self.repository(ctx), [crm_id]).get(crm_id)

    def _live_record(self, ctx: SyncContext, link: SyncLink) -> Any:
        record = self._crm_record(ctx, link.crm_id) if link.crm_id else None
        if record is None:
            action = 'add' if link.qb_id is None else 'mod'
            transitions.block(link, action, N_('Related object could not be found.'), tally=ctx, family=self.name)
            return None
        if record.deleted:
            link.status, link.message = LinkStatus.DISABLED, N_('Related object is marked deleted.')
            return None
        return record

    # -- hooks -------------------------------------------------------------------------------

    def repository(self, ctx: SyncContext) -> Repository:
        raise NotImplementedError

    def qb_types(self) -> tuple[str, ...]:
        return (self.qb_type,)

    def qb_type_for(self, record: Stored) -> str:
        return self.qb_type

    def wants(self, record: Stored) -> bool:
        return True

    def exportable(self, ctx: SyncContext, crm_ids: list[str]) -> set[str]:
        """Which of these new CRM records are registered for export (all of them unless a family filters)."""
        return set(crm_ids)

    def register_other_changes(self, ctx: SyncContext) -> None:
        """Register records made due by changes elsewhere in the CRM (none unless a family says so)."""

    def accepts(self, record: Record) -> bool:
        return record.tag.removesuffix('Ret') in self.qb_types()

    def qb_name(self, record: Any) -> str:
        return record.name

    def ret_name(self, data: dict) -> str:
        return data.get('FullName') or data.get('Name', '')

    def duplicate_message(self, name: str) -> Message:
        raise NotImplementedError

    def match_existing(self, ctx: SyncContext, data: dict) -> str | None:
        raise NotImplementedError

    def match_key(self, data: dict) -> str:
        """What ``match_existing`` looks a new QuickBooks record up by: its name (part number for items)."""
        return self.ret_name(data)

    def find_namesakes(self, ctx: SyncContext, keys: Collection[str]) -> dict[str, tuple[Any, ...]]:
        """The live CRM records each of ``keys`` names, by key, in a fixed number of host lookups."""
        raise NotImplementedError

    def to_crm(self, ctx: SyncContext, data: dict) -> Any:
        raise NotImplementedError

    def add_fields(self, ctx: SyncContext, record: Any, link: SyncLink) -> dict[str, Any]:
        raise NotImplementedError

    def mod_fields(self, ctx: SyncContext, record: Any, link: SyncLink) -> dict[str, Any]:
        raise NotImplementedError
