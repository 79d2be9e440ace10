"""The dedicated credential QBWC signs in with, and the per-user-name failure throttle."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from onecrm_finance_qb.models.base import Base, UTCDateTime, utc_now


class SyncCredential(Base):
    """The sync user name and password hash; never a CRM user's password.

    Setting a new credential replaces the row and its generation, so tickets bound to the old one stop working.
    """

    __tablename__ = 'qb_sync_credentials'

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(255), unique=True)
    #: werkzeug ``generate_password_hash`` output (scrypt), never the password.
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    #: Random per credential; sessions record it, so a new credential ends them even if ids are reused.
    generation: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    def __repr__(self) -> str:
        return f'<SyncCredential({self.id!r}, {self.username!r})>'


class LoginThrottle(Base):
    """Failed sign-ins per user name, kept in the database so every worker enforces the same lockout."""

    __tablename__ = 'qb_login_throttles'

    #: The user name as typed, lower-cased, so case variations share one counter.
    username: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    failures: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: No sign-in is checked for this user name before this time.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f'<LoginThrottle({self.username!r}, failures={self.failures!r})>'
