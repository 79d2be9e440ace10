"""Editable dropdown lists (account types, terms, payment types, salutations), in one table.

1CRM keeps these as language-file arrays (``terms_dom``...); here they are rows so that the
administrator and the QuickBooks mapping's "Add to List" can extend them.
"""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hostcrm.extensions import db
from hostcrm.models.base import RecordMixin


class DropdownList(StrEnum):
    """The lists, named as in 1CRM."""

    ACCOUNT_TYPES = 'account_type_dom'
    TERMS = 'terms_dom'
    PAYMENT_TYPES = 'payment_type_dom'
    SALUTATIONS = 'salutation_dom'


class DropdownOption(RecordMixin, db.Model):
    """One value of a dropdown list: records store ``value_key``, screens show ``label``."""

    __tablename__ = 'dropdown_options'
    __extra_table_args__ = (sa.UniqueConstraint('list_name', 'value_key', name='uq_dropdown_options_list_key'),)

    list_name: Mapped[str] = mapped_column(sa.String(50), index=True)
    value_key: Mapped[str] = mapped_column(sa.String(100))
    label: Mapped[str] = mapped_column(sa.String(150))
    position: Mapped[int] = mapped_column(default=0)

    def __str__(self) -> str:
        return self.label


#: Lists created by ``init-db``: (list, [(key, label)]), in display order.
DEFAULT_OPTIONS: tuple[tuple[DropdownList, tuple[tuple[str, str], ...]], ...] = (
    (
        DropdownList.ACCOUNT_TYPES,
        (
            ('Customer', 'Customer'),
            ('Supplier', 'Supplier'),
            ('Partner', 'Partner'),
            ('Reseller', 'Reseller'),
            ('Competitor', 'Competitor'),
            ('Analyst', 'Analyst'),
            ('Integrator', 'Integrator'),
            ('Investor', 'Investor'),
            ('Press', 'Press'),
            ('Prospect', 'Prospect'),
            ('Other', 'Other'),
        ),
    ),
    (
        DropdownList.TERMS,
        (
            ('COD', 'COD'),
            ('Due on Receipt', 'Due on Receipt'),
            ('Net 7 Days', 'Net 7 Days'),
            ('Net 15 Days', 'Net 15 Days'),
            ('Net 30 Days', 'Net 30 Days'),
            ('Net 45 Days', 'Net 45 Days'),
            ('Net 60 Days', 'Net 60 Days'),
        ),
    ),
    (
        DropdownList.PAYMENT_TYPES,
        (
            ('Cash', 'Cash'),
            ('Check', 'Check'),
            ('Credit Card', 'Credit Card'),
            ('Direct Debit', 'Direct Debit'),
            ('Wire Transfer', 'Wire Transfer'),
            ('PayPal', 'PayPal'),
        ),
    ),
    (
        DropdownList.SALUTATIONS,
        (('Mr.', 'Mr.'), ('Ms.', 'Ms.'), ('Mrs.', 'Mrs.'), ('Dr.', 'Dr.'), ('Prof.', 'Prof.')),
    ),
)
