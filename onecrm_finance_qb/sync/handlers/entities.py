"""Customers (with their jobs) and vendors: CRM accounts on one side, QuickBooks entities on the other.

Field by field as the original module mapped them (inventory section 3.5), with its gaps closed:
names are checked (41 characters, no colon, unique ignoring case across customers, vendors,
employees and other names) and block with the reason instead of failing in QuickBooks; every
other text field is fitted to its QuickBooks length by the request builder; the region of an
address goes to ``State``, which is what the qbXML 13.0 schema calls it for every edition
(the CA ``Province`` and UK ``County`` spellings belong to the pre-unified specs).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from onecrm_finance_qb.host import AccountData, AccountRecord, Address, Contact, Repository
from onecrm_finance_qb.i18n import _
from onecrm_finance_qb.models.links import LinkStatus, SyncLink
from onecrm_finance_qb.models.mappings import ListKind
from onecrm_finance_qb.qbxml import NameProblemKind, check_name
from onecrm_finance_qb.sync import mappings
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.handlers.records import BlockedError, NotReadyError, RecordFamily

ENTITY_TYPES = ('Customer', 'Vendor', 'Employee', 'OtherName')
MAX_STREET_LINES = 4


def name_problem_message(kind: NameProblemKind, name: str, limit: int) -> str:
    """The administrator's explanation of why a name cannot be sent."""
    messages = {
        NameProblemKind.EMPTY: _('The name is empty.'),
        NameProblemKind.TOO_LONG: _(
            'The name "%(name)s" is longer than %(limit)s characters: shorten it.', name=name, limit=limit
        ),
        NameProblemKind.COLON: _(
            'The name "%(name)s" contains a colon, which QuickBooks does not allow: remove it.', name=name
        ),
        NameProblemKind.SURROUNDING_SPACE: _('The name "%(name)s" starts or ends with a space: remove it.', name=name),
        NameProblemKind.INVALID_CHARACTERS: _(
            'The name "%(name)s" contains control characters: remove them.', name=name
        ),
    }
    return messages[kind]


def _address(address: Address) -> dict[str, Any] | None:
    lines = [line.strip() for line in address.street.splitlines() if line.strip()][:MAX_STREET_LINES]
    fields: dict[str, Any] = {f'Addr{number}': line for number, line in enumerate(lines, start=1)}
    fields.update(
        {
            key: value
            for key, value in (
                ('City', address.city),
                ('State', address.region),
                ('PostalCode', address.postal_code),
                ('Country', address.country),
            )
            if value
        }
    )
    return fields or None


def _crm_address(data: dict | None) -> Address:
    if not data:
        return Address()
    street = '\n'.join(data[key] for key in ('Addr1', 'Addr2', 'Addr3', 'Addr4', 'Addr5') if data.get(key))
    region = data.get('State') or data.get('Province') or data.get('County') or ''
    return Address(
        street=street,
        city=data.get('City', ''),
        region=region,
        postal_code=data.get('PostalCode', ''),
        country=data.get('Country', ''),
    )


def _primary_contact(record: AccountRecord) -> Contact | None:
    return next((contact for contact in record.contacts if contact.is_primary), None)


def _imported_terms(ctx: SyncContext, data: dict) -> str | None:
    """The CRM terms of QuickBooks' TermsRef: its mapping, else the wizard's fallback for imports."""
    if not data.get('TermsRef'):
        return None
    return mappings.crm_value(ctx, ListKind.TERMS, data['TermsRef']) or ctx.setting('terms.default_import') or None


def _or_none(value: str) -> str | None:
    return value or None


class EntityFamily(RecordFamily):
    """What customers and vendors share."""

    crm_kind = 'account'
    namespace = ENTITY_TYPES
    import_batch_key = 'batch.accounts_import'
    export_batch_key = 'batch.accounts_export'
    is_supplier: bool
    address_field: str

    def repository(self, ctx: SyncContext) -> Repository:
        return ctx.host.accounts

    def wants(self, record: AccountRecord) -> bool:
        return record.is_supplier is self.is_supplier

    def duplicate_message(self, name: str) -> str:
        return _(
            'Another customer, vendor, employee or other name is already called "%(name)s" (names are '
            'compared ignoring case): rename one of them.',
            name=name,
        )

    def match_existing(self, ctx: SyncContext, data: dict) -> str | None:
        name = data.get('Name', '').strip()
        for record in ctx.host.accounts.find_by_name(name):
            if record.is_supplier is self.is_supplier:
                return record.id
        return None

    def _common_fields(self, ctx: SyncContext, record: AccountRecord, add: bool) -> dict[str, Any]:
        problem = check_name(self.qb_type, record.name, ctx.edition)
        if problem is not None:
            raise BlockedError(name_problem_message(problem.kind, record.name, problem.max_length))
        contact = _primary_contact(record)
        fields: dict[str, Any] = {
            'Name': record.name,
            'CompanyName': record.name if add else None,
            'Phone': _or_none(record.phone_office),
            'AltPhone': _or_none(record.phone_alternate),
            'Fax': _or_none(record.phone_fax),
            'Email': _or_none(record.email),
            'Notes': _or_none(record.description),
        }
        if contact is not None:
            fields.update(
                {
                    'Salutation': _or_none(contact.salutation),
                    'FirstName': _or_none(contact.first_name),
                    'LastName': _or_none(contact.last_name),
                    'Contact': _or_none(f'{contact.first_name} {contact.last_name}'.strip()),
                }
            )
        if add and ctx.multicurrency and record.currency:
            currency = mappings.qb_ref(ctx, ListKind.CURRENCY, record.currency)
            if currency is None:
                raise NotReadyError(
                    _('Currency %(code)s is not mapped to a QuickBooks currency.', code=record.currency)
                )
            fields['CurrencyRef'] = currency
        return fields

    def _contacts(self, data: dict) -> tuple[Contact, ...]:
        first, last = data.get('FirstName', ''), data.get('LastName', '')
        if not first and not last:
            return ()
        return (
            Contact(
                first_name=first,
                last_name=last,
                salutation=data.get('Salutation', ''),
                email=data.get('Email', ''),
                phone_work=data.get('Phone', ''),
                phone_mobile=data.get('Mobile', ''),
                phone_other=data.get('AltPhone', ''),
                phone_fax=data.get('Fax', ''),
                is_primary=True,
            ),
        )

    def _currency(self, ctx: SyncContext, data: dict) -> str | None:
        if not ctx.multicurrency or not data.get('CurrencyRef'):
            return None
        code = mappings.crm_value(ctx, ListKind.CURRENCY, data['CurrencyRef'])
        if code is None:
            raise NotReadyError(
                _(
                    'QuickBooks currency %(name)s is not mapped to a CRM currency.',
                    name=data['CurrencyRef'].get('FullName', ''),
                )
            )
        return code


class CustomerFamily(EntityFamily):
    """CRM customer accounts and QuickBooks customers and jobs."""

    name = 'customers'
    qb_type = 'Customer'
    is_supplier = False
    import_key = 'import.customers'
    export_key = 'export.customers'
    delete_key = 'delete.customers'
    conflict_key = 'conflict.customers'

    def qb_name(self, record: AccountRecord) -> str:
        return record.name

    def _parent_ref(self, ctx: SyncContext, record: AccountRecord) -> dict[str, str] | None:
        if record.parent_id is None:
            return None
        parent = self._links_by_crm_id(ctx, [record.parent_id]).get(record.parent_id)
        if parent is None or parent.qb_id is None:
            raise NotReadyError(_('Waiting for the parent account to be exported first.'))
        return {'ListID': parent.qb_id}

    def _fields(self, ctx: SyncContext, record: AccountRecord, add: bool) -> dict[str, Any]:
        fields = self._common_fields(ctx, record, add)
        fields.update(
            {
                'ParentRef': self._parent_ref(ctx, record),
                'BillAddress': _address(record.billing_address),
                'ShipAddress': _address(record.shipping_address),
                'CustomerTypeRef': mappings.qb_ref(ctx, ListKind.CUSTOMER_TYPE, record.account_type),
                'TermsRef': mappings.qb_ref(ctx, ListKind.TERMS, record.terms),
                'CreditLimit': record.credit_limit,
            }
        )
        return fields

    def add_fields(self, ctx: SyncContext, record: AccountRecord, link: SyncLink) -> dict[str, Any]:
        return self._fields(ctx, record, add=True)

    def mod_fields(self, ctx: SyncContext, record: AccountRecord, link: SyncLink) -> dict[str, Any]:
        return self._fields(ctx, record, add=False)

    def to_crm(self, ctx: SyncContext, data: dict) -> AccountData:
        parent_id = None
        parent_ref = data.get('ParentRef')
        if parent_ref:
            parent = self._parent_link(ctx, parent_ref.get('ListID'))
            if parent is None or parent.crm_id is None:
                raise NotReadyError(
                    _('The parent customer %(name)s is not imported yet.', name=parent_ref.get('FullName', ''))
                )
            parent_id = parent.crm_id
        return AccountData(
            name=data.get('Name', '').strip(),
            is_supplier=False,
            parent_id=parent_id,
            account_type=mappings.crm_value(ctx, ListKind.CUSTOMER_TYPE, data.get('CustomerTypeRef')),
            currency=self._currency(ctx, data),
            credit_limit=data.get('CreditLimit'),
            terms=_imported_terms(ctx, data),
            email=data.get('Email', ''),
            phone_office=data.get('Phone', ''),
            phone_alternate=data.get('AltPhone', ''),
            phone_fax=data.get('Fax', ''),
            billing_address=_crm_address(data.get('BillAddress')),
            shipping_address=_crm_address(data.get('ShipAddress')),
            description=data.get('Notes', ''),
            contacts=self._contacts(data),
        )

    def _parent_link(self, ctx: SyncContext, list_id: str | None) -> SyncLink | None:
        if list_id is None:
            return None
        query = sa.select(SyncLink).where(
            SyncLink.server_id == ctx.server.id, SyncLink.qb_id == list_id, SyncLink.status != LinkStatus.DISABLED
        )
        return ctx.db.scalars(query).first()


class VendorFamily(EntityFamily):
    """CRM supplier accounts and QuickBooks vendors."""

    name = 'vendors'
    qb_type = 'Vendor'
    is_supplier = True
    import_key = 'import.vendors'
    export_key = 'export.vendors'
    delete_key = 'delete.vendors'
    conflict_key = 'conflict.vendors'

    def _fields(self, ctx: SyncContext, record: AccountRecord, add: bool) -> dict[str, Any]:
        fields = self._common_fields(ctx, record, add)
        fields.update(
            {
                'VendorAddress': _address(record.billing_address),
                'TermsRef': mappings.qb_ref(ctx, ListKind.TERMS, record.purchase_terms),
                'CreditLimit': record.purchase_credit_limit,
            }
        )
        return fields

    def add_fields(self, ctx: SyncContext, record: AccountRecord, link: SyncLink) -> dict[str, Any]:
        return self._fields(ctx, record, add=True)

    def mod_fields(self, ctx: SyncContext, record: AccountRecord, link: SyncLink) -> dict[str, Any]:
        return self._fields(ctx, record, add=False)

    def to_crm(self, ctx: SyncContext, data: dict) -> AccountData:
        limit = data.get('CreditLimit')
        return AccountData(
            name=data.get('Name', '').strip(),
            is_supplier=True,
            currency=self._currency(ctx, data),
            purchase_credit_limit=Decimal(limit) if limit is not None else None,
            purchase_terms=_imported_terms(ctx, data),
            email=data.get('Email', ''),
            phone_office=data.get('Phone', ''),
            phone_alternate=data.get('AltPhone', ''),
            phone_fax=data.get('Fax', ''),
            billing_address=_crm_address(data.get('VendorAddress')),
            description=data.get('Notes', ''),
            contacts=self._contacts(data),
        )
