"""QuickBooks setup lists (currencies, tax codes, accounts, terms...) and what each maps to in the CRM.

Each row is one QuickBooks list element as last downloaded; ``crm_value`` is the CRM record id
or dropdown key it maps to (None while unmapped). A CRM value that QuickBooks does not have yet
(a CRM account type to export as a customer type) is a row without ``qb_id``.

Expense categories go the other way: each row is a CRM expense category (``crm_value`` its id,
``name`` its name, no ``qb_id``) and ``details`` holds the QuickBooks account its expenses are
booked to (``{"AccountListID": ...}``), because many categories may share one account.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from onecrm_finance_qb.models.base import Base, UTCDateTime, utc_now


class ListKind(StrEnum):
    """The setup lists the engine downloads and maps."""

    CURRENCY = 'currency'
    TAX_CODE = 'tax_code'
    SALES_TAX_ITEM = 'sales_tax_item'
    ACCOUNT = 'account'
    CUSTOMER_TYPE = 'customer_type'
    TERMS = 'terms'
    PAYMENT_METHOD = 'payment_method'
    SHIP_METHOD = 'ship_method'
    EXPENSE_CATEGORY = 'expense_category'


class ListMapping(Base):
    """One QuickBooks list element and the CRM value it stands for."""

    __tablename__ = 'qb_list_mappings'
    __table_args__ = (
        sa.UniqueConstraint('server_id', 'kind', 'qb_id'),
        sa.Index('ix_qb_list_mappings_server_kind_name', 'server_id', 'kind', 'name'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    server_id: Mapped[int] = mapped_column(sa.Integer)
    #: A ``ListKind``.
    kind: Mapped[str] = mapped_column(sa.String(24))
    #: The QuickBooks Ret type (``StandardTerms``, ``DateDrivenTerms``, ``SalesTaxCode``...).
    qb_type: Mapped[str] = mapped_column(sa.String(40), default='')
    qb_id: Mapped[str | None] = mapped_column(sa.String(36))
    edit_sequence: Mapped[str | None] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(255), default='')
    #: What the element says beyond its name (rate, ISO code, account type...), as JSON.
    details: Mapped[str] = mapped_column(sa.Text, default='{}')
    crm_value: Mapped[str | None] = mapped_column(sa.String(64))
    #: The mapping was guessed by the engine rather than chosen by the administrator.
    auto_mapped: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    #: QuickBooks deleted the element (seen through ListDeletedQuery).
    deleted: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    message: Mapped[str] = mapped_column(sa.Text, default='')
    qb_modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now, onupdate=utc_now)

    @property
    def expense_account(self) -> str | None:
        """For an expense category: the ListID of the QuickBooks account its expenses are booked to."""
        return json.loads(self.details or '{}').get('AccountListID')

    @expense_account.setter
    def expense_account(self, list_id: str | None) -> None:
        self.details = json.dumps({'AccountListID': list_id} if list_id else {})
