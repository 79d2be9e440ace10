"""The SOAP endpoint QBWC calls: ``POST`` for operations, ``GET ?wsdl`` for the service description.

It is exempt from CSRF (QBWC has no browser session) and needs no CRM login: the sync
credential and the tickets are its authentication. Bodies over the size limit get HTTP 413
before they are read; anything the parser rejects gets a SOAP fault with HTTP 500; an
unexpected error is logged here and answered with a generic fault, never a stack trace.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from onecrm_finance_qb.state import get_host
from onecrm_finance_qb.webconnector.service import WebConnectorService
from onecrm_finance_qb.webconnector.soap import CONTENT_TYPE, SoapFaultError, build_fault, build_response, parse_call
from onecrm_finance_qb.webconnector.wsdl import build_wsdl

logger = logging.getLogger(__name__)

#: Config key: largest request body accepted, in bytes (QuickBooks responses can be large).
MAX_BYTES_KEY = 'FINANCE_QB_SOAP_MAX_BYTES'
DEFAULT_MAX_BYTES = 32 * 1024 * 1024

blueprint = Blueprint('finance_qb_qbwc', __name__, url_prefix='/finance-qb/qbwc')


@blueprint.get('')
def describe() -> Response:
    """The WSDL at ``?wsdl``; a one-line note otherwise, for someone opening the URL in a browser."""
    if 'wsdl' in {key.lower() for key in request.args}:
        address = request.base_url
        return Response(build_wsdl(address), content_type='text/xml; charset=utf-8')
    return Response('QuickBooks Web Connector service. Add it to QBWC with the .qwc file.\n', content_type='text/plain')


@blueprint.post('')
def soap() -> Response:
    max_bytes = current_app.config.get(MAX_BYTES_KEY, DEFAULT_MAX_BYTES)
    if request.content_length is not None and request.content_length > max_bytes:
        return _fault(SoapFaultError('Client', f'Request larger than {max_bytes} bytes'), status=413)
    body = request.stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        return _fault(SoapFaultError('Client', f'Request larger than {max_bytes} bytes'), status=413)
    try:
        call = parse_call(body, max_bytes=max_bytes)
    except SoapFaultError as fault:
        return _fault(fault)
    db = get_host().db
    try:
        service = WebConnectorService(
            db.session, current_app.extensions['finance_qb_webconnector'].driver,
            max_bytes=max_bytes, ip_address=request.remote_addr or '',
        )  # fmt: skip
        result = service.dispatch(call.operation.name, call.args)
        db.session.commit()
    except Exception:
        db.session.rollback()
        logger.exception('Web Connector operation %s failed', call.operation.name)
        return _fault(SoapFaultError('Server', 'The service could not complete the operation; see the CRM log.'))
    return Response(build_response(call.operation, result), content_type=CONTENT_TYPE)


@blueprint.get('/support')
def support() -> BaseResponse:
    """AppSupport of the .qwc (it must be on the service's host): the Finance (QB) status screen."""
    return redirect(url_for('finance_qb.status'))


def _fault(fault: SoapFaultError, status: int = 500) -> Response:
    return Response(build_fault(fault), status=status, content_type=CONTENT_TYPE)
