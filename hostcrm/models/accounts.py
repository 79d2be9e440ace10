"""Accounts (customers and suppliers) and their contacts."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hostcrm.extensions import db
from hostcrm.models.addresses import (
    CITY,
    COUNTRY,
    POSTAL_CODE,
    STATE,
    STREET,
    BillingAddressMixin,
    ShippingAddressMixin,
)
from hostcrm.models.base import RecordMixin
from hostcrm.models.currencies import Currency
from hostcrm.models.taxes import TaxCode
from hostcrm.models.types import ExactDecimal
from hostcrm.models.users import User

PHONE = sa.String(50)
EMAIL = sa.String(150)


class Account(RecordMixin, BillingAddressMixin, ShippingAddressMixin, db.Model):
    """A company or person the business sells to (customer) or buys from (supplier).

    A child account (``parent``) is a QuickBooks job: it is exported as ``Parent:Child``.
    """

    __tablename__ = 'accounts'

    name: Mapped[str] = mapped_column(sa.String(150), index=True)
    #: Key in the ``account_type_dom`` dropdown (QuickBooks customer type).
    account_type: Mapped[str | None] = mapped_column(sa.String(100))
    #: Suppliers are QuickBooks vendors; the others are customers.
    is_supplier: Mapped[bool] = mapped_column(default=False)
    parent_id: Mapped[str | None] = mapped_column(sa.ForeignKey('accounts.id'), index=True)
    phone_office: Mapped[str | None] = mapped_column(PHONE)
    phone_alternate: Mapped[str | None] = mapped_column(PHONE)
    phone_fax: Mapped[str | None] = mapped_column(PHONE)
    email: Mapped[str | None] = mapped_column(EMAIL)
    website: Mapped[str | None] = mapped_column(sa.String(255))
    #: Sales credit limit, in the account's currency.
    credit_limit: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    #: Purchase credit limit granted by a supplier.
    purchase_credit_limit: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    currency_id: Mapped[str | None] = mapped_column(sa.ForeignKey('currencies.id'))
    #: Keys in the ``terms_dom`` dropdown.
    default_terms: Mapped[str | None] = mapped_column(sa.String(100))
    default_purchase_terms: Mapped[str | None] = mapped_column(sa.String(100))
    tax_code_id: Mapped[str | None] = mapped_column(sa.ForeignKey('tax_codes.id'))
    #: The contact QuickBooks gets as first/last name; accounts and contacts reference each
    #: other, so this key is created after both tables.
    primary_contact_id: Mapped[str | None] = mapped_column(
        sa.ForeignKey('contacts.id', use_alter=True, name='fk_accounts_primary_contact_id_contacts')
    )
    assigned_user_id: Mapped[str | None] = mapped_column(sa.ForeignKey('users.id'))
    description: Mapped[str | None] = mapped_column(sa.Text)
    #: Open balance in the account's currency.
    balance: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(0))

    parent: Mapped[Account | None] = relationship(remote_side='Account.id', back_populates='children')
    children: Mapped[list[Account]] = relationship(back_populates='parent')
    currency: Mapped[Currency | None] = relationship()
    tax_code: Mapped[TaxCode | None] = relationship()
    assigned_user: Mapped[User | None] = relationship()
    contacts: Mapped[list[Contact]] = relationship(
        back_populates='account', foreign_keys='Contact.account_id', order_by='Contact.last_name'
    )
    primary_contact: Mapped[Contact | None] = relationship(foreign_keys=[primary_contact_id], post_update=True)

    @property
    def full_name(self) -> str:
        """The name with its parents', colon-separated as QuickBooks shows jobs."""
        return f'{self.parent.full_name}:{self.name}' if self.parent else self.name

    def __str__(self) -> str:
        return self.name



#: The plugin finds accounts by name ignoring case (``LOWER(name) IN ...``) for every page of
#: QuickBooks records it imports; MariaDB compares without case through its collation and uses
#: the plain index on ``name`` instead.
sa.Index('ix_accounts_name_lower', sa.func.lower(Account.name)).ddl_if(dialect=('sqlite', 'postgresql'))

class Contact(RecordMixin, db.Model):
    """A person, usually working for an account."""

    __tablename__ = 'contacts'

    #: Key in the ``salutation_dom`` dropdown.
    salutation: Mapped[str | None] = mapped_column(sa.String(20))
    first_name: Mapped[str | None] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100), index=True)
    title: Mapped[str | None] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(EMAIL)
    phone_work: Mapped[str | None] = mapped_column(PHONE)
    phone_mobile: Mapped[str | None] = mapped_column(PHONE)
    phone_home: Mapped[str | None] = mapped_column(PHONE)
    phone_other: Mapped[str | None] = mapped_column(PHONE)
    phone_fax: Mapped[str | None] = mapped_column(PHONE)
    account_id: Mapped[str | None] = mapped_column(sa.ForeignKey('accounts.id'), index=True)
    primary_address_street: Mapped[str | None] = mapped_column(STREET)
    primary_address_city: Mapped[str | None] = mapped_column(CITY)
    primary_address_state: Mapped[str | None] = mapped_column(STATE)
    primary_address_postalcode: Mapped[str | None] = mapped_column(POSTAL_CODE)
    primary_address_country: Mapped[str | None] = mapped_column(COUNTRY)
    assigned_user_id: Mapped[str | None] = mapped_column(sa.ForeignKey('users.id'))
    description: Mapped[str | None] = mapped_column(sa.Text)

    account: Mapped[Account | None] = relationship(back_populates='contacts', foreign_keys=[account_id])
    assigned_user: Mapped[User | None] = relationship()

    @property
    def name(self) -> str:
        """First and last name."""
        return ' '.join(part for part in (self.first_name, self.last_name) if part)

    def __str__(self) -> str:
        return self.name
