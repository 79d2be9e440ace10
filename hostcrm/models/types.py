"""Column types that behave the same on SQLite, PostgreSQL and MariaDB.

Money and timestamps are where the three databases differ most: SQLite has no exact decimal
type and none of them but PostgreSQL keeps a time zone. These types hide that, so the rest of
the CRM only ever sees ``Decimal`` and timezone-aware UTC ``datetime`` values.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

#: Digits kept after the decimal point for money, quantities, rates and percentages.
DECIMAL_SCALE = 6
_SCALE_FACTOR = Decimal(10) ** DECIMAL_SCALE


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def new_id() -> str:
    """A fresh record id, a UUID string as 1CRM uses."""
    return str(uuid.uuid4())


class ExactDecimal(TypeDecorator[Decimal]):
    """An exact decimal with six places: ``NUMERIC(26, 6)``, or scaled integers on SQLite.

    SQLite would store ``NUMERIC`` as a binary float, so there the value is kept as an integer
    count of millionths: exact, and still ordered and summable by the database.
    """

    impl = sa.Numeric(26, DECIMAL_SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == 'sqlite':
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(26, DECIMAL_SCALE, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError('money and quantities must be Decimal, never float')
        exact = Decimal(value)
        if dialect.name == 'sqlite':
            return int((exact * _SCALE_FACTOR).to_integral_value())
        return exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == 'sqlite':
            return (Decimal(int(value)) / _SCALE_FACTOR).quantize(Decimal(1).scaleb(-DECIMAL_SCALE))
        return Decimal(value)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        return self


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and read back timezone-aware.

    SQLite and MariaDB keep no zone, so every value is converted to UTC on the way in and
    labelled UTC on the way out. MariaDB gets microseconds (``DATETIME(6)``), which keeps the
    change cursor's order meaningful when many rows change within one second.
    """

    impl = sa.DateTime(timezone=False)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in {'mysql', 'mariadb'}:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(sa.DateTime(timezone=False))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError('timestamps must be timezone-aware')
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        return self


def enum_type(enum_class: type[StrEnum]) -> sa.Enum:
    """A portable enum column: a checked ``VARCHAR`` holding the members' values."""
    return sa.Enum(
        enum_class,
        name=enum_class.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
    )
