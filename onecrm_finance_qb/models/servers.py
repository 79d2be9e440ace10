"""QuickBooks company files that have connected, and which one is the primary server."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from onecrm_finance_qb.models.base import Base, UTCDateTime, utc_now


class QBServer(Base):
    """One QuickBooks company file, identified as the guide says by (file name, FileID, OwnerID).

    Everything the sync keeps (links, mappings, settings) is keyed by this row's id, so replacing
    the primary server starts from a fresh state while the old one waits, intact, to be chosen
    again. At most one row is primary; rows with ``attempt_at`` set are connection attempts the
    administrator has not decided about yet.
    """

    __tablename__ = 'qb_servers'
    __table_args__ = (sa.UniqueConstraint('company_file', 'file_id', 'owner_id'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Full path of the company file as QBWC reports it.
    company_file: Mapped[str] = mapped_column(sa.String(500))
    #: Value of the FileID DataExt QBWC wrote into the company file from our .qwc ('' if none).
    file_id: Mapped[str] = mapped_column(sa.String(64), default='')
    #: OwnerID of that DataExt: this installation's, unless the file was paired elsewhere.
    owner_id: Mapped[str] = mapped_column(sa.String(64), default='')
    #: "QuickBooks Premier Edition 2014 (US 23.0)": product, edition and version, for people.
    name: Mapped[str] = mapped_column(sa.String(255), default='')
    #: Company name from CompanyRet.
    company_name: Mapped[str] = mapped_column(sa.String(255), default='')
    #: Two-letter edition country (US, CA, UK, AU).
    country: Mapped[str] = mapped_column(sa.String(2), default='US')
    #: The qbXML version last negotiated, as written in the prolog (``13.0``, ``CA13.0``).
    qbxml_version: Mapped[str] = mapped_column(sa.String(16), default='')
    #: Address the last connection came from.
    ip_address: Mapped[str] = mapped_column(sa.String(45), default='')
    #: Everything the HCP response said (JSON of ``HostCompanyInfo``).
    details: Mapped[str] = mapped_column(sa.Text, default='{}')
    #: The server the CRM synchronises with.
    is_primary: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    #: When the administrator accepted this server as primary.
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Last unrecognised connection attempt awaiting a decision; None once decided.
    attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    last_connect: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f'<QBServer({self.id!r}, {self.company_file!r}, primary={self.is_primary!r})>'
