"""Web Connector sessions (one per ticket) and the per-company-file run lock."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from onecrm_finance_qb.models.base import Base, UTCDateTime, utc_now


class WCSession(Base):
    """One QBWC session, from authenticate to closeConnection.

    Only the SHA-256 of the ticket is stored, so the table cannot be used to hijack a session.
    Everything a later call needs is here rather than in a worker's memory, so any worker (or
    machine) can answer any call of the run.
    """

    __tablename__ = 'qb_wc_sessions'

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Generation of the credential that signed in; the ticket dies with it.
    credential_generation: Mapped[str] = mapped_column(sa.String(32))
    #: open, refused (unrecognised server, busy...), closed.
    status: Mapped[str] = mapped_column(sa.String(16), default='open')
    #: The company file this ticket is for: requested at authenticate or reported by the first call.
    company_file: Mapped[str | None] = mapped_column(sa.String(500))
    #: Key of the ``qb_run_locks`` row this session holds.
    lock_key: Mapped[str] = mapped_column(sa.String(64))
    server_id: Mapped[int | None] = mapped_column(sa.Integer)
    run_id: Mapped[int | None] = mapped_column(sa.Integer)
    #: The negotiated ``<?qbxml version?>`` text.
    qbxml_version: Mapped[str] = mapped_column(sa.String(16), default='')
    #: What getLastError answers.
    last_error: Mapped[str] = mapped_column(sa.Text, default='')
    #: connectionError retries made with the configured company file.
    connection_retries: Mapped[int] = mapped_column(sa.Integer, default=0)
    ip_address: Mapped[str] = mapped_column(sa.String(45), default='')
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now, index=True)

    def __repr__(self) -> str:
        return f'<WCSession({self.id!r}, {self.status!r})>'


class RunLock(Base):
    """At most one live run per company file: the row for a file names the session holding it.

    Taking the lock is one conditional UPDATE (or the INSERT of the row), which every database
    performs atomically, so two workers can never both win it.
    """

    __tablename__ = 'qb_run_locks'

    #: SHA-256 of the lower-cased company file path ('' hashed when the file is not known yet).
    lock_key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    session_id: Mapped[int | None] = mapped_column(sa.Integer)
    #: The lock is free after this time even if its session never closed.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f'<RunLock({self.lock_key[:8]!r}, session={self.session_id!r})>'
