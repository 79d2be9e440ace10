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

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.credentials import SyncCredential
from onecrm_finance_qb.models.sessions import RunLock, WCSession

#: Longest ticket we bother hashing; ours are 43 characters.
MAX_TICKET_LENGTH = 128


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


def resolve(session: Session, ticket: str, idle: timedelta, now: datetime) -> WCSession | None:
    """The live session of ``ticket``: known, not closed, not idle too long, credential unchanged."""
    if not ticket or len(ticket) > MAX_TICKET_LENGTH:
        return None
    wc_session = session.scalars(sa.select(WCSession).where(WCSession.ticket_hash == ticket_hash(ticket))).first()
    if wc_session is None or wc_session.status == 'closed':
        return None
    if wc_session.last_seen_at + idle <= now:
        return None
    credential = session.scalars(sa.select(SyncCredential)).first()
    if credential is None or credential.generation != wc_session.credential_generation:
        return None
    wc_session.last_seen_at = now
    return wc_session


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


def extend_lock(session: Session, wc_session: WCSession, expires_at: datetime) -> None:
    session.execute(
        sa.update(RunLock)
        .where(RunLock.lock_key == wc_session.lock_key, RunLock.session_id == wc_session.id)
        .values(expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )


def release_lock(session: Session, wc_session: WCSession) -> None:
    session.execute(
        sa.update(RunLock)
        .where(RunLock.lock_key == wc_session.lock_key, RunLock.session_id == wc_session.id)
        .values(session_id=None, expires_at=None)
        .execution_options(synchronize_session=False)
    )
