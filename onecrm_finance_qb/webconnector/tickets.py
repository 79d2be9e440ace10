"""Tickets, the sessions they open, and the lock that allows one run per company file.

A ticket is 256 bits from the CSPRNG. Only its SHA-256 is stored, bound to the credential that
signed in and to the company file of the run; it expires after a configurable idle time. The
lock is a row per company file: taking it is a single conditional UPDATE (or the INSERT of the
row, guarded by its primary key), atomic on every database, so two workers can never both hold
it; an expired holder loses it without any clean-up job.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.credentials import SyncCredential
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.models.sessions import RunLock, WCSession

#: Longest ticket we bother hashing; ours are 43 characters.
MAX_TICKET_LENGTH = 128
#: A live session's last activity and its lock are written again once this share of the idle
#: time has passed since the last write, not on every call: a run makes a few calls a second, and
#: two UPDATEs each were a tenth of its statements. A session may so expire up to this share of
#: the idle time early (3 minutes of the default 30), never late.
REFRESH_SHARE = 0.1


def new_ticket() -> str:
    return secrets.token_urlsafe(32)


def ticket_hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode('utf-8')).hexdigest()


def company_file_key(company_file: str | None) -> str:
    """The lock key of a company file; Windows paths compare without regard to case."""
    return hashlib.sha256((company_file or '').strip().lower().encode('utf-8')).hexdigest()


def same_company_file(first: str | None, second: str | None) -> bool:
    return company_file_key(first) == company_file_key(second)


def open_session(
    session: Session, credential: SyncCredential, company_file: str | None, ip_address: str, now: datetime
) -> tuple[WCSession, str]:
    """A new session row and its ticket (returned once, never stored)."""
    ticket = new_ticket()
    wc_session = WCSession(
        ticket_hash=ticket_hash(ticket),
        credential_generation=credential.generation,
        company_file=company_file,
        lock_key=company_file_key(company_file),
        ip_address=ip_address,
        created_at=now,
        last_seen_at=now,
    )
    session.add(wc_session)
    session.flush()
    return wc_session, ticket


class Resolved(NamedTuple):
    """A live session with the run and the server it is for, read together."""

    wc_session: WCSession
    run: SyncRun | None
    server: QBServer | None


def resolve(session: Session, ticket: str, idle: timedelta, now: datetime) -> Resolved | None:
    """The live session of ``ticket``: known, not closed, not idle too long, credential unchanged.

    One statement reads it with the current credential's generation, and with its run and server:
    every call asks for them next, and while the caller holds them the ORM session hands them out
    without a query of their own.
    """
    if not ticket or len(ticket) > MAX_TICKET_LENGTH:
        return None
    current_generation = (
        sa.select(SyncCredential.generation).order_by(SyncCredential.id.desc()).limit(1).scalar_subquery()
    )
    found = session.execute(
        sa.select(WCSession, SyncRun, QBServer, current_generation)
        .outerjoin(SyncRun, SyncRun.id == WCSession.run_id)
        .outerjoin(QBServer, QBServer.id == WCSession.server_id)
        .where(WCSession.ticket_hash == ticket_hash(ticket))
    ).first()
    if found is None:
        return None
    wc_session, run, server, generation = found
    if wc_session.status == 'closed' or wc_session.last_seen_at + idle <= now:
        return None
    if generation is None or generation != wc_session.credential_generation:
        return None
    return Resolved(wc_session, run, server)


def keep_alive(session: Session, wc_session: WCSession, idle: timedelta, now: datetime) -> None:
    """Record the session's activity and extend its lock, unless they were written a moment ago.

    Both move together, so the lock of a live session never expires before the session does.
    """
    if wc_session.last_seen_at + idle * REFRESH_SHARE > now:
        return
    wc_session.last_seen_at = now
    _update_held_lock(session, wc_session, expires_at=now + idle)


class LockContendedError(Exception):
    """Another sign-in created the same run lock at the same moment and the database gave up on ours.

    InnoDB answers two concurrent first inserts of one lock row with a deadlock and rolls the whole
    transaction back; the caller must roll back its session too and answer "busy".
    """


def acquire_lock(session: Session, key: str, holder: int, expires_at: datetime, now: datetime) -> bool:
    """Take the run lock ``key`` for session ``holder`` unless a live session holds it.

    Raises :class:`LockContendedError` when the database aborted the transaction over the race.
    """
    taken = session.execute(
        sa.update(RunLock)
        .where(
            RunLock.lock_key == key,
            sa.or_(RunLock.session_id.is_(None), RunLock.session_id == holder, RunLock.expires_at <= now),
        )
        .values(session_id=holder, expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount == 1:
        return True
    if session.get(RunLock, key) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(RunLock(lock_key=key, session_id=holder, expires_at=expires_at))
    except IntegrityError:
        return False
    except OperationalError as exc:
        raise LockContendedError(str(exc.orig)) from exc
    return True


def release_lock(session: Session, wc_session: WCSession) -> None:
    _update_held_lock(session, wc_session, session_id=None, expires_at=None)


def _update_held_lock(session: Session, wc_session: WCSession, **values: object) -> None:
    """Change the lock row ``wc_session`` holds; a lock another session took meanwhile is left alone."""
    session.execute(
        sa.update(RunLock)
        .where(RunLock.lock_key == wc_session.lock_key, RunLock.session_id == wc_session.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
