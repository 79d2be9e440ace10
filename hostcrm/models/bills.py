"""Bills: what suppliers invoice us."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hostcrm.extensions import db
from hostcrm.models.documents import ZERO, AdjustmentMixin, DocumentMixin, LineGroupMixin, LineMixin
from hostcrm.models.types import ExactDecimal


class Bill(DocumentMixin, db.Model):
    """A supplier's invoice; ``account`` is the supplier and ``issue_date`` the bill date."""

    __tablename__ = 'bills'
    STATUSES = ('Unpaid', 'Partially Paid', 'Paid', 'Cancelled')

    due_date: Mapped[date | None]
    #: The supplier's own invoice number (QuickBooks RefNumber on bills).
    supplier_reference: Mapped[str | None] = mapped_column(sa.String(50))
    amount_due: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)


class BillLineGroup(LineGroupMixin, db.Model):
    __tablename__ = 'bill_line_groups'
    __document__ = 'Bill'
    __document_table__ = 'bills'


class BillLine(LineMixin, db.Model):
    __tablename__ = 'bill_lines'
    __document__ = 'Bill'
    __group_table__ = 'bill_line_groups'


class BillAdjustment(AdjustmentMixin, db.Model):
    __tablename__ = 'bill_adjustments'
    __document__ = 'Bill'
    __group_table__ = 'bill_line_groups'
