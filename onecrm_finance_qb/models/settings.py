"""Stored settings: one text value per (server, category, name); types and defaults live in the registry."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from onecrm_finance_qb.models.base import Base, UTCDateTime, utc_now


class Setting(Base):
    """A setting's value as text, global (``server_id`` None) or for one QuickBooks company file.

    What a key means, its type and default are declared in ``onecrm_finance_qb.settings_registry``;
    rows hold only values that differ from nothing, never the defaults themselves.
    """

    __tablename__ = 'qb_settings'
    __table_args__ = (
        sa.UniqueConstraint('server_id', 'category', 'name'),
        # NULLs are distinct in unique constraints, so global rows need their own partial index.
        # MariaDB has no partial indexes: there the settings store alone keeps global keys unique.
        sa.Index(
            'uq_qb_settings_global',
            'category',
            'name',
            unique=True,
            postgresql_where=sa.text('server_id IS NULL'),
            sqlite_where=sa.text('server_id IS NULL'),
        ).ddl_if(dialect=('postgresql', 'sqlite')),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The ``qb_servers`` row this value applies to; None for a global setting.
    server_id: Mapped[int | None] = mapped_column(sa.Integer)
    #: First part of the registry key (``webconnector`` in ``webconnector.base_url``).
    category: Mapped[str] = mapped_column(sa.String(64))
    #: Second part of the registry key.
    name: Mapped[str] = mapped_column(sa.String(100))
    #: The value in the registry's text form for its type.
    value: Mapped[str] = mapped_column(sa.Text)
    #: When the value was last written (UTC).
    date_modified: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now, onupdate=utc_now)

    def __repr__(self) -> str:
        return f'<Setting({self.server_id!r}, {self.category}.{self.name}={self.value!r})>'
