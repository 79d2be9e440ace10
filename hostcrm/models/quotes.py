"""Quotes (QuickBooks estimates)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Mapped

from hostcrm.extensions import db
from hostcrm.models.documents import AdjustmentMixin, DocumentMixin, LineGroupMixin, LineMixin


class Quote(DocumentMixin, db.Model):
    """A priced offer to a customer."""

    __tablename__ = 'quotes'
    STATUSES = ('Draft', 'Negotiation', 'Delivered', 'On Hold', 'Closed Accepted', 'Closed Lost')

    #: Last day the offer holds (QuickBooks DueDate on estimates).
    valid_until: Mapped[date | None]


class QuoteLineGroup(LineGroupMixin, db.Model):
    __tablename__ = 'quote_line_groups'
    __document__ = 'Quote'
    __document_table__ = 'quotes'


class QuoteLine(LineMixin, db.Model):
    __tablename__ = 'quote_lines'
    __document__ = 'Quote'
    __group_table__ = 'quote_line_groups'


class QuoteAdjustment(AdjustmentMixin, db.Model):
    __tablename__ = 'quote_adjustments'
    __document__ = 'Quote'
    __group_table__ = 'quote_line_groups'
