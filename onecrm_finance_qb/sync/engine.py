"""The run driver: works through the families' stages in the guide's order, one message at a time.

Each SOAP call is its own transaction, so everything the engine knows between calls is in the
database: the position in the stage order (``progress`` cursor), the requests queued and sent
(``qb_requests``), the links. ``handle_response`` reads QuickBooks' answers and then plans the
next message right away, which is how it knows whether to answer 100 %. The request cap of an
update (5,000 by default) is counted per request; when it is reached the run ends as partial and
the next update resumes at the same stage instead of starting over.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.links import SyncLink
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.qbxml import QBXMLResponseError, iter_responses
from onecrm_finance_qb.settings_store import get_setting
from onecrm_finance_qb.state import get_host
from onecrm_finance_qb.stored_messages import N_
from onecrm_finance_qb.sync import outbox, state, transitions
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.handlers.base import Family
from onecrm_finance_qb.sync.handlers.entities import CustomerFamily, VendorFamily
from onecrm_finance_qb.sync.handlers.items import AssemblyFamily, DiscountFamily, ProductFamily, RegisteredItemsFamily
from onecrm_finance_qb.sync.handlers.lists import ListsFamily
from onecrm_finance_qb.sync.handlers.standard_items import StandardItemsFamily
from onecrm_finance_qb.webconnector.driver import IdentificationDriver, RunContext

#: QuickBooks could not parse the message: nothing in it ran (qbxml-semantics section 1.4).
PARSE_FAILURE = '0X80040400'
PROGRESS_KEY = 'progress'


def default_families() -> tuple[Family, ...]:
    """The phases in the guide's order: setup lists, items, customers, vendors.

    Among items, the registered-only types come first so every name check sees them, and
    assemblies come after the products they group.
    """
    return (
        ListsFamily(),
        RegisteredItemsFamily(),
        StandardItemsFamily(),
        ProductFamily(),
        DiscountFamily(),
        AssemblyFamily(),
        CustomerFamily(),
        VendorFamily(),
    )


class SyncEngine:
    """The Web Connector service's ``RunDriver`` once the sync is switched on for a server."""

    def __init__(self, families: tuple[Family, ...] | None = None) -> None:
        self.families = {family.name: family for family in families or default_families()}
        self.stages = [(family, stage) for family in self.families.values() for stage in family.stages]
        self.identification = IdentificationDriver()

    # -- RunDriver ---------------------------------------------------------------------------

    def has_work(self, db: Session, server: QBServer) -> bool:
        return bool(get_setting(db, 'sync.allowed', server.id))

    def next_request(self, context: RunContext) -> str | None:
        ctx = self._context(context)
        if not ctx.setting('sync.allowed'):
            return self.identification.next_request(context)
        progress = self._start(ctx)
        if progress.get('identifying'):
            return None
        message = outbox.take_message(ctx, self._room(ctx)) if self._ready(ctx) else None
        if message is None:
            state.save(ctx.db, ctx.server.id, PROGRESS_KEY, {**progress, 'identifying': True})
            return self.identification.next_request(context)
        return message

    def handle_response(self, context: RunContext, response: str) -> int:
        ctx = self._context(context)
        if not ctx.setting('sync.allowed') or self._progress(context).get('identifying'):
            return self.identification.handle_response(context, response)
        waiting = {row.request_id: row for row in outbox.in_message(ctx)}
        answered: dict[int, list[int]] = {}
        confirmed: dict[int, transitions.SyncedWrite] = {}
        links_loaded = False
        try:
            for answer in iter_responses(response, max_bytes=context.max_bytes):
                row = waiting.pop(answer.request_id or '', None)
                if row is None:
                    continue
                family = self.families[row.family]
                write = family.synced_in_bulk(ctx, row, answer)
                if write is not None:
                    confirmed[row.link_id] = write
                else:
                    # The answers before this one are recorded first, so its handler sees them as they are.
                    self._record(ctx, confirmed)
                    if not links_loaded:
                        outbox.links_of(ctx, [row, *waiting.values()])
                        links_loaded = True
                    family.on_response(ctx, row, answer)
                answered.setdefault(answer.status_code, []).append(row.id)
        except QBXMLResponseError as exc:
            # What was read before the damage is applied. QuickBooks may have applied the rest: their
            # outcome is unknown, their links stay in flight, and the next run asks before resending.
            self._record(ctx, confirmed)
            outbox.mark_answered(ctx, answered)
            outbox.mark_unknown(ctx, [row.id for row in waiting.values()])
            ctx.run.message = N_('QuickBooks sent an unreadable response: %(error)s', error=str(exc))
            ctx.run.result = 'partial'
            return -1
        self._record(ctx, confirmed)
        outbox.mark_answered(ctx, answered)
        unanswered = list(waiting.values())
        self._unanswered(unanswered, outbox.links_of(ctx, unanswered))
        return self._carry_on(ctx)

    def handle_failure(self, context: RunContext, hresult: str, message: str) -> int:
        """A message that failed whole: split it when QuickBooks could not parse it, else stop the run.

        With any other HRESULT QuickBooks may have applied the message (the connection dropped after
        the commit), so its requests stay in flight and the next run verifies them.
        """
        ctx = self._context(context)
        if not ctx.setting('sync.allowed') or self._progress(context).get('identifying'):
            return -1
        if hresult.upper() != PARSE_FAILURE:
            return -1
        rows = outbox.in_message(ctx)
        if len(rows) > 1:
            outbox.split(ctx, rows)
        for row in rows if len(rows) == 1 else ():
            row.state, row.xml = outbox.FAILED, ''
            self.families[row.family].on_poisoned(ctx, row, message)
        return self._carry_on(ctx)

    # -- the order of work -------------------------------------------------------------------

    def _context(self, context: RunContext) -> SyncContext:
        progress = self._progress(context)
        return SyncContext(
            db=context.db,
            host=get_host(),
            server=context.server,
            run=context.run,
            version=context.version.prolog_version,
            now=utc_now(),
            resumed_from=progress.get('resumed_from'),
        )

    def _progress(self, context: RunContext) -> dict:
        progress = state.load(context.db, context.server.id, PROGRESS_KEY)
        return progress if progress.get('run') == context.run.id else {}

    def _start(self, ctx: SyncContext) -> dict:
        """At a run's first call: resume a cut run's position, and settle what earlier runs left behind."""
        previous = state.load(ctx.db, ctx.server.id, PROGRESS_KEY)
        if previous.get('run') == ctx.run.id:
            return previous
        progress = {'run': ctx.run.id, 'position': 0}
        if previous.get('cut'):
            progress.update(position=self._resume_position(previous), resumed_from=previous.get('run'))
        state.save(ctx.db, ctx.server.id, PROGRESS_KEY, progress)
        ctx.resumed_from = progress.get('resumed_from')
        earlier = sa.and_(SentRequest.server_id == ctx.server.id, SentRequest.run_id != ctx.run.id)
        ctx.db.execute(sa.delete(SentRequest).where(earlier, SentRequest.state == outbox.QUEUED))
        ctx.db.execute(
            sa.update(SentRequest).where(earlier, SentRequest.state == outbox.SENT).values(state=outbox.UNKNOWN)
        )
        return progress

    def _stage_name(self, position: int) -> str | None:
        if position >= len(self.stages):
            return None
        family, stage = self.stages[position]
        return f'{family.name}.{stage}'

    def _resume_position(self, cut: dict) -> int:
        """Where a cut run stopped, found by the stage's name: an upgrade may have changed the stage order.

        A stage the order no longer has resumes at the start, which is safe: what the cut run
        finished stays finished for the resumed run.
        """
        names = [self._stage_name(position) for position in range(len(self.stages))]
        return names.index(cut['stage']) if cut.get('stage') in names else 0

    def _room(self, ctx: SyncContext) -> int:
        """Requests this update may still send under the per-update cap."""
        return int(ctx.setting('sync.max_requests_per_update')) - outbox.used(ctx)

    def _plan(self, ctx: SyncContext) -> bool:
        """Queue the next group of requests; False when the run has nothing more to send."""
        progress = state.load(ctx.db, ctx.server.id, PROGRESS_KEY)
        position = progress.get('position', 0)
        while position < len(self.stages):
            room = self._room(ctx)
            if room <= 0:
                self._cut(ctx, position)
                return False
            family, stage = self.stages[position]
            limit = min(room, int(ctx.setting(getattr(family, 'export_batch_key', 'batch.products_export'))))
            planned = family.plan(ctx, stage, limit)
            if planned:
                if outbox.enqueue(ctx, planned):
                    state.save(ctx.db, ctx.server.id, PROGRESS_KEY, {**progress, 'position': position})
                    return True
                continue
            position += 1
        state.save(ctx.db, ctx.server.id, PROGRESS_KEY, {**progress, 'position': position, 'cut': False})
        return False

    def _ready(self, ctx: SyncContext) -> bool:
        """Whether a message can go now: requests are queued, or planning queued some, within the cap."""
        if not outbox.has_queued(ctx):
            return self._plan(ctx)
        if self._room(ctx) > 0:
            return True
        self._cut(ctx, state.load(ctx.db, ctx.server.id, PROGRESS_KEY).get('position', 0))
        return False

    def _cut(self, ctx: SyncContext, position: int) -> None:
        """The update reached its request cap: end it as partial, and let the next one start at ``position``."""
        cap = ctx.setting('sync.max_requests_per_update')
        ctx.run.result = 'partial'
        ctx.run.message = N_(
            'Stopped after %(cap)s requests, the limit of one update; the next update resumes here.', cap=cap
        )
        progress = state.load(ctx.db, ctx.server.id, PROGRESS_KEY)
        state.save(
            ctx.db,
            ctx.server.id,
            PROGRESS_KEY,
            {**progress, 'position': position, 'stage': self._stage_name(position), 'cut': True},
        )

    def _carry_on(self, ctx: SyncContext) -> int:
        """Queue follow-ups, plan the next message, save the counts; the percentage for QBWC."""
        if ctx.followups:
            outbox.enqueue(ctx, ctx.followups)
            ctx.followups.clear()
        more = self._ready(ctx)
        self._save_counts(ctx)
        if not more:
            return 100
        position = state.load(ctx.db, ctx.server.id, PROGRESS_KEY).get('position', 0)
        return max(1, min(99, position * 100 // max(1, len(self.stages))))

    @staticmethod
    def _record(ctx: SyncContext, confirmed: dict[int, transitions.SyncedWrite]) -> None:
        """Record the confirmed writes read so far in one statement (``transitions.synced_all``)."""
        transitions.synced_all(ctx.db, confirmed, ctx.now)
        confirmed.clear()

    @staticmethod
    def _unanswered(rows: list[SentRequest], links: dict[int | None, SyncLink]) -> None:
        """Requests QuickBooks gave no answer to were not processed: their records go back to waiting."""
        for row in rows:
            row.state, row.xml = outbox.FAILED, ''
            link = links.get(row.link_id)
            if link is not None:
                transitions.not_sent(link)

    def _save_counts(self, ctx: SyncContext) -> None:
        if not ctx.counts:
            return
        counts = json.loads(ctx.run.counts or '{}')
        for key, value in ctx.counts.items():
            counts[key] = counts.get(key, 0) + value
        ctx.run.counts = json.dumps(counts, sort_keys=True)
        ctx.counts.clear()
