"""Postal address columns, shared by accounts and documents under 1CRM's column names."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

STREET = sa.String(150)
CITY = sa.String(100)
STATE = sa.String(100)
POSTAL_CODE = sa.String(20)
COUNTRY = sa.String(100)


class BillingAddressMixin:
    """Billing address; the street may hold several lines separated by newlines."""

    billing_address_street: Mapped[str | None] = mapped_column(STREET)
    billing_address_city: Mapped[str | None] = mapped_column(CITY)
    billing_address_state: Mapped[str | None] = mapped_column(STATE)
    billing_address_postalcode: Mapped[str | None] = mapped_column(POSTAL_CODE)
    billing_address_country: Mapped[str | None] = mapped_column(COUNTRY)


class ShippingAddressMixin:
    """Shipping address; the street may hold several lines separated by newlines."""

    shipping_address_street: Mapped[str | None] = mapped_column(STREET)
    shipping_address_city: Mapped[str | None] = mapped_column(CITY)
    shipping_address_state: Mapped[str | None] = mapped_column(STATE)
    shipping_address_postalcode: Mapped[str | None] = mapped_column(POSTAL_CODE)
    shipping_address_country: Mapped[str | None] = mapped_column(COUNTRY)
