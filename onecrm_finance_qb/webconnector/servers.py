"""Which QuickBooks is connecting: identity, acceptance, and the four answers to an unrecognised attempt.

Identity is (company file name, FileID, OwnerID), as the guide's section 3.7 says; IP address and
versions may change freely. The first server becomes primary only when the administrator
accepts it, and a connection from any other server is only recorded as the last connection
attempt until the administrator decides. Everything the sync keeps is keyed by the server's id,
which is what makes "use these new connection details" keep the state and "replace the primary
server" start afresh while keeping the old state for a return.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.models.settings import Setting
from onecrm_finance_qb.settings_store import set_setting
from onecrm_finance_qb.webconnector.hcp import HostCompanyInfo


class AttemptAction(StrEnum):
    """The guide's four options for an unrecognised connection attempt."""

    NONE = 'none'
    IGNORE = 'ignore'
    UPDATE = 'update'
    REPLACE = 'replace'


class ServerSelectionError(ValueError):
    """The requested acceptance or resolution does not apply to the current state."""


def find_server(session: Session, company_file: str, file_id: str, owner_id: str) -> QBServer | None:
    return session.scalars(
        sa.select(QBServer).where(
            QBServer.company_file == company_file, QBServer.file_id == file_id, QBServer.owner_id == owner_id
        )
    ).first()


def primary_server(session: Session) -> QBServer | None:
    return session.scalars(sa.select(QBServer).where(QBServer.is_primary.is_(True))).first()


def last_attempt(session: Session) -> QBServer | None:
    """The latest connection by a server that is not primary and awaits a decision."""
    return session.scalars(
        sa.select(QBServer)
        .where(QBServer.attempt_at.is_not(None))
        .order_by(QBServer.attempt_at.desc(), QBServer.id.desc())
    ).first()


def all_servers(session: Session) -> list[QBServer]:
    return list(session.scalars(sa.select(QBServer).order_by(QBServer.id)))


def record_connection(
    session: Session, info: HostCompanyInfo, company_file: str, ip_address: str, now: datetime
) -> QBServer:
    """Find or create the server behind a first call and refresh what it told us about itself.

    A server that is not primary is marked as the last connection attempt.
    """
    server = find_server(session, company_file, info.file_id, info.file_id_owner)
    if server is None:
        server = QBServer(company_file=company_file, file_id=info.file_id, owner_id=info.file_id_owner, first_seen=now)
        session.add(server)
    server.name = describe(info)[:255]
    server.company_name = info.company_name[:255]
    server.country = (info.country or 'US')[:2].upper()
    server.ip_address = ip_address[:45]
    server.details = json.dumps(info.to_dict(), sort_keys=True)
    server.last_connect = now
    if not server.is_primary:
        server.attempt_at = now
    session.flush()
    return server


def describe(info: HostCompanyInfo) -> str:
    """"QuickBooks Pro 2014 (US 23.0)": the product as people know it."""
    facts = ' '.join(part for part in (info.country, info.version) if part)
    return f'{info.product_name} ({facts})' if facts else info.product_name


def server_info(server: QBServer) -> HostCompanyInfo:
    return HostCompanyInfo.from_dict(json.loads(server.details or '{}'))


def config_warnings(server: QBServer) -> list[str]:
    """Keys of the preference warnings the Server Selection step shows for this company file."""
    prefs = server_info(server).preferences
    warnings = []
    if prefs.sales_tax is False:
        warnings.append('sales_tax')
    if prefs.estimates is False:
        warnings.append('estimates')
    if prefs.inventory is False:
        warnings.append('inventory')
    return warnings


def accept(session: Session, server_id: int, now: datetime) -> QBServer:
    """Make the server primary; only while no server is (afterwards the four options apply)."""
    if primary_server(session) is not None:
        raise ServerSelectionError('A primary server exists: resolve the connection attempt instead.')
    server = session.get(QBServer, server_id)
    if server is None:
        raise ServerSelectionError(f'No server {server_id}.')
    _make_primary(session, server, now)
    set_setting(session, 'webconnector.pending_file_id', '')
    return server


def resolve_attempt(session: Session, action: AttemptAction, now: datetime) -> QBServer | None:
    """Apply one of the four options to the last connection attempt; returns the primary server after it."""
    primary = primary_server(session)
    attempt = last_attempt(session)
    if action is AttemptAction.NONE:
        return primary
    if attempt is None:
        raise ServerSelectionError('There is no connection attempt to resolve.')
    if primary is None and action is not AttemptAction.IGNORE:
        raise ServerSelectionError('There is no primary server yet: accept the server instead.')
    if action is AttemptAction.IGNORE:
        _clear_attempts(session)
        return primary
    assert primary is not None
    if action is AttemptAction.UPDATE:
        return _move_primary_to(session, primary, attempt, now)
    _make_primary(session, attempt, now)
    return attempt


def _make_primary(session: Session, server: QBServer, now: datetime) -> None:
    session.execute(sa.update(QBServer).values(is_primary=False).execution_options(synchronize_session='fetch'))
    server.is_primary = True
    server.accepted_at = now
    _clear_attempts(session)


def _move_primary_to(session: Session, primary: QBServer, attempt: QBServer, now: datetime) -> QBServer:
    """Same company file, new location or name: the primary takes the new identity and keeps its state."""
    identity = (attempt.company_file, attempt.file_id, attempt.owner_id)
    details = (attempt.name, attempt.company_name, attempt.country, attempt.ip_address, attempt.details)
    last_connect = attempt.last_connect
    session.execute(sa.update(SyncRun).where(SyncRun.server_id == attempt.id).values(server_id=primary.id))
    session.execute(sa.delete(Setting).where(Setting.server_id == attempt.id))
    session.delete(attempt)
    session.flush()
    primary.company_file, primary.file_id, primary.owner_id = identity
    primary.name, primary.company_name, primary.country, primary.ip_address, primary.details = details
    primary.last_connect = last_connect or now
    _clear_attempts(session)
    return primary


def _clear_attempts(session: Session) -> None:
    session.execute(
        sa.update(QBServer)
        .where(QBServer.attempt_at.is_not(None))
        .values(attempt_at=None)
        .execution_options(synchronize_session='fetch')
    )
    session.flush()
