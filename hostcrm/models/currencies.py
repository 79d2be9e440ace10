"""Currencies: one base currency and others with their conversion rate to it."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hostcrm.extensions import db
from hostcrm.models.base import RecordMixin
from hostcrm.models.types import ExactDecimal


class Currency(RecordMixin, db.Model):
    """A currency; amounts in it convert to the base currency by dividing by ``conversion_rate``."""

    __tablename__ = 'currencies'

    #: ISO 4217 code (``USD``, ``CAD``); the key QuickBooks currencies are matched on.
    iso4217: Mapped[str] = mapped_column(sa.String(3), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    symbol: Mapped[str] = mapped_column(sa.String(10), default='')
    #: Units of this currency per unit of the base currency (1 for the base currency).
    conversion_rate: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(1))
    is_base: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return f'{self.name} ({self.iso4217})'
