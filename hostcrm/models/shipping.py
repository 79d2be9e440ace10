"""Shipping providers (QuickBooks ship methods)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hostcrm.extensions import db
from hostcrm.models.base import RecordMixin


class ShippingProvider(RecordMixin, db.Model):
    """A carrier or delivery method named on quotes and invoices."""

    __tablename__ = 'shipping_providers'

    name: Mapped[str] = mapped_column(sa.String(100), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name
