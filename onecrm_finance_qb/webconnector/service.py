"""The QBWC operations as plain Python: no XML here, only tickets, sessions, servers and runs.

Each method answers one SOAP operation and works in the caller's database session, which the
endpoint commits after the call; so every call is one transaction, and any worker can serve any
call of a run. Answers for a refused call are the protocol's own (``nvu``, ``busy``, ``''``,
``-1``, ``done``), never an exception, so QBWC shows the reason through getLastError.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb import __version__, request_log
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.models.sessions import WCSession
from onecrm_finance_qb.webconnector import tickets
from onecrm_finance_qb.webconnector.config import ServiceSettings, load_settings
from onecrm_finance_qb.webconnector.credentials import LockoutPolicy, check_sign_in
from onecrm_finance_qb.webconnector.driver import RunContext, RunDriver
from onecrm_finance_qb.webconnector.hcp import HCPError, parse_hcp
from onecrm_finance_qb.webconnector.servers import primary_server, record_connection
from onecrm_finance_qb.webconnector.versions import (
    NoCommonVersionError,
    QbxmlVersion,
    client_version_answer,
    negotiate,
)
from onecrm_finance_qb.xmlsafe import UnsafeXMLError

logger = logging.getLogger(__name__)

SERVER_VERSION = f'Finance (QB) {__version__}'
#: Seconds QBWC is asked to wait before retrying when another run holds the company file.
BUSY_POSTPONE_SECONDS = 60
#: Sessions (not runs) older than this are deleted when a new one opens.
SESSION_RETENTION = timedelta(days=30)
INVALID_TICKET = 'The session ticket is unknown or has expired; run the update again.'


class WebConnectorService:
    """One instance per SOAP call; ``now`` is injectable so expiry can be tested without waiting."""

    def __init__(
        self,
        db: Session,
        driver: RunDriver,
        *,
        max_bytes: int,
        ip_address: str = '',
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db = db
        self.driver = driver
        self.max_bytes = max_bytes
        self.ip_address = ip_address or ''
        self.now = now()
        self.settings: ServiceSettings = load_settings(db)
        self._resolved: tickets.Resolved | None = None

    def dispatch(self, operation: str, args: dict[str, Any]) -> str | int | list[str]:
        """Call the method answering SOAP ``operation`` with its decoded arguments."""
        handlers: dict[str, Callable[..., str | int | list[str]]] = {
            'serverVersion': self.server_version,
            'clientVersion': self.client_version,
            'authenticate': self.authenticate,
            'sendRequestXML': self.send_request_xml,
            'receiveResponseXML': self.receive_response_xml,
            'connectionError': self.connection_error,
            'getLastError': self.get_last_error,
            'closeConnection': self.close_connection,
            'getInteractiveURL': self.get_interactive_url,
            'interactiveDone': self.interactive_done,
            'interactiveRejected': self.interactive_rejected,
        }
        return handlers[operation](*args.values())

    # -- before a session ---------------------------------------------------------------------

    def server_version(self) -> str:
        return SERVER_VERSION

    def client_version(self, version: str) -> str:
        return client_version_answer(version)

    def authenticate(self, username: str, password: str) -> list[str]:
        """``[ticket, company file or nvu/none/busy, postpone seconds, minimum run interval]``."""
        policy = LockoutPolicy(
            self.settings.lockout_free_failures, self.settings.lockout_base, self.settings.lockout_max
        )
        credential = check_sign_in(self.db, username, password, policy, self.now)
        if credential is None:
            return ['', 'nvu', '', '']
        primary = primary_server(self.db)
        requested = primary.company_file if primary is not None and self.settings.always_request_file else ''
        if requested and self._provably_nothing_to_do(primary):
            return ['', 'none', '', '']
        wc_session, ticket = tickets.open_session(self.db, credential, requested or None, self.ip_address, self.now)
        wc_session.lock_key = tickets.company_file_key(requested or (primary.company_file if primary else ''))
        try:
            acquired = tickets.acquire_lock(self.db, wc_session.lock_key, wc_session.id, self._lock_expiry(), self.now)
        except tickets.LockContendedError:
            self.db.rollback()
            acquired = None
        if not acquired:
            if acquired is not None:
                self.db.delete(wc_session)
                self.db.flush()
            logger.info('Web Connector told to come back later: another run holds the company file')
            return ['', 'busy', str(BUSY_POSTPONE_SECONDS), '']
        run = SyncRun(session_id=wc_session.id, company_file=requested, started_at=self.now)
        self.db.add(run)
        self.db.flush()
        wc_session.run_id = run.id
        return [ticket, requested, '', '']

    def _provably_nothing_to_do(self, primary: QBServer) -> bool:
        """``none`` is safe only when the file QBWC will open is fixed and was identified recently.

        With "Always request this company file" on, QBWC opens the primary's file; if the driver
        has no work for it and the file was identified within the recheck interval, a run could
        only repeat that identification. Otherwise an unrecognised file might be open, and
        recording it is work, so the run goes ahead.
        """
        recent = primary.last_connect is not None and primary.last_connect + self.settings.recheck > self.now
        return recent and not self.driver.has_work(self.db, primary)

    # -- the run ------------------------------------------------------------------------------

    def send_request_xml(
        self, ticket: str, hcp_response: str, company_file: str, country: str, major: int, minor: int
    ) -> str:
        wc_session = self._resolve(ticket)
        if wc_session is None or wc_session.status != 'open':
            return ''
        run = self._run(wc_session)
        if wc_session.server_id is None:
            context = self._first_call(wc_session, run, hcp_response, company_file, country, (major, minor))
            if context is None:
                return ''
        else:
            context = self._context(wc_session, run)
        return self._next_request(context)

    def _first_call(
        self,
        wc_session: WCSession,
        run: SyncRun,
        hcp_response: str,
        company_file: str,
        country: str,
        reported: tuple[int, int],
    ) -> RunContext | None:
        """Identify the server; a context to work with, or None when the run must end now."""
        if wc_session.company_file and not tickets.same_company_file(wc_session.company_file, company_file):
            self._refuse(wc_session, run, f'QuickBooks opened {company_file!r}, not {wc_session.company_file!r}.')
            return None
        if not self._move_lock_to(wc_session, company_file):
            wc_session.company_file = run.company_file = company_file
            self._refuse(wc_session, run, 'Another update of this company file is in progress; try again later.')
            return None
        wc_session.company_file = run.company_file = company_file
        try:
            info = parse_hcp(hcp_response, owner_id=self.settings.owner_id, max_bytes=self.max_bytes)
        except (HCPError, UnsafeXMLError) as exc:
            self._refuse(wc_session, run, f'Could not read the QuickBooks host, company and preferences: {exc}')
            return None
        server = record_connection(self.db, info, company_file, self.ip_address, self.now)
        wc_session.server_id = run.server_id = server.id
        if not server.is_primary:
            self._refuse(wc_session, run, _unrecognised_message(company_file, primary_server(self.db) is None))
            return None
        try:
            version = negotiate(info.supported_qbxml_versions, info.country or country, reported)
        except NoCommonVersionError as exc:
            self._refuse(wc_session, run, str(exc))
            return None
        wc_session.qbxml_version = server.qbxml_version = version.prolog_version
        return self._context(wc_session, run, server)

    def _move_lock_to(self, wc_session: WCSession, company_file: str) -> bool:
        """Re-key the run lock from the file guessed at authenticate to the file QuickBooks opened.

        When another session creates the same lock row at the same moment, InnoDB aborts one
        transaction with a deadlock; that run rolls back (nothing of it was written yet) and is
        answered like any run that finds the file busy.
        """
        key = tickets.company_file_key(company_file)
        if key == wc_session.lock_key:
            return True
        try:
            acquired = tickets.acquire_lock(self.db, key, wc_session.id, self._lock_expiry(), self.now)
        except tickets.LockContendedError:
            self.db.rollback()
            return False
        if not acquired:
            return False
        tickets.release_lock(self.db, wc_session)
        wc_session.lock_key = key
        return True

    def _next_request(self, context: RunContext) -> str:
        request = self.driver.next_request(context)
        if request is None:
            self._finish(context.run, 'Nothing more to synchronise.')
            context.wc_session.last_error = context.run.message
            return ''
        context.run.requests_sent += 1
        return request

    def receive_response_xml(self, ticket: str, response: str, hresult: str, message: str) -> int:
        wc_session = self._resolve(ticket)
        if wc_session is None or wc_session.status != 'open':
            return -1
        run = self._run(wc_session)
        if wc_session.server_id is None:
            wc_session.last_error = 'A response arrived before the first request of the session.'
            return -1
        if hresult.strip():
            percent = self.driver.handle_failure(self._context(wc_session, run), hresult.strip(), message.strip())
            if percent < 0:
                self._refuse(wc_session, run, f'QuickBooks returned error {hresult.strip()}: {message.strip()}')
                return -1
            if percent >= 100:
                self._finish(run, 'Synchronisation completed.')
            return percent
        context = self._context(wc_session, run)
        percent = min(100, self.driver.handle_response(context, response))
        run.responses_received += 1
        if percent < 0:
            # The driver ended the run and said why in its message, which getLastError hands to QBWC.
            run.ended_at = self.now
            return -1
        if percent >= 100:
            self._finish(run, 'Synchronisation completed.')
        return percent

    def connection_error(self, ticket: str, hresult: str, message: str) -> str:
        """Retry the configured company file once when that option is on; otherwise end the run."""
        wc_session = self._resolve(ticket)
        if wc_session is None or wc_session.status != 'open':
            return 'done'
        primary = primary_server(self.db)
        if self.settings.always_request_file and primary is not None and wc_session.connection_retries < 1:
            wc_session.connection_retries += 1
            return primary.company_file
        self._refuse(
            wc_session, self._run(wc_session), f'QuickBooks could not be opened: {message.strip()} ({hresult.strip()})'
        )
        return 'done'

    def get_last_error(self, ticket: str) -> str:
        wc_session = self._resolve(ticket)
        if wc_session is None:
            return INVALID_TICKET
        return wc_session.last_error or self._run(wc_session).message or 'No error.'

    def close_connection(self, ticket: str) -> str:
        wc_session = self._resolve(ticket)
        if wc_session is None:
            return INVALID_TICKET
        run = self._run(wc_session)
        if run.result == 'in_progress':
            run.result = 'partial' if run.requests_sent else 'aborted'
            run.message = run.message or 'The Web Connector ended the session before the run was complete.'
            run.ended_at = self.now
        wc_session.status = 'closed'
        tickets.release_lock(self.db, wc_session)
        self._purge_old_sessions()
        request_log.prune(self.db, self.now)
        return run.message or 'Session closed.'

    # -- interactive mode: never requested, answered sensibly --------------------------------------

    def get_interactive_url(self, ticket: str, session_id: str) -> str:
        self._resolve(ticket)
        return ''

    def interactive_done(self, ticket: str) -> str:
        return 'Done' if self._resolve(ticket) is not None else INVALID_TICKET

    def interactive_rejected(self, ticket: str, reason: str) -> str:
        if self._resolve(ticket) is None:
            return INVALID_TICKET
        return 'This service does not use interactive mode; nothing was changed.'

    # -- helpers ------------------------------------------------------------------------------

    def _resolve(self, ticket: str) -> WCSession | None:
        """The ticket's live session; its run and server, read with it, are held for the rest of the call."""
        self._resolved = tickets.resolve(self.db, ticket, self.settings.ticket_idle, self.now)
        if self._resolved is None:
            return None
        tickets.keep_alive(self.db, self._resolved.wc_session, self.settings.ticket_idle, self.now)
        return self._resolved.wc_session

    def _lock_expiry(self) -> datetime:
        return self.now + self.settings.ticket_idle

    def _run(self, wc_session: WCSession) -> SyncRun:
        run = self.db.get(SyncRun, wc_session.run_id)
        assert run is not None, 'every session that got a ticket has a run'
        return run

    def _context(self, wc_session: WCSession, run: SyncRun, server: QBServer | None = None) -> RunContext:
        server = server or self.db.get(QBServer, wc_session.server_id)
        assert server is not None
        return RunContext(
            db=self.db,
            wc_session=wc_session,
            server=server,
            run=run,
            version=QbxmlVersion.from_prolog(wc_session.qbxml_version),
            owner_id=self.settings.owner_id,
            max_bytes=self.max_bytes,
        )

    def _finish(self, run: SyncRun, message: str) -> None:
        if run.result == 'in_progress':
            run.result = 'success'
        run.message = run.message or message
        run.ended_at = run.ended_at or self.now

    def _refuse(self, wc_session: WCSession, run: SyncRun, message: str) -> None:
        """End the run now: QBWC reads ``message`` through getLastError; nothing is written to the CRM."""
        logger.info('Web Connector run %s ended: %s', run.id, message)
        wc_session.status = 'refused'
        wc_session.last_error = message
        run.result = 'aborted'
        run.message = message
        run.ended_at = self.now
        tickets.release_lock(self.db, wc_session)

    def _purge_old_sessions(self) -> None:
        """Forget sessions idle for longer than the retention, once a run has let go of its file.

        Done at closeConnection rather than at sign-in: concurrent sign-ins each deleting and
        inserting session rows made InnoDB abort one of them with a deadlock.
        """
        self.db.execute(sa.delete(WCSession).where(WCSession.last_seen_at < self.now - SESSION_RETENTION))


def _unrecognised_message(company_file: str, no_primary: bool) -> str:
    if no_primary:
        return (
            f'The company file {company_file} is not accepted yet. In the CRM, open Finance (QB) > Configuration, '
            'check the server details and accept it, then run the update again.'
        )
    return (
        f'The company file {company_file} is not the one the CRM synchronises with. In the CRM, open '
        'Finance (QB) > Configuration to decide what to do with this connection attempt.'
    )
