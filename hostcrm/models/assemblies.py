"""Assemblies: bundles of products sold together (QuickBooks group items)."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hostcrm.extensions import db
from hostcrm.models.base import RecordMixin
from hostcrm.models.currencies import Currency
from hostcrm.models.products import PART_NUMBER, Product, ProductCategory, ProductType, live_part_number
from hostcrm.models.types import ExactDecimal


class Assembly(RecordMixin, db.Model):
    """A named bundle of component products."""

    __tablename__ = 'assemblies'

    manufacturer_part_no: Mapped[str | None] = mapped_column(PART_NUMBER, index=True)
    #: The part number while the assembly is live, unique; maintained by the database.
    live_part_no: Mapped[str | None] = mapped_column(PART_NUMBER, live_part_number(), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    list_price: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(0))
    cost: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(0))
    purchase_price: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(0))
    currency_id: Mapped[str | None] = mapped_column(sa.ForeignKey('currencies.id'))
    product_category_id: Mapped[str | None] = mapped_column(sa.ForeignKey('product_categories.id'))
    product_type_id: Mapped[str | None] = mapped_column(sa.ForeignKey('product_types.id'))
    is_active: Mapped[bool] = mapped_column(default=True)

    currency: Mapped[Currency | None] = relationship()
    category: Mapped[ProductCategory | None] = relationship()
    product_type: Mapped[ProductType | None] = relationship()
    components: Mapped[list[AssemblyComponent]] = relationship(
        back_populates='assembly', order_by='AssemblyComponent.position', cascade='all, delete-orphan'
    )

    def __str__(self) -> str:
        return f'{self.manufacturer_part_no} {self.name}' if self.manufacturer_part_no else self.name


class AssemblyComponent(RecordMixin, db.Model):
    """A product and its quantity within an assembly; changing it changes the assembly."""

    __tablename__ = 'assembly_components'
    __change_parent__ = 'assembly'

    assembly_id: Mapped[str] = mapped_column(sa.ForeignKey('assemblies.id', ondelete='CASCADE'), index=True)
    product_id: Mapped[str] = mapped_column(sa.ForeignKey('products.id'), index=True)
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(1))
    position: Mapped[int] = mapped_column(default=0)

    assembly: Mapped[Assembly] = relationship(back_populates='components')
    product: Mapped[Product] = relationship()

    def __str__(self) -> str:
        return f'{self.quantity.normalize()} x {self.product}'
