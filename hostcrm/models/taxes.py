"""Tax rates and the tax codes that apply them to products, lines and accounts."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hostcrm.extensions import db
from hostcrm.models.base import RecordMixin
from hostcrm.models.types import ExactDecimal


class TaxRate(RecordMixin, db.Model):
    """A tax (GST 5%, PST 7%, a state sales tax...)."""

    __tablename__ = 'tax_rates'

    name: Mapped[str] = mapped_column(sa.String(100))
    #: Percentage: 7.5 means 7.5 %.
    rate: Mapped[Decimal] = mapped_column(ExactDecimal())
    #: A compound rate applies to the amount plus the taxes before it (Quebec's QST, QuickBooks "piggyback").
    is_compound: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return f'{self.name} ({self.rate.normalize()}%)'


class TaxCodeRate(db.Model):
    """Which rates a tax code applies, in the order they compound."""

    __tablename__ = 'tax_code_rates'

    tax_code_id: Mapped[str] = mapped_column(sa.ForeignKey('tax_codes.id', ondelete='CASCADE'), primary_key=True)
    tax_rate_id: Mapped[str] = mapped_column(sa.ForeignKey('tax_rates.id', ondelete='CASCADE'), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class TaxCode(RecordMixin, db.Model):
    """A tax class (taxable, exempt, GST only...) and the rates it charges."""

    __tablename__ = 'tax_codes'

    #: Code of the tax-exempt class created by ``init-db``; 1CRM's "-99".
    EXEMPT_CODE = 'E'

    code: Mapped[str] = mapped_column(sa.String(20), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    #: Whether lines with this code are taxed at all.
    taxable: Mapped[bool] = mapped_column(default=True)
    #: The one code that means "no tax"; QuickBooks' exempt code maps to it.
    is_exempt: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    rates: Mapped[list[TaxRate]] = relationship(
        secondary='tax_code_rates', order_by='TaxCodeRate.position', lazy='selectin'
    )

    def __str__(self) -> str:
        return f'{self.name} ({self.code})'
