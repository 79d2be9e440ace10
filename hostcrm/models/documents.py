"""What quotes, invoices, credit notes and bills share: header, line groups, lines, adjustments.

Each document kind has its own three child tables (``invoice_line_groups``, ``invoice_lines``,
``invoice_adjustments``...), built from the mixins here, so that foreign keys stay real and each
kind's rows are read without filtering a shared table. Children name their document class in
``__document__`` and their tables in ``__document_table__``/``__group_table__``; relationships are
uniform across kinds: ``document.line_groups``, ``group.lines``, ``group.adjustments``,
``line.group``, ``group.document``. A change to any child moves the document's ``date_modified``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from hostcrm.models.addresses import BillingAddressMixin, ShippingAddressMixin
from hostcrm.models.base import RecordMixin
from hostcrm.models.types import ExactDecimal, enum_type

ZERO = Decimal(0)


class LineGroupType(StrEnum):
    """What a group's lines are: goods, services, or expenses (bills)."""

    PRODUCTS = 'products'
    SERVICE = 'service'
    EXPENSES = 'expenses'


class LineType(StrEnum):
    """A line sells a product or an assembly, a free-text item, books an expense, or only comments."""

    PRODUCT = 'product'
    ASSEMBLY = 'assembly'
    CUSTOM = 'custom'
    EXPENSE = 'expense'
    COMMENT = 'comment'


class AdjustmentType(StrEnum):
    """A group adjustment: a discount, a tax, or shipping."""

    DISCOUNT = 'discount'
    TAX = 'tax'
    SHIPPING = 'shipping'


class DocumentMixin(RecordMixin, BillingAddressMixin, ShippingAddressMixin):
    """Header of a quote, invoice, credit note or bill. Amounts are in the document's currency."""

    #: Status values offered for the kind, first one the default.
    STATUSES: ClassVar[tuple[str, ...]] = ()

    #: The number is shown as prefix + number ("INV-1042").
    prefix: Mapped[str] = mapped_column(sa.String(20), default='')
    number: Mapped[int] = mapped_column(index=True)
    #: Subject; becomes the QuickBooks memo.
    name: Mapped[str] = mapped_column(sa.String(200))
    account_id: Mapped[str] = mapped_column(sa.ForeignKey('accounts.id'), index=True)
    contact_id: Mapped[str | None] = mapped_column(sa.ForeignKey('contacts.id'))
    assigned_user_id: Mapped[str | None] = mapped_column(sa.ForeignKey('users.id'))
    #: The date printed on the document (QuickBooks TxnDate), independent of time zones.
    issue_date: Mapped[date]
    currency_id: Mapped[str | None] = mapped_column(sa.ForeignKey('currencies.id'))
    #: Units of the document currency per unit of the base currency when it was issued.
    exchange_rate: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(1))
    #: Key in the ``terms_dom`` dropdown.
    terms: Mapped[str | None] = mapped_column(sa.String(100))
    shipping_provider_id: Mapped[str | None] = mapped_column(sa.ForeignKey('shipping_providers.id'))
    #: Sum of the lines before adjustments.
    subtotal: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    discount_total: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    tax_total: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    shipping_total: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    #: Grand total: subtotal - discounts + taxes + shipping.
    amount: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    status: Mapped[str] = mapped_column(sa.String(40), default='')
    description: Mapped[str | None] = mapped_column(sa.Text)

    @declared_attr
    def account(cls) -> Mapped[Any]:
        return relationship('Account')

    @declared_attr
    def contact(cls) -> Mapped[Any]:
        return relationship('Contact')

    @declared_attr
    def assigned_user(cls) -> Mapped[Any]:
        return relationship('User')

    @declared_attr
    def currency(cls) -> Mapped[Any]:
        return relationship('Currency')

    @declared_attr
    def shipping_provider(cls) -> Mapped[Any]:
        return relationship('ShippingProvider')

    @declared_attr
    def line_groups(cls) -> Mapped[list[Any]]:
        return relationship(
            f'{cls.__name__}LineGroup',
            back_populates='document',
            order_by=f'{cls.__name__}LineGroup.position',
            cascade='all, delete-orphan',
        )

    @property
    def full_number(self) -> str:
        """Prefix and number, as printed."""
        return f'{self.prefix}{self.number}'

    def __str__(self) -> str:
        return f'{self.full_number} {self.name}'


class LineGroupMixin(RecordMixin):
    """A group of lines with its own adjustments and subtotal."""

    __document__: ClassVar[str]
    __document_table__: ClassVar[str]
    __change_parent__ = 'document'

    name: Mapped[str | None] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    group_type: Mapped[LineGroupType] = mapped_column(enum_type(LineGroupType), default=LineGroupType.PRODUCTS)
    subtotal: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    #: Subtotal with the group's adjustments.
    amount: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)

    @declared_attr
    def document_id(cls) -> Mapped[str]:
        return mapped_column(sa.ForeignKey(f'{cls.__document_table__}.id', ondelete='CASCADE'), index=True)

    @declared_attr
    def document(cls) -> Mapped[Any]:
        return relationship(cls.__document__, back_populates='line_groups')

    @declared_attr
    def lines(cls) -> Mapped[list[Any]]:
        return relationship(
            f'{cls.__document__}Line',
            back_populates='group',
            order_by=f'{cls.__document__}Line.position',
            cascade='all, delete-orphan',
        )

    @declared_attr
    def adjustments(cls) -> Mapped[list[Any]]:
        return relationship(
            f'{cls.__document__}Adjustment',
            back_populates='group',
            order_by=f'{cls.__document__}Adjustment.position',
            cascade='all, delete-orphan',
        )

    def __str__(self) -> str:
        return self.name or str(self.position)


class _GroupChildMixin(RecordMixin):
    __document__: ClassVar[str]
    __group_table__: ClassVar[str]
    __change_parent__ = 'group'

    position: Mapped[int] = mapped_column(default=0)

    @declared_attr
    def group_id(cls) -> Mapped[str]:
        return mapped_column(sa.ForeignKey(f'{cls.__group_table__}.id', ondelete='CASCADE'), index=True)


class LineMixin(_GroupChildMixin):
    """One line: what is sold or bought, how many, at what price, taxed how."""

    line_type: Mapped[LineType] = mapped_column(enum_type(LineType), default=LineType.PRODUCT)
    product_id: Mapped[str | None] = mapped_column(sa.ForeignKey('products.id'))
    assembly_id: Mapped[str | None] = mapped_column(sa.ForeignKey('assemblies.id'))
    expense_category_id: Mapped[str | None] = mapped_column(sa.ForeignKey('expense_categories.id'))
    name: Mapped[str] = mapped_column(sa.String(200), default='')
    #: Comment text, or a longer description of the item.
    description: Mapped[str | None] = mapped_column(sa.Text)
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(1))
    unit_price: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    list_price: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    cost_price: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    #: quantity x unit price.
    ext_price: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    tax_code_id: Mapped[str | None] = mapped_column(sa.ForeignKey('tax_codes.id'))

    @declared_attr
    def parent_line_id(cls) -> Mapped[str | None]:
        """The assembly line this line is a component of."""
        return mapped_column(sa.ForeignKey(f'{cls.__tablename__}.id'))

    @declared_attr
    def group(cls) -> Mapped[Any]:
        return relationship(f'{cls.__document__}LineGroup', back_populates='lines')

    @declared_attr
    def product(cls) -> Mapped[Any]:
        return relationship('Product')

    @declared_attr
    def assembly(cls) -> Mapped[Any]:
        return relationship('Assembly')

    @declared_attr
    def expense_category(cls) -> Mapped[Any]:
        return relationship('ExpenseCategory')

    @declared_attr
    def tax_code(cls) -> Mapped[Any]:
        return relationship('TaxCode')

    def __str__(self) -> str:
        return self.name


class AdjustmentMixin(_GroupChildMixin):
    """A discount, tax or shipping charge applied to a line group."""

    adjustment_type: Mapped[AdjustmentType] = mapped_column(enum_type(AdjustmentType))
    name: Mapped[str] = mapped_column(sa.String(200), default='')
    discount_id: Mapped[str | None] = mapped_column(sa.ForeignKey('discounts.id'))
    tax_rate_id: Mapped[str | None] = mapped_column(sa.ForeignKey('tax_rates.id'))
    #: Tax code of a shipping charge (taxed shipping).
    tax_code_id: Mapped[str | None] = mapped_column(sa.ForeignKey('tax_codes.id'))
    #: Percentage for percentage discounts and taxes.
    rate: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    #: Resulting amount; positive, its sign follows from the type.
    amount: Mapped[Decimal] = mapped_column(ExactDecimal(), default=ZERO)
    #: For discounts: applied to the amount after taxes.
    applies_after_tax: Mapped[bool] = mapped_column(default=False)

    @declared_attr
    def group(cls) -> Mapped[Any]:
        return relationship(f'{cls.__document__}LineGroup', back_populates='adjustments')

    @declared_attr
    def discount(cls) -> Mapped[Any]:
        return relationship('Discount')

    @declared_attr
    def tax_rate(cls) -> Mapped[Any]:
        return relationship('TaxRate')

    @declared_attr
    def tax_code(cls) -> Mapped[Any]:
        return relationship('TaxCode')

    def __str__(self) -> str:
        return self.name or self.adjustment_type.value
