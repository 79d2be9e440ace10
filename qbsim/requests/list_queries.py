"""List queries: id and name lists, the filter block, iterators, IncludeRetElement and OwnerID.

Results come in QuickBooks list order (case-insensitive full name, parents before children), so
a client paging by ``NameRangeFilter/FromName`` reaches the end (qbxml-semantics.md section 5.4).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from lxml import etree

from qbsim.errors import RequestError
from qbsim.requests.context import Context
from qbsim.requests.names import SEPARATOR, sort_key
from qbsim.requests.response import Response
from qbsim.status import NO_MATCH, partial_match
from qbsim.store import StoredObject
from qbsim.xmlio import doc_to_element, element_to_doc

INVALID_ITERATOR = 3391


def query_params(ctx: Context, node: etree._Element, request_type: str) -> dict:
    return element_to_doc(node, ctx.tables.requests[request_type], ctx.tables)


def ret_element(ctx: Context, obj: StoredObject, params: dict) -> etree._Element:
    """The object's Ret, trimmed to IncludeRetElement and carrying the requested owners' DataExtRet.

    Like QuickBooks, only the named top-level elements come back, in schema order whatever order
    they were asked in (qbxml-semantics.md section 5.2). A name the Ret does not have is left out
    without a status: Intuit documents no error for it, so none is invented here.
    """
    doc = dict(obj.doc)
    owners = params.get('OwnerID') or []
    if owners:
        doc['DataExtRet'] = data_ext_rets(ctx, obj.id, owners)
    include = params.get('IncludeRetElement')
    return doc_to_element(obj.ret_type, doc, ctx.tables.rets[obj.ret_type], ctx.tables,
                          frozenset(include) if include else None)


def data_ext_rets(ctx: Context, object_id: str, owners: list[str]) -> list[dict]:
    rets = []
    for owner, name, value in ctx.store.data_ext_values_for(object_id, owners):
        definition = ctx.store.data_ext_def(owner, name)
        rets.append({'OwnerID': definition['OwnerID'], 'DataExtName': definition['DataExtName'],
                     'DataExtType': definition['DataExtType'], 'DataExtValue': value})
    return rets


def _by_ids(ctx: Context, ret_types: tuple[str, ...], params: dict) -> tuple[list[StoredObject], str | None]:
    """Explicit ListID or FullName lists: active or not; the first missing value makes a 500."""
    found, missing = [], None
    lookups = [(list_id, ctx.store.get(list_id, ret_types)) for list_id in params.get('ListID', [])]
    lookups += [(name, ctx.store.find_by_sort_key(ret_types, sort_key(name))) for name in params.get('FullName', [])]
    for value, obj in lookups:
        if obj is None:
            missing = missing or value
        else:
            found.append(obj)
    return found, missing


def _filter_sql(ctx: Context, ret_types: tuple[str, ...], params: dict) -> tuple[str, list]:
    clauses = [f'ret_type IN ({",".join("?" * len(ret_types))})']
    values: list = list(ret_types)
    status = params.get('ActiveStatus', 'ActiveOnly')
    if status != 'All':
        clauses.append('is_active = ?')
        values.append(1 if status == 'ActiveOnly' else 0)
    bounds = []
    for field, end_of_day in (('FromModifiedDate', False), ('ToModifiedDate', True)):
        if field in params:
            bounds.append(int(ctx.clock.parse(params[field], end_of_day=end_of_day).timestamp()))
            clauses.append('modified_utc >= ?' if not end_of_day else 'modified_utc <= ?')
            values.append(bounds[-1])
    if len(bounds) == 2 and bounds[0] > bounds[1]:
        raise RequestError(3030, f'The date range from "{params["FromModifiedDate"]}" to '
                                 f'"{params["ToModifiedDate"]}" is not valid.')
    if 'NameFilter' in params:
        criterion = params['NameFilter']['MatchCriterion']
        key = sort_key(params['NameFilter']['Name'])
        clause, count = {'StartsWith': ('substr(sort_key, 1, length(?)) = ?', 2),
                         'Contains': ('instr(sort_key, ?) > 0', 1),
                         'EndsWith': ('substr(sort_key, -length(?)) = ?', 2)}[criterion]
        clauses.append(clause)
        values.extend([key] * count)
    if 'NameRangeFilter' in params:
        names = params['NameRangeFilter']
        if 'FromName' in names and 'ToName' in names and sort_key(names['FromName']) > sort_key(names['ToName']):
            raise RequestError(3031, f'The string range from "{names["FromName"]}" to "{names["ToName"]}" is not '
                                     f'valid.')
        if 'FromName' in names:
            clauses.append('sort_key >= ?')
            values.append(sort_key(names['FromName']))
        if 'ToName' in names:
            clauses.append('sort_key <= ?')
            values.append(sort_key(names['ToName']) + SEPARATOR + '\U0010ffff')
    return ' AND '.join(clauses), values


def _doc_filters(params: dict) -> list[Callable[[dict], bool]]:
    """Type-specific filters on document fields (AccountType, CurrencyFilter, TotalBalanceFilter...)."""
    checks: list[Callable[[dict], bool]] = []
    if 'AccountType' in params:
        wanted = set(params['AccountType'])
        checks.append(lambda doc: doc.get('AccountType') in wanted)
    if 'CurrencyFilter' in params:
        currency = params['CurrencyFilter']
        ids, names = set(currency.get('ListID', [])), {name.casefold() for name in currency.get('FullName', [])}
        checks.append(lambda doc: doc.get('CurrencyRef', {}).get('ListID') in ids
                      or doc.get('CurrencyRef', {}).get('FullName', '').casefold() in names)
    if 'ClassFilter' in params:
        checks.append(lambda doc: False)
    if 'TotalBalanceFilter' in params:
        checks.append(_amount_check(params['TotalBalanceFilter']))
    return checks


def _amount_check(spec: dict) -> Callable[[dict], bool]:
    """Customers carry TotalBalance (with their jobs); vendors only Balance."""
    amount = Decimal(spec['Amount'])
    compare = {'LessThan': Decimal.__lt__, 'LessThanEqual': Decimal.__le__, 'Equal': Decimal.__eq__,
               'GreaterThan': Decimal.__gt__, 'GreaterThanEqual': Decimal.__ge__}[spec['Operator']]
    return lambda doc: compare(Decimal(doc.get('TotalBalance') or doc.get('Balance') or '0'), amount)


def _matching(ctx: Context, ret_types: tuple[str, ...], params: dict, limit: int | None) -> list[StoredObject]:
    where, values = _filter_sql(ctx, ret_types, params)
    checks = _doc_filters(params)
    if not checks:
        return ctx.store.select(where, values, limit=limit)
    found = [obj for obj in ctx.store.select(where, values) if all(check(obj.doc) for check in checks)]
    return found if limit is None else found[:limit]


def list_query(ctx: Context, request_type: str, ret_types: tuple[str, ...], node: etree._Element) -> Response:
    """Answer a list query (single kind or combined, such as ItemQuery and TermsQuery)."""
    params = query_params(ctx, node, request_type)
    limit = int(params['MaxReturned']) if 'MaxReturned' in params else None
    response = Response()
    if 'ListID' in params or 'FullName' in params:
        objects, missing = _by_ids(ctx, ret_types, params)
        if missing is not None:
            response.status = partial_match(missing)
    elif node.get('iterator'):
        objects = _iterate(ctx, request_type, ret_types, params, node, limit, response)
    else:
        objects = _matching(ctx, ret_types, params, limit)
    meta_data = node.get('metaData', 'NoMetaData')
    if meta_data != 'NoMetaData':
        response.attributes['retCount'] = str(len(objects))
    if meta_data != 'MetaDataOnly':
        response.elements = [ret_element(ctx, obj, params) for obj in objects]
    if not objects and response.status[0] == 0:
        response.status = NO_MATCH
    return response


def _iterate(ctx: Context, request_type: str, ret_types: tuple[str, ...], params: dict, node: etree._Element,
             limit: int | None, response: Response) -> list[StoredObject]:
    """Start snapshots the matching ids in the session; Continue hands out the next page of them."""
    if node.get('iterator') == 'Start':
        ids = [obj.id for obj in _matching(ctx, ret_types, params, None)]
        iterator_id = ctx.session.start_iterator(request_type, ids)
    else:
        iterator_id = node.get('iteratorID', '')
        if ctx.session.find_iterator(iterator_id, request_type) is None:
            raise RequestError(INVALID_ITERATOR, f'The iteratorID "{iterator_id}" is not valid.')
    iterator = ctx.session.find_iterator(iterator_id, request_type)
    if node.get('iterator') == 'Stop':
        iterator.remaining.clear()
    objects: list[StoredObject] = []
    while iterator.remaining and (limit is None or len(objects) < limit):
        obj = ctx.store.get(iterator.remaining.pop(0), ret_types)
        if obj is not None:
            objects.append(obj)
    response.attributes['iteratorRemainingCount'] = str(len(iterator.remaining))
    response.attributes['iteratorID'] = iterator_id
    if not iterator.remaining:
        ctx.session.iterators.pop(iterator_id, None)
    return objects
