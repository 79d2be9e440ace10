"""Named positions the engine keeps per server between runs, as small JSON documents.

Registration cursors of the host's ``changed_since``, import paging and modified-date marks,
the position in the phase order (so an update cut by the request cap resumes where it
stopped): each is one row keyed by (server, key), read and written whole.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from onecrm_finance_qb.models.base import Base


class SyncCursor(Base):
    """One named position of one server."""

    __tablename__ = 'qb_cursors'
    __table_args__ = (sa.UniqueConstraint('server_id', 'key'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    server_id: Mapped[int] = mapped_column(sa.Integer)
    key: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[str] = mapped_column(sa.Text, default='{}')
