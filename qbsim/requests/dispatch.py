"""Which handler answers which request type."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from qbsim.errors import RequestError
from qbsim.kinds import COMBINED_QUERIES, KINDS, ListKind
from qbsim.requests import company_info, data_ext, deletes, list_writes
from qbsim.requests.context import Context
from qbsim.requests.list_queries import list_query, query_params, ret_element
from qbsim.requests.response import Response
from qbsim.status import FEATURE_OFF, NOT_SUPPORTED

Handler = Callable[[Context, etree._Element], Response]


def _writer(kind: ListKind, write: Callable) -> Handler:
    def handle(ctx: Context, node: etree._Element) -> Response:
        _available(ctx, kind)
        obj = write(ctx, kind, node)
        params = query_params(ctx, node, f'{kind.base}{"Add" if write is list_writes.add else "Mod"}')
        return Response(elements=[ret_element(ctx, obj, params)])
    return handle


def _querier(kind: ListKind) -> Handler:
    def handle(ctx: Context, node: etree._Element) -> Response:
        _available(ctx, kind)
        ctx.require_feature(kind.feature)
        return list_query(ctx, f'{kind.base}Query', (kind.ret,), node)
    return handle


def _combined(request_type: str, ret_types: tuple[str, ...]) -> Handler:
    return lambda ctx, node: list_query(ctx, request_type, ret_types, node)


def _available(ctx: Context, kind: ListKind) -> None:
    """A list the edition does not have (US sales tax items in Canada, say) answers 3250."""
    if not kind.available_in(ctx.edition):
        raise RequestError(*FEATURE_OFF)


def _build() -> dict[str, Handler]:
    handlers: dict[str, Handler] = {
        'HostQuery': company_info.host_query,
        'CompanyQuery': company_info.company_query,
        'PreferencesQuery': company_info.preferences_query,
        'ListDel': deletes.list_del,
        'ListDeletedQuery': deletes.list_deleted_query,
        'DataExtDefAdd': data_ext.define,
        'DataExtDefQuery': data_ext.query_definitions,
        'DataExtAdd': lambda ctx, node: data_ext.set_value(ctx, node, 'DataExtAdd'),
        'DataExtMod': lambda ctx, node: data_ext.set_value(ctx, node, 'DataExtMod'),
    }
    for request_type, ret_types in COMBINED_QUERIES.items():
        handlers[request_type] = _combined(request_type, ret_types)
    for kind in KINDS.values():
        handlers[f'{kind.base}Add'] = _writer(kind, list_writes.add)
        handlers[f'{kind.base}Mod'] = _writer(kind, list_writes.modify)
        handlers[f'{kind.base}Query'] = _querier(kind)
    return handlers


HANDLERS = _build()


def handle(ctx: Context, request_type: str, node: etree._Element) -> Response:
    """Run one structurally valid request; requests qbsim does not simulate yet answer 1030."""
    handler = HANDLERS.get(request_type)
    if handler is None:
        raise RequestError(*NOT_SUPPORTED)
    return handler(ctx, node)

