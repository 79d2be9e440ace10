"""Payments received and made, and their allocations to documents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hostcrm.extensions import db
from hostcrm.models.accounts import Account
from hostcrm.models.base import RecordMixin
from hostcrm.models.bills import Bill
from hostcrm.models.credit_notes import CreditNote
from hostcrm.models.currencies import Currency
from hostcrm.models.invoices import Invoice
from hostcrm.models.types import ExactDecimal, enum_type


class PaymentDirection(StrEnum):
    """Money in (from a customer), money out (to a supplier), or a credit note used as payment."""

    INCOMING = 'incoming'
    OUTGOING = 'outgoing'
    CREDIT = 'credit'


class Payment(RecordMixin, db.Model):
    """A payment; a refund is money going back the other way (QuickBooks check or card refund)."""

    __tablename__ = 'payments'

    prefix: Mapped[str] = mapped_column(sa.String(20), default='')
    number: Mapped[int] = mapped_column(index=True)
    direction: Mapped[PaymentDirection] = mapped_column(enum_type(PaymentDirection), default=PaymentDirection.INCOMING)
    refund: Mapped[bool] = mapped_column(default=False)
    account_id: Mapped[str] = mapped_column(sa.ForeignKey('accounts.id'), index=True)
    #: Total paid, in ``currency``.
    amount: Mapped[Decimal] = mapped_column(ExactDecimal())
    currency_id: Mapped[str | None] = mapped_column(sa.ForeignKey('currencies.id'))
    exchange_rate: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(1))
    #: Key in the ``payment_type_dom`` dropdown (QuickBooks payment method).
    payment_type: Mapped[str | None] = mapped_column(sa.String(100))
    payment_date: Mapped[date]
    #: The payer's reference: check number, transfer id (QuickBooks RefNumber).
    customer_reference: Mapped[str | None] = mapped_column(sa.String(50))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    assigned_user_id: Mapped[str | None] = mapped_column(sa.ForeignKey('users.id'))

    account: Mapped[Account] = relationship()
    currency: Mapped[Currency | None] = relationship()
    allocations: Mapped[list[PaymentAllocation]] = relationship(back_populates='payment', cascade='all, delete-orphan')

    @property
    def full_number(self) -> str:
        """Prefix and number, as printed."""
        return f'{self.prefix}{self.number}'

    def __str__(self) -> str:
        return self.full_number


class PaymentAllocation(RecordMixin, db.Model):
    """The part of a payment applied to one invoice, bill or credit note (exactly one of them)."""

    __tablename__ = 'payment_allocations'
    __change_parent__ = 'payment'
    __extra_table_args__ = (
        sa.CheckConstraint(
            '(CASE WHEN invoice_id IS NULL THEN 0 ELSE 1 END)'
            ' + (CASE WHEN bill_id IS NULL THEN 0 ELSE 1 END)'
            ' + (CASE WHEN credit_note_id IS NULL THEN 0 ELSE 1 END) = 1',
            name='one_target',
        ),
    )

    payment_id: Mapped[str] = mapped_column(sa.ForeignKey('payments.id', ondelete='CASCADE'), index=True)
    invoice_id: Mapped[str | None] = mapped_column(sa.ForeignKey('invoices.id'), index=True)
    bill_id: Mapped[str | None] = mapped_column(sa.ForeignKey('bills.id'), index=True)
    credit_note_id: Mapped[str | None] = mapped_column(sa.ForeignKey('credit_notes.id'), index=True)
    #: Amount applied, in the payment's currency.
    amount: Mapped[Decimal] = mapped_column(ExactDecimal())

    payment: Mapped[Payment] = relationship(back_populates='allocations')
    invoice: Mapped[Invoice | None] = relationship()
    bill: Mapped[Bill | None] = relationship()
    credit_note: Mapped[CreditNote | None] = relationship()

    def __str__(self) -> str:
        return f'{self.amount.normalize()}'
