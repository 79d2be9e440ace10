"""The record of every Web Connector run: when, with which server, how it ended, what it did."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from onecrm_finance_qb.models.base import Base, UTCDateTime, utc_now
from onecrm_finance_qb.models.message_columns import MessageColumns

#: Results a run can end with; ``in_progress`` until it ends.
RUN_RESULTS = ('in_progress', 'partial', 'aborted', 'success')


class SyncRun(MessageColumns, Base):
    """One run, kept after it ends so the status screen and support can look back."""

    __tablename__ = 'qb_runs'

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    #: The server the run talked to (None when the first call never identified one).
    server_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    company_file: Mapped[str] = mapped_column(sa.String(500), default='')
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: One of ``RUN_RESULTS``.
    result: Mapped[str] = mapped_column(sa.String(16), default='in_progress')
    # ``message`` (from MessageColumns): the outcome in words, shown on the status screen.
    requests_sent: Mapped[int] = mapped_column(sa.Integer, default=0)
    responses_received: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: Per-object-family counts (JSON), filled by the sync engine.
    counts: Mapped[str] = mapped_column(sa.Text, default='{}')
    #: The run's requests by type and outcome (JSON), kept once its request rows are pruned
    #: (``request_log``); None while the rows are there.
    requests_summary: Mapped[str | None] = mapped_column(sa.Text)

    def __repr__(self) -> str:
        return f'<SyncRun({self.id!r}, {self.result!r})>'
