"""The plugin's own declarative base, metadata and portable column types.

The plugin does not use the host's ``db.Model``: the host's ``db`` is only known when the plugin
is initialised, and the plugin's tables must stay out of the host's metadata (and the host's
migrations). Queries still go through ``host.db.session``: Flask-SQLAlchemy binds a table whose
metadata has no ``bind_key`` to the default engine, so the plugin's rows share the host's
transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator, TypeEngine

#: Every plugin table name starts with this, which is how migrations tell them from the host's.
TABLE_PREFIX = 'qb_'

#: Stable constraint names, so migrations and drops behave the same on every database.
NAMING_CONVENTION = {
    'ix': 'ix_%(column_0_label)s',
    'uq': 'uq_%(table_name)s_%(column_0_N_name)s',
    'ck': 'ck_%(table_name)s_%(constraint_name)s',
    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    'pk': 'pk_%(table_name)s',
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    """Declarative base of the plugin's tables (all named ``qb_...``)."""

    metadata = metadata


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database.

    MariaDB and SQLite keep no time zone: values are stored as naive UTC and given their UTC
    zone back when read. Naive values are refused rather than guessed.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        # MariaDB drops fractions of a second unless told to keep them.
        if dialect.name in ('mysql', 'mariadb'):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f'naive datetime {value!r}: plugin timestamps must be timezone-aware')
        value = value.astimezone(UTC)
        return value if dialect.name == 'postgresql' else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        # Comparisons with datetimes get the same conversion as stored values.
        return self


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def is_plugin_table(name: Any) -> bool:
    """Whether a table name belongs to the plugin (used to keep migrations to our own tables)."""
    return isinstance(name, str) and name.startswith(TABLE_PREFIX)
