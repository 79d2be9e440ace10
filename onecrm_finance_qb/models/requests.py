"""Every qbXML request the engine sends, so each answer finds its record and no outcome is lost.

A request is ``queued`` (built, waiting for room in a message), ``sent`` (in the message
QuickBooks has), then ``answered``. A request still ``sent`` when its run ends has an unknown
outcome: its link stays in flight and the next run verifies it against QuickBooks before
anything is sent again. The XML is kept only while it may have to be resent.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from onecrm_finance_qb.models.base import Base, UTCDateTime, utc_now


class SentRequest(Base):
    """One request of one run."""

    __tablename__ = 'qb_requests'
    __table_args__ = (
        sa.Index('ix_qb_requests_run_state', 'run_id', 'state'),
        # A run's start settles what earlier runs left queued or sent, among every request ever sent.
        sa.Index('ix_qb_requests_server_state', 'server_id', 'state'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    server_id: Mapped[int] = mapped_column(sa.Integer)
    run_id: Mapped[int] = mapped_column(sa.Integer)
    #: The requestID attribute: ``<run id>.<number within the run>``, so it is unique across runs.
    request_id: Mapped[str] = mapped_column(sa.String(50), default='')
    request_type: Mapped[str] = mapped_column(sa.String(48))
    #: The handler family that answers it, and what it does (``import``, ``add``, ``verify``...).
    family: Mapped[str] = mapped_column(sa.String(24))
    action: Mapped[str] = mapped_column(sa.String(24))
    link_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    #: ``queued``, ``sent``, ``answered`` or ``failed``.
    state: Mapped[str] = mapped_column(sa.String(12), default='queued')
    #: Requests queued together share a key and travel together; lower goes first (a half of a split message).
    group_key: Mapped[int] = mapped_column(sa.Integer, default=0)
    xml: Mapped[str] = mapped_column(sa.Text, default='')
    #: What the handler needs to read the answer (JSON).
    context: Mapped[str] = mapped_column(sa.Text, default='{}')
    status_code: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
