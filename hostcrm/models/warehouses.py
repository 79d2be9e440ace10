"""Warehouses: where tracked stock is held."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hostcrm.extensions import db
from hostcrm.models.addresses import BillingAddressMixin
from hostcrm.models.base import RecordMixin


class Warehouse(RecordMixin, BillingAddressMixin, db.Model):
    """A company address flagged as a warehouse; its address is kept in the billing columns."""

    __tablename__ = 'warehouses'

    name: Mapped[str] = mapped_column(sa.String(100))
    #: The main warehouse, preselected where one must be chosen.
    is_main: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name
