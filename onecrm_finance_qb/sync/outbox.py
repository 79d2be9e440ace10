"""From planned requests to qbXML messages and back: requestIDs, the byte cap, resending halves.

Requests are stored (``qb_requests``) before they are sent, with their XML, so that a message
QuickBooks refused whole can be split and resent half by half until the one request that
poisoned it stands alone, and so that a request whose answer was lost is known to the next run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import defer

from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.links import SyncLink
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.qbxml import BuiltRequest, MessageBuilder, RequestBuildError, build_request
from onecrm_finance_qb.sync import state, transitions
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.planned import Planned

#: Actions that change QuickBooks: their links are in flight while the answer is outstanding.
WRITE_ACTIONS = frozenset({'add', 'mod', 'del'})
QUEUED, SENT, ANSWERED, FAILED = 'queued', 'sent', 'answered', 'failed'
#: A request sent whose answer never came or could not be read: QuickBooks may have applied it.
UNKNOWN = 'unknown'
#: The cursor holding the run's next request number and how many of its requests used up room (``used``).
NUMBERING_KEY = 'request_numbering'
#: Request ids per UPDATE of their rows: well under every database's limit of bound parameters.
ROWS_PER_UPDATE = 500


def enqueue(ctx: SyncContext, planned: Iterable[Planned]) -> int:
    """Store and build ``planned`` as one group; how many were queued (one that cannot be built fails its record alone).

    The requestIDs are numbered per run (``<run>.<n>``, so they never repeat), not taken from the
    rows' ids: the rows go in with one multi-row INSERT, which a database can only do when it does
    not have to hand each generated id back. The INSERT is the table's own, past the ORM's bulk
    handling of each row: nothing here reads the rows back as objects.
    """
    items = list(planned)
    if not items:
        return 0
    numbering = _numbering(ctx)
    first = numbering['next']
    now = utc_now()
    rows = []
    for number, item in enumerate(items, start=first):
        row = {
            'server_id': ctx.server.id,
            'run_id': ctx.run.id,
            'request_id': f'{ctx.run.id}.{number}',
            'request_type': item.request_type,
            'family': item.family,
            'action': item.action,
            'link_id': item.link_id,
            'state': QUEUED,
            'group_key': first,
            'xml': '',
            'context': json.dumps(item.context, default=str),
            'status_code': None,
            'created_at': now,
        }
        try:
            built = build_request(
                item.request_type,
                item.fields,
                row['request_id'],
                edition=ctx.edition,
                iterator=item.iterator,
                iterator_id=item.iterator_id,
            )
        except RequestBuildError as exc:
            row['state'] = FAILED
            if item.link_id is not None:
                link = ctx.db.get(SyncLink, item.link_id)
                if link is not None:
                    transitions.fail(link, item.action, str(exc), tally=ctx, family=item.family)
                    link.last_run_id = ctx.run.id
        else:
            row['xml'] = _country_spelling(built.xml, ctx)
        rows.append(row)
    ctx.db.execute(SentRequest.__table__.insert(), rows)
    queued = sum(row['state'] == QUEUED for row in rows)
    numbering.update(next=first + len(items), used=numbering['used'] + len(rows) - queued)
    state.save(ctx.db, ctx.server.id, NUMBERING_KEY, numbering)
    return queued


def used(ctx: SyncContext) -> int:
    """How many of the run's requests count against the per-update cap: those sent, and those that failed to build.

    A running count kept with the run's numbering: counting the rows instead walked every request
    the run had sent, twice a call, so a long run paid more per call the further it got. The
    requests of a message QuickBooks could not parse give their room back when they are queued
    again (``split``): QuickBooks ran none of them.
    """
    return _numbering(ctx)['used']


def _numbering(ctx: SyncContext) -> dict:
    """The run's numbering document; one written before ``used`` existed (an upgrade during a run) counts from 0."""
    numbering = state.load(ctx.db, ctx.server.id, NUMBERING_KEY)
    if numbering.get('run') != ctx.run.id:
        return {'run': ctx.run.id, 'next': 1, 'used': 0}
    return {'used': 0, **numbering}


def _count_used(ctx: SyncContext, amount: int) -> None:
    numbering = _numbering(ctx)
    numbering['used'] += amount
    state.save(ctx.db, ctx.server.id, NUMBERING_KEY, numbering)


def _country_spelling(xml: str, ctx: SyncContext) -> str:
    """Outside the US the tax code list is ``TaxCode`` (qbxml-semantics section 8.2), shaped like SalesTaxCode."""
    if ctx.is_us or 'SalesTaxCodeQuery' not in xml[:40]:
        return xml
    return xml.replace('SalesTaxCodeQueryRq', 'TaxCodeQueryRq', 2)


def has_queued(ctx: SyncContext) -> bool:
    query = sa.select(SentRequest.id).where(SentRequest.run_id == ctx.run.id, SentRequest.state == QUEUED).limit(1)
    return ctx.db.scalar(query) is not None


def take_message(ctx: SyncContext, max_requests: int) -> str | None:
    """The next message: the first queued group, as far as the caps allow; its requests become ``sent``.

    The rows are read as plain columns and marked sent in two statements, one for the requests and
    one for the links their writes put in flight: a message holds hundreds of requests, and loading
    and flushing each as an object cost more than building the message.
    """
    limit = max(1, max_requests)
    query = (
        sa.select(
            SentRequest.id,
            SentRequest.group_key,
            SentRequest.request_type,
            SentRequest.request_id,
            SentRequest.xml,
            SentRequest.link_id,
            SentRequest.action,
        )
        .where(SentRequest.run_id == ctx.run.id, SentRequest.state == QUEUED)
        .order_by(SentRequest.group_key, SentRequest.id)
        .limit(limit)
    )
    queued = ctx.db.execute(query).all()
    if not queued:
        return None
    builder = MessageBuilder(ctx.version, max_requests=limit, max_bytes=int(ctx.setting('sync.max_message_bytes')))
    group = queued[0].group_key
    taken = []
    for row in queued:
        if row.group_key != group or not builder.try_add(BuiltRequest(row.request_type, row.request_id, row.xml, ())):
            break
        taken.append(row)
    # The taken rows are the head of their group in id order, so "the group up to the last one" is exactly them.
    ctx.db.execute(
        sa.update(SentRequest)
        .where(
            SentRequest.run_id == ctx.run.id,
            SentRequest.state == QUEUED,
            SentRequest.group_key == group,
            SentRequest.id <= taken[-1].id,
        )
        .values(state=SENT),
        execution_options={'synchronize_session': 'evaluate'},
    )
    _count_used(ctx, len(taken))
    writes = {row.link_id for row in taken if row.link_id is not None and row.action in WRITE_ACTIONS}
    transitions.send_all(ctx.db, writes, ctx.run.id)
    return builder.build().xml


def in_message(ctx: SyncContext) -> list[SentRequest]:
    """The requests of the message QuickBooks has now (without their XML, which reading an answer never needs)."""
    query = sa.select(SentRequest).where(SentRequest.run_id == ctx.run.id, SentRequest.state == SENT)
    return list(ctx.db.scalars(query.options(defer(SentRequest.xml)).order_by(SentRequest.id)))


def mark_answered(ctx: SyncContext, answered: dict[int, list[int]]) -> None:
    """Record QuickBooks' answers, given as request row ids by status code, and drop the XML kept for resending.

    One UPDATE per status code (nearly always a single one) rather than one per request.
    """
    for status_code, ids in answered.items():
        _update_rows(ctx, ids, state=ANSWERED, status_code=status_code, xml='')


def mark_unknown(ctx: SyncContext, ids: list[int]) -> None:
    """Requests whose answer could not be read: no later message may take them for its own unanswered ones."""
    _update_rows(ctx, ids, state=UNKNOWN)


def _update_rows(ctx: SyncContext, ids: list[int], **values: object) -> None:
    for start in range(0, len(ids), ROWS_PER_UPDATE):
        ctx.db.execute(
            sa.update(SentRequest).where(SentRequest.id.in_(ids[start : start + ROWS_PER_UPDATE])).values(**values),
            execution_options={'synchronize_session': 'evaluate'},
        )


def split(ctx: SyncContext, rows: list[SentRequest]) -> None:
    """Queue the halves of a message QuickBooks could not parse, first half first, ahead of everything else."""
    lowest = ctx.db.scalar(
        sa.select(sa.func.min(SentRequest.group_key)).where(
            SentRequest.run_id == ctx.run.id, SentRequest.state == QUEUED
        )
    )
    top = min(lowest or 0, 0)
    middle = len(rows) // 2
    links = links_of(ctx, rows)
    for index, row in enumerate(rows):
        row.state = QUEUED
        row.group_key = top - 2 if index < middle else top - 1
        link = links.get(row.link_id)
        if link is not None:
            transitions.not_sent(link)
    _count_used(ctx, -len(rows))
    ctx.db.flush()


def links_of(ctx: SyncContext, rows: list[SentRequest]) -> dict[int | None, SyncLink]:
    """The links of ``rows`` in one query; they stay in the session, so ``db.get`` finds them without a query."""
    ids = {row.link_id for row in rows if row.link_id is not None}
    if not ids:
        return {}
    return {link.id: link for link in ctx.db.scalars(sa.select(SyncLink).where(SyncLink.id.in_(ids)))}


def context_of(row: SentRequest) -> dict:
    return json.loads(row.context or '{}')
