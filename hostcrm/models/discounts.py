"""Catalogue discounts (QuickBooks discount items)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hostcrm.extensions import db
from hostcrm.models.base import RecordMixin
from hostcrm.models.currencies import Currency
from hostcrm.models.types import ExactDecimal, enum_type


class DiscountType(StrEnum):
    """A percentage of the amount, or a fixed amount in a currency."""

    PERCENTAGE = 'percentage'
    FIXED = 'fixed'


class Discount(RecordMixin, db.Model):
    """A named discount that document line groups can apply."""

    __tablename__ = 'discounts'

    name: Mapped[str] = mapped_column(sa.String(100), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    discount_type: Mapped[DiscountType] = mapped_column(enum_type(DiscountType), default=DiscountType.PERCENTAGE)
    #: Percentage, for percentage discounts (10 means 10 %).
    rate: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    #: Amount in ``currency``, for fixed discounts.
    fixed_amount: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    currency_id: Mapped[str | None] = mapped_column(sa.ForeignKey('currencies.id'))
    #: Whether the discount applies to the amount after taxes.
    applies_after_tax: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)

    currency: Mapped[Currency | None] = relationship()

    def __str__(self) -> str:
        return self.name
