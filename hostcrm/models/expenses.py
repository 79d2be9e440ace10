"""Booking categories: the expense and service categories of bill and booking lines."""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hostcrm.extensions import db
from hostcrm.models.base import RecordMixin
from hostcrm.models.types import enum_type


class BookingClass(StrEnum):
    """What a category books: expenses (mapped to QuickBooks expense accounts) or services."""

    EXPENSES = 'expenses'
    SERVICES = 'services'


class ExpenseCategory(RecordMixin, db.Model):
    """A booking category (1CRM ``BookingCategory``)."""

    __tablename__ = 'expense_categories'

    name: Mapped[str] = mapped_column(sa.String(100), index=True)
    booking_class: Mapped[BookingClass] = mapped_column(enum_type(BookingClass), default=BookingClass.EXPENSES)
    description: Mapped[str | None] = mapped_column(sa.Text)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name
