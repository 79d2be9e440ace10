"""ListDel and ListDeletedQuery."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from qbsim.errors import RequestError
from qbsim.kinds import KINDS
from qbsim.requests.context import Context
from qbsim.requests.list_queries import query_params
from qbsim.requests.response import Response
from qbsim.status import NO_MATCH, OK, not_found
from qbsim.xmlio import doc_to_element


def list_del(ctx: Context, node: etree._Element) -> Response:
    """Delete a list object; one still referenced (or with sub-items or jobs) is refused (3170)."""
    params = query_params(ctx, node, 'ListDel')
    kind = KINDS.get(params['ListDelType'])
    list_id = params['ListID']
    obj = ctx.store.get(list_id, (kind.ret,)) if kind and kind.available_in(ctx.edition) else None
    if obj is None:
        raise RequestError(*not_found(list_id))
    ctx.require_feature(kind.feature)
    name = obj.doc.get('FullName') or obj.doc['Name']
    if ctx.store.is_referenced(obj.id) or ctx.store.children(obj.id):
        raise RequestError(3170, f'There was an error when deleting a {kind.base} list, element "{name}". '
                                 'QuickBooks error message: This object is in use and cannot be deleted.')
    stamp = ctx.stamp()
    ctx.store.mark_deleted(obj.id, stamp.utc)
    doc = {'ListDelType': kind.base, 'ListID': obj.id, 'TimeDeleted': stamp.text, 'FullName': name}
    rs_type = ctx.tables.responses['ListDel']
    rs = doc_to_element('ListDelRs', doc, rs_type, ctx.tables)
    return Response(elements=list(rs))


def list_deleted_query(ctx: Context, node: etree._Element) -> Response:
    params = query_params(ctx, node, 'ListDeletedQuery')
    kinds = [KINDS[name] for name in params['ListDelType'] if name in KINDS]
    bounds = params.get('DeletedDateRangeFilter', {})
    from_utc = _bound(ctx, bounds.get('FromDeletedDate'), False)
    to_utc = _bound(ctx, bounds.get('ToDeletedDate'), True)
    include = frozenset(params['IncludeRetElement']) if 'IncludeRetElement' in params else None
    ret_type = ctx.tables.rets['ListDeletedRet']
    elements = []
    for doc, stored_type, deleted_utc in ctx.store.deleted([kind.ret for kind in kinds], from_utc, to_utc):
        deleted = datetime.fromtimestamp(deleted_utc, UTC)
        ret = {'ListDelType': stored_type.removesuffix('Ret'), 'ListID': doc['ListID'],
               'TimeCreated': doc['TimeCreated'], 'TimeDeleted': ctx.clock.format(deleted),
               'FullName': doc.get('FullName') or doc['Name']}
        elements.append(doc_to_element('ListDeletedRet', ret, ret_type, ctx.tables, include))
    return Response(elements=elements, status=OK if elements else NO_MATCH)


def _bound(ctx: Context, text: str | None, end_of_day: bool) -> int | None:
    return None if text is None else int(ctx.clock.parse(text, end_of_day=end_of_day).timestamp())
