"""DataExtDef and DataExt: custom fields, public (OwnerID 0) or private to an application's GUID."""

from __future__ import annotations

from lxml import etree

from qbsim.errors import RequestError
from qbsim.kinds import ITEM_RETS
from qbsim.requests.context import Context
from qbsim.requests.list_queries import query_params
from qbsim.requests.refs import resolve
from qbsim.requests.response import Response
from qbsim.status import NO_MATCH, OK, name_in_use, not_found
from qbsim.store import COMPANY_OBJECT_ID
from qbsim.xmlio import doc_to_element

LIST_DATA_EXT_TARGETS = {'Account': ('AccountRet',), 'Customer': ('CustomerRet',), 'Vendor': ('VendorRet',),
                         'Item': ITEM_RETS, 'Employee': ('EmployeeRet',), 'OtherName': ('OtherNameRet',)}


def _ret(ctx: Context, tag: str, doc: dict, params: dict) -> etree._Element:
    include = frozenset(params['IncludeRetElement']) if 'IncludeRetElement' in params else None
    return doc_to_element(tag, doc, ctx.tables.rets[tag], ctx.tables, include)


def define(ctx: Context, node: etree._Element) -> Response:
    params = query_params(ctx, node, 'DataExtDefAdd')
    definition = params['DataExtDefAdd']
    owner, name = definition['OwnerID'], definition['DataExtName']
    if ctx.store.data_ext_def(owner, name) is not None:
        raise RequestError(*name_in_use(name))
    number = int(ctx.store.get_meta('next_data_ext_id', 1))
    ctx.store.set_meta('next_data_ext_id', number + 1)
    doc = {'OwnerID': owner, 'DataExtID': str(number), 'DataExtName': name,
           'DataExtType': definition['DataExtType'], 'AssignToObject': definition.get('AssignToObject', []),
           'DataExtListRequire': definition.get('DataExtListRequire', 'false'),
           'DataExtTxnRequire': definition.get('DataExtTxnRequire', 'false'),
           'DataExtFormatString': definition.get('DataExtFormatString', '')}
    ctx.store.add_data_ext_def(owner, name, doc)
    return Response(elements=[_ret(ctx, 'DataExtDefRet', doc, params)])


def query_definitions(ctx: Context, node: etree._Element) -> Response:
    params = query_params(ctx, node, 'DataExtDefQuery')
    owners = params.get('OwnerID')
    wanted = set(params.get('AssignToObject', []))
    defs = [doc for doc in ctx.store.data_ext_defs(owners)
            if not wanted or wanted & set(doc.get('AssignToObject', []))]
    return Response(elements=[_ret(ctx, 'DataExtDefRet', doc, params) for doc in defs],
                    status=OK if defs else NO_MATCH)


def _target(ctx: Context, body: dict) -> str:
    if 'OtherDataExtType' in body:
        return COMPANY_OBJECT_ID
    if 'ListDataExtType' in body:
        kind = body['ListDataExtType']
        return resolve(ctx, body['ListObjRef'], LIST_DATA_EXT_TARGETS.get(kind, ()), kind, 'DataExt').id
    raise RequestError(*not_found(body.get('TxnID', '')))


def set_value(ctx: Context, node: etree._Element, request_type: str) -> Response:
    """DataExtAdd (3180 when the value exists already) and DataExtMod (3120 when it does not)."""
    params = query_params(ctx, node, request_type)
    body = params[request_type]
    owner, name = body['OwnerID'], body['DataExtName']
    definition = ctx.store.data_ext_def(owner, name)
    if definition is None:
        raise RequestError(*not_found(name))
    object_id = _target(ctx, body)
    exists = ctx.store.data_ext_value(owner, name, object_id) is not None
    if request_type == 'DataExtAdd' and exists:
        raise RequestError(3180, f'There was an error when saving a data extension named "{name}". '
                                 'QuickBooks error message: The data extension already exists.')
    if request_type == 'DataExtMod' and not exists:
        raise RequestError(*not_found(name))
    ctx.store.set_data_ext_value(owner, name, object_id, body['DataExtValue'])
    doc = {'OwnerID': owner, 'DataExtName': definition['DataExtName'], 'DataExtType': definition['DataExtType'],
           'DataExtValue': body['DataExtValue']}
    return Response(elements=[_ret(ctx, 'DataExtRet', doc, {})])
