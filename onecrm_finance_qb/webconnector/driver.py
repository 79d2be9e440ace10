"""The work of a run, behind a narrow interface the sync engine implements.

The SOAP service knows sessions, tickets and servers; what to ask QuickBooks and what to do with
the answers belongs to a ``RunDriver``. Until the sync engine plugs its own in (with
:func:`onecrm_finance_qb.webconnector.set_run_driver`), :class:`IdentificationDriver` does the
one real thing there is to do: confirm, with QuickBooks itself, the pairing the first call
reported, so an accepted primary server's run completes and is recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

from lxml import etree
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.models.sessions import WCSession
from onecrm_finance_qb.settings_store import get_setting
from onecrm_finance_qb.webconnector.versions import QbxmlVersion
from onecrm_finance_qb.xmlsafe import UnsafeXMLError, parse_untrusted


@dataclass
class RunContext:
    """What a driver may use and update while serving one call of a run."""

    db: Session
    wc_session: WCSession
    server: QBServer
    run: SyncRun
    version: QbxmlVersion
    owner_id: str
    max_bytes: int


class RunDriver(Protocol):
    """The sync engine as the Web Connector service sees it."""

    def has_work(self, db: Session, server: QBServer) -> bool:
        """Whether a run with ``server`` could have anything to do (False lets authenticate answer ``none``)."""
        ...

    def next_request(self, context: RunContext) -> str | None:
        """The next qbXML message to send, or None when the run has nothing more to ask."""
        ...

    def handle_response(self, context: RunContext, response: str) -> int:
        """Take QuickBooks' answer to the last message; the percentage done (100 ends the run), -1 to end it now."""
        ...

    def handle_failure(self, context: RunContext, hresult: str, message: str) -> int:
        """The last message failed whole (``hresult``); a percentage to go on, or -1 to end the run."""
        ...


class IdentificationDriver:
    """Confirms the pairing: reads back our FileID DataExt and the company name, then ends at 100 %."""

    def has_work(self, db: Session, server: QBServer) -> bool:
        return bool(get_setting(db, 'sync.allowed', server.id))

    def next_request(self, context: RunContext) -> str | None:
        if context.run.requests_sent:
            return None
        return company_query(context.version, context.owner_id)

    def handle_response(self, context: RunContext, response: str) -> int:
        try:
            root = parse_untrusted(response, max_bytes=context.max_bytes)
        except UnsafeXMLError as exc:
            context.run.message = f'QuickBooks sent an unreadable response: {exc}'
            context.run.result = 'partial'
            return 100
        answer = root.find('.//CompanyQueryRs')
        status = answer.get('statusCode') if answer is not None else None
        if status != '0':
            message = answer.get('statusMessage') if answer is not None else 'no CompanyQueryRs'
            context.run.message = f'QuickBooks did not confirm the company file: {message}'
            context.run.result = 'partial'
            return 100
        name = root.findtext('.//CompanyRet/CompanyName') or context.server.company_name
        context.server.company_name = name[:255]
        context.run.counts = json.dumps({'company': 1})
        return 100

    def handle_failure(self, context: RunContext, hresult: str, message: str) -> int:
        return -1


def company_query(version: QbxmlVersion, owner_id: str) -> str:
    """A CompanyQuery returning our private DataExts (the FileID QBWC wrote) with the company record."""
    root = etree.Element('QBXML')
    messages = etree.SubElement(root, 'QBXMLMsgsRq', onError='continueOnError')
    query = etree.SubElement(messages, 'CompanyQueryRq', requestID='1')
    etree.SubElement(query, 'OwnerID').text = owner_id
    body = etree.tostring(root, encoding='unicode')
    return f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{version.prolog_version}"?>\n{body}'
