"""Invoices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hostcrm.extensions import db
from hostcrm.models.documents import ZERO, AdjustmentMixin, DocumentMixin, LineGroupMixin, LineMixin
from hostcrm.models.quotes import Quote
from hostcrm.models.types import ExactDecimal


class Invoice(DocumentMixin, db.Model):
    """A bill to a customer."""

    __tablename__ = 'invoices'
    STATUSES = ('Unpaid', 'Partially Paid', 'Paid', 'Cancelled')

    due_date: Mapped[date | None]
    purchase_order_num: Mapped[str | None] = mapped_column(sa.String(50))
    #: The quote it was created from.
    quote_id: Mapped[str | None] = mapped_column(sa.ForeignKey('quotes.id'))
    #: What remains to be paid.
    amount_due: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)

    quote: Mapped[Quote | None] = relationship()


class InvoiceLineGroup(LineGroupMixin, db.Model):
    __tablename__ = 'invoice_line_groups'
    __document__ = 'Invoice'
    __document_table__ = 'invoices'


class InvoiceLine(LineMixin, db.Model):
    __tablename__ = 'invoice_lines'
    __document__ = 'Invoice'
    __group_table__ = 'invoice_line_groups'


class InvoiceAdjustment(AdjustmentMixin, db.Model):
    __tablename__ = 'invoice_adjustments'
    __document__ = 'Invoice'
    __group_table__ = 'invoice_line_groups'
