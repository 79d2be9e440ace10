"""Credit notes (QuickBooks credit memos)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hostcrm.extensions import db
from hostcrm.models.documents import ZERO, AdjustmentMixin, DocumentMixin, LineGroupMixin, LineMixin
from hostcrm.models.invoices import Invoice
from hostcrm.models.types import ExactDecimal


class CreditNote(DocumentMixin, db.Model):
    """A credit to a customer, possibly applied to one of their invoices."""

    __tablename__ = 'credit_notes'
    STATUSES = ('Open', 'Applied', 'Refunded', 'Cancelled')

    due_date: Mapped[date | None]
    purchase_order_num: Mapped[str | None] = mapped_column(sa.String(50))
    #: The invoice this credit relates to.
    invoice_id: Mapped[str | None] = mapped_column(sa.ForeignKey('invoices.id'), index=True)
    #: Whether the credit is applied to ``invoice`` (a QuickBooks ReceivePayment with SetCredit).
    apply_credit_note: Mapped[bool] = mapped_column(default=False)
    #: Credit not yet applied or refunded.
    amount_due: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)

    invoice: Mapped[Invoice | None] = relationship()


class CreditNoteLineGroup(LineGroupMixin, db.Model):
    __tablename__ = 'credit_note_line_groups'
    __document__ = 'CreditNote'
    __document_table__ = 'credit_notes'


class CreditNoteLine(LineMixin, db.Model):
    __tablename__ = 'credit_note_lines'
    __document__ = 'CreditNote'
    __group_table__ = 'credit_note_line_groups'


class CreditNoteAdjustment(AdjustmentMixin, db.Model):
    __tablename__ = 'credit_note_adjustments'
    __document__ = 'CreditNote'
    __group_table__ = 'credit_note_line_groups'
