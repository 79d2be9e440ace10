"""CRM users: who can log in, whether they administer the CRM, which language they read."""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from hostcrm.extensions import db
from hostcrm.models.base import RecordMixin


class User(RecordMixin, UserMixin, db.Model):
    """A person who logs in to the CRM."""

    __tablename__ = 'users'

    user_name: Mapped[str] = mapped_column(sa.String(60), unique=True)
    #: werkzeug hash (scrypt by default); never the password itself.
    password_hash: Mapped[str] = mapped_column(sa.String(255), default='')
    first_name: Mapped[str | None] = mapped_column(sa.String(100))
    last_name: Mapped[str | None] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(sa.String(150))
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: Inactive users cannot log in (Flask-Login reads this attribute).
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Preferred locale (``en``, ``fr_CA``, ``es``); none means the browser's choice.
    locale: Mapped[str | None] = mapped_column(sa.String(10))

    @property
    def name(self) -> str:
        """Full name, or the user name when none is recorded."""
        full = ' '.join(part for part in (self.first_name, self.last_name) if part)
        return full or self.user_name

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password``."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Whether ``password`` matches the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __str__(self) -> str:
        return self.user_name
