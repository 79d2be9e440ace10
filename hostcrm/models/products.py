"""The product catalogue: categories, types and products."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hostcrm.extensions import db
from hostcrm.models.accounts import Account
from hostcrm.models.base import RecordMixin
from hostcrm.models.currencies import Currency
from hostcrm.models.taxes import TaxCode
from hostcrm.models.types import ExactDecimal, enum_type
from hostcrm.models.warehouses import Warehouse

PART_NUMBER = sa.String(100)


def live_part_number(column: str = 'manufacturer_part_no') -> sa.Computed:
    """The part number of a live record, NULL once deleted or blank.

    A unique index on it makes part numbers unique among non-deleted records on every
    database, MariaDB included, which has no partial indexes.
    """
    return sa.Computed(f"CASE WHEN deleted OR {column} = '' THEN NULL ELSE {column} END", persisted=True)


class TrackInventory(StrEnum):
    """How stock is counted: not at all, by hand, or by the CRM's own movements."""

    UNTRACKED = 'untracked'
    MANUAL = 'manual'
    AUTOMATIC = 'automatic'


class ProductCategory(RecordMixin, db.Model):
    """A catalogue category; categories nest."""

    __tablename__ = 'product_categories'

    name: Mapped[str] = mapped_column(sa.String(100))
    parent_id: Mapped[str | None] = mapped_column(sa.ForeignKey('product_categories.id'))
    description: Mapped[str | None] = mapped_column(sa.Text)

    parent: Mapped[ProductCategory | None] = relationship(remote_side='ProductCategory.id')

    def __str__(self) -> str:
        return self.name


class ProductType(RecordMixin, db.Model):
    """A product type, offered within a category (1CRM's dependent dropdown)."""

    __tablename__ = 'product_types'

    name: Mapped[str] = mapped_column(sa.String(100))
    category_id: Mapped[str | None] = mapped_column(sa.ForeignKey('product_categories.id'))
    description: Mapped[str | None] = mapped_column(sa.Text)

    category: Mapped[ProductCategory | None] = relationship()

    def __str__(self) -> str:
        return self.name


class Product(RecordMixin, db.Model):
    """A catalogue product; the manufacturer part number is its QuickBooks item name."""

    __tablename__ = 'products'

    manufacturer_part_no: Mapped[str | None] = mapped_column(PART_NUMBER, index=True)
    #: The part number while the product is live, unique; maintained by the database.
    live_part_no: Mapped[str | None] = mapped_column(PART_NUMBER, live_part_number(), unique=True)
    #: The supplier's own part number.
    vendor_part_no: Mapped[str | None] = mapped_column(PART_NUMBER)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    #: Name on purchase documents (QuickBooks PurchaseDesc); the sales name when empty.
    purchase_name: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    purchase_description: Mapped[str | None] = mapped_column(sa.Text)
    #: Prices are in ``currency``.
    list_price: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(0))
    cost: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(0))
    purchase_price: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(0))
    currency_id: Mapped[str | None] = mapped_column(sa.ForeignKey('currencies.id'))
    #: Tracked products are QuickBooks inventory items, untracked ones non-inventory items.
    track_inventory: Mapped[TrackInventory] = mapped_column(enum_type(TrackInventory), default=TrackInventory.UNTRACKED)
    #: Quantity on hand in ``warehouse``.
    in_stock: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(0))
    tax_code_id: Mapped[str | None] = mapped_column(sa.ForeignKey('tax_codes.id'))
    #: Preferred supplier (QuickBooks PrefVendorRef).
    supplier_id: Mapped[str | None] = mapped_column(sa.ForeignKey('accounts.id'), index=True)
    product_category_id: Mapped[str | None] = mapped_column(sa.ForeignKey('product_categories.id'))
    product_type_id: Mapped[str | None] = mapped_column(sa.ForeignKey('product_types.id'))
    warehouse_id: Mapped[str | None] = mapped_column(sa.ForeignKey('warehouses.id'))
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Whether it can be sold now (1CRM ``is_available``).
    is_available: Mapped[bool] = mapped_column(default=True)

    currency: Mapped[Currency | None] = relationship()
    tax_code: Mapped[TaxCode | None] = relationship()
    supplier: Mapped[Account | None] = relationship()
    category: Mapped[ProductCategory | None] = relationship()
    product_type: Mapped[ProductType | None] = relationship()
    warehouse: Mapped[Warehouse | None] = relationship()

    def __str__(self) -> str:
        return f'{self.manufacturer_part_no} {self.name}' if self.manufacturer_part_no else self.name


#: Part numbers are looked up ignoring case, as account names are (see ``ix_accounts_name_lower``).
sa.Index('ix_products_part_number_lower', sa.func.lower(Product.manufacturer_part_no)).ddl_if(
    dialect=('sqlite', 'postgresql')
)
