"""Customers (with their jobs) and vendors: CRM accounts on one side, QuickBooks entities on the other.

Field by field as the original module mapped them (inventory section 3.5), with its gaps closed:
names are checked (41 characters, no colon, unique ignoring case across customers, vendors,
employees and other names) and block with the reason instead of failing in QuickBooks; every
other text field is fitted to its QuickBooks length by the request builder. The region of an
address is given as ``State`` (the US schema's name); the request builder writes it as the
edition's ``Province`` (Canada, Australia) or ``County`` (UK), and reading back takes any of the
three.

A QuickBooks job is a CRM customer account whose parent is the job's customer. Its link carries
the QuickBooks full name (``Customer:Job``) and the parent's ListID, and it matches a CRM account
of its name only under that same customer: QuickBooks names are unique by full name, so two
customers may each have a job of the same name. A CRM child account is sent as a job of its
parent's customer (``ParentRef``), once that one is in QuickBooks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from onecrm_finance_qb.host import (
    AccountBrief,
    AccountData,
    AccountDocumentRepository,
    AccountRecord,
    Address,
    Contact,
    DocumentKind,
    Repository,
)
from onecrm_finance_qb.models.links import LinkStatus, SyncLink
from onecrm_finance_qb.models.mappings import ListKind
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.qbxml import NameProblemKind, Record, Response, check_name
from onecrm_finance_qb.stored_messages import N_, Message
from onecrm_finance_qb.sync import mappings, state
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.handlers.records import (
    REGISTRATION_PAGE,
    BlockedError,
    NotReadyError,
    RecordFamily,
    lookup_each,
)
from onecrm_finance_qb.sync.transitions import SyncedWrite

ENTITY_TYPES = ('Customer', 'Vendor', 'Employee', 'OtherName')
#: The run's jobs waiting for their customer's Add, by the customer's link id (a state document).
WAITING_JOBS_KEY = 'jobs_waiting_for_customer'
#: A customer link in these will be in QuickBooks by the end of the run, unless its request fails.
_EXPORTING = (LinkStatus.PENDING_EXPORT, LinkStatus.IN_FLIGHT)
#: Answers that can give a customer its ListID: its Add, the link by name after 3100, the check of a lost Add.
_PUTS_IN_QUICKBOOKS = ('add', 'same_name', 'verify')
MAX_STREET_LINES = 4


def name_problem_message(kind: NameProblemKind, name: str, limit: int) -> Message:
    """The administrator's explanation of why a name cannot be sent."""
    messages = {
        NameProblemKind.EMPTY: N_('The name is empty.'),
        NameProblemKind.TOO_LONG: N_(
            'The name "%(name)s" is longer than %(limit)s characters: shorten it.', name=name, limit=limit
        ),
        NameProblemKind.COLON: N_(
            'The name "%(name)s" contains a colon, which QuickBooks does not allow: remove it.', name=name
        ),
        NameProblemKind.SURROUNDING_SPACE: N_('The name "%(name)s" starts or ends with a space: remove it.', name=name),
        NameProblemKind.INVALID_CHARACTERS: N_(
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


def _job_name(parent: SyncLink, record: AccountRecord) -> str:
    """A job's QuickBooks full name: its customer's (the parent link's name), a colon, its own."""
    return f'{parent.name}:{record.name}'[:255]


def _or_none(value: str) -> str | None:
    return value or None


def _unmapped_message(kind: ListKind, value: str) -> Message:
    if kind is ListKind.TERMS:
        return N_('Terms %(terms)s are not mapped to QuickBooks terms.', terms=value)
    return N_('Account type %(type)s is not mapped to a QuickBooks customer type.', type=value)


def _mapped_ref(ctx: SyncContext, kind: ListKind, value: str | None) -> dict[str, str] | None:
    """QuickBooks' reference of a CRM terms or account type value; a value that is set but not mapped waits.

    The guide says records relying on unmapped terms are not transferred until they are mapped
    (the original dropped them silently). A mapping whose QuickBooks element was deleted stops
    counting once the list refresh sees the deletion (ListDeletedQuery), so the record then waits
    with this message instead of being refused by QuickBooks with 3140.
    """
    if not value:
        return None
    ref = mappings.qb_ref(ctx, kind, value)
    if ref is None:
        raise NotReadyError(_unmapped_message(kind, value))
    return ref


class EntityFamily(RecordFamily):
    """What customers and vendors share."""

    crm_kind = 'account'
    namespace = ENTITY_TYPES
    import_batch_key = 'batch.accounts_import'
    export_batch_key = 'batch.accounts_export'
    is_supplier: bool
    address_field: str
    #: The documents that make an account worth exporting when ``only_with_documents_key`` is on.
    document_kind: DocumentKind
    only_with_documents_key: str

    def repository(self, ctx: SyncContext) -> Repository:
        return ctx.host.accounts

    def wants(self, record: AccountRecord | AccountBrief) -> bool:
        return record.is_supplier is self.is_supplier

    def _documents(self, ctx: SyncContext) -> AccountDocumentRepository | None:
        """The host's documents-per-account answers while the option is on (None: every account is exported)."""
        if not ctx.setting(self.only_with_documents_key):
            return None
        return getattr(ctx.host, 'account_documents', None)

    def exportable(self, ctx: SyncContext, crm_ids: list[str]) -> set[str]:
        """With "only invoiced (billed) accounts" on, only the accounts with an invoice (a bill) are registered.

        The others get no link at all, as in the original: most CRM accounts are prospects that
        never trade, and a Pending Export row for each would bury the records that matter in the
        Entity Sync list. The account is registered at the run after its first invoice or bill
        (``register_other_changes``); accounts registered before the option was switched on stay.
        """
        documents = self._documents(ctx)
        if documents is None:
            return set(crm_ids)
        return set(documents.accounts_with(self.document_kind, crm_ids))

    def register_other_changes(self, ctx: SyncContext) -> None:
        """Accounts that got an invoice (a bill) since the last run, through the documents' own change feed.

        The account itself is not modified by its first invoice, so its change cursor never
        brings it back; the documents' cursor does, at O(changes).
        """
        documents = self._documents(ctx)
        if documents is None or not ctx.setting(self.export_key):
            return
        key = f'register:{self.name}:{self.document_kind}'
        cursor = state.load(ctx.db, ctx.server.id, key).get('cursor')
        while True:
            page = documents.changed_since(self.document_kind, cursor, REGISTRATION_PAGE)
            owners = {document.account_id for document in page.records if not document.deleted}
            unlinked = owners - set(self._links_by_crm_id(ctx, list(owners)))
            accounts = ctx.host.accounts.get_many(unlinked) if unlinked else {}
            self._register(ctx, [record for record in accounts.values() if self.wants(record) and not record.deleted])
            cursor = page.cursor
            if not page.has_more:
                break
        state.save(ctx.db, ctx.server.id, key, {'cursor': cursor})

    def duplicate_message(self, name: str) -> Message:
        return N_(
            'Another customer, vendor, employee or other name is already called "%(name)s" (names are '
            'compared ignoring case): rename one of them.',
            name=name,
        )

    def match_key(self, data: dict) -> str:
        return data.get('Name', '').strip()

    def find_namesakes(self, ctx: SyncContext, keys: Collection[str]) -> dict[str, tuple[AccountRecord, ...]]:
        return lookup_each(ctx.host.accounts, 'find_by_name', keys)

    def match_existing(self, ctx: SyncContext, data: dict) -> str | None:
        name = self.match_key(data)
        for record in self.namesakes(ctx, name):
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
                    N_('Currency %(code)s is not mapped to a QuickBooks currency.', code=record.currency)
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
                N_(
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
    document_kind = DocumentKind.INVOICE
    only_with_documents_key = 'export.only_invoiced_accounts'
    import_key = 'import.customers'
    export_key = 'export.customers'
    delete_key = 'delete.customers'
    conflict_key = 'conflict.customers'
    page_caches = (*EntityFamily.page_caches, 'parent_links')

    def _register(self, ctx: SyncContext, records: list[Any]) -> None:
        """Register as every family does, then name the unsent jobs the way QuickBooks will.

        A job is known to QuickBooks by its full name (``Customer:Job``): the uniqueness check,
        matching an imported record to a pending export and finding an Add whose answer was lost
        all compare that name, and two customers may each have a job of the same name.
        """
        super()._register(ctx, records)
        jobs = [record for record in records if record.parent_id and not record.deleted]
        if not jobs:
            return
        links = self._links_by_crm_id(ctx, [record.id for record in jobs])
        parents = self._links_by_crm_id(ctx, [record.parent_id for record in jobs])
        for record in jobs:
            link, parent = links.get(record.id), parents.get(record.parent_id)
            if link is not None and link.qb_id is None and parent is not None and parent.qb_type == self.qb_type:
                link.name = _job_name(parent, record)

    def _prefetch(self, ctx: SyncContext, crm_ids: Iterable[str | None]) -> None:
        """The batch's CRM records, and the links of its jobs' customers, which ``_parent`` asks for job by job."""
        super()._prefetch(ctx, crm_ids)
        parent_ids = {record.parent_id for record in ctx.cache[self._cache_key('crm_records')].values()}
        parent_ids.discard(None)
        ctx.cache[self._cache_key('parents')] = self._links_by_crm_id(ctx, list(parent_ids)) if parent_ids else {}

    def _parent(self, ctx: SyncContext, record: AccountRecord, job: SyncLink | None = None) -> SyncLink | None:
        """The link of a job's customer (None for a customer), once that one is in QuickBooks.

        A link prefetched for the batch is the session's own object, so it is never stale; a
        customer without one is looked up again, in case its link is newer than the batch. The
        ``job`` being added waits for a customer that this run is exporting (``_release_jobs``).
        """
        if record.parent_id is None:
            return None
        parent = ctx.cache.get(self._cache_key('parents'), {}).get(record.parent_id)
        if parent is None:
            parent = self._links_by_crm_id(ctx, [record.parent_id]).get(record.parent_id)
        if parent is None or parent.qb_id is None:
            if job is not None and parent is not None and parent.status in _EXPORTING:
                self._wait_for(ctx, parent, job)
            raise NotReadyError(N_('Waiting for the parent account to be exported first.'))
        return parent

    def _wait_for(self, ctx: SyncContext, parent: SyncLink, job: SyncLink) -> None:
        """Note that ``job`` waits for ``parent``, which this run is adding, so the answer can let it go."""
        waiting = self._waiting_jobs(ctx)
        jobs = waiting['jobs'].setdefault(str(parent.id), [])
        if job.id not in jobs:
            jobs.append(job.id)
            state.save(ctx.db, ctx.server.id, WAITING_JOBS_KEY, waiting)

    @staticmethod
    def _waiting_jobs(ctx: SyncContext) -> dict[str, Any]:
        """This run's jobs waiting for their customer, by the customer's link: read once a call.

        Every answer of an export batch asks; the document read and saved again is the call's own.
        """
        waiting = ctx.cache.get(WAITING_JOBS_KEY)
        if waiting is None:
            waiting = state.load(ctx.db, ctx.server.id, WAITING_JOBS_KEY)
            if waiting.get('run') != ctx.run.id:
                waiting = {'run': ctx.run.id, 'jobs': {}}
            ctx.cache[WAITING_JOBS_KEY] = waiting
        return waiting

    def on_response(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        super().on_response(ctx, sent, response)
        if sent.action in _PUTS_IN_QUICKBOOKS:
            self._release_jobs(ctx, sent.link_id)

    def synced_in_bulk(self, ctx: SyncContext, sent: SentRequest, response: Response) -> SyncedWrite | None:
        write = super().synced_in_bulk(ctx, sent, response)
        if write is not None and sent.action in _PUTS_IN_QUICKBOOKS:
            self._let_jobs_go(ctx, sent.link_id)
        return write

    def _release_jobs(self, ctx: SyncContext, parent_id: int | None) -> None:
        """A customer is in QuickBooks now: the jobs that waited for it in this run go in this run too.

        A job needs its customer's ListID; without this, a customer and its jobs created together
        would take one update per level. A customer whose Add failed lets nothing go: its jobs
        wait for a later run.
        """
        if str(parent_id) not in self._waiting_jobs(ctx)['jobs']:
            return
        parent = ctx.db.get(SyncLink, parent_id)
        if parent is not None and parent.qb_id is not None:
            self._let_jobs_go(ctx, parent_id)

    def _let_jobs_go(self, ctx: SyncContext, parent_id: int | None) -> None:
        """Make the jobs waiting for ``parent_id``, which QuickBooks now has, due again for this run.

        The export stage plans them with the next message, since answers are read before the
        next message is planned.
        """
        waiting = self._waiting_jobs(ctx)
        if str(parent_id) not in waiting['jobs']:
            return
        jobs = waiting['jobs'].pop(str(parent_id))
        state.save(ctx.db, ctx.server.id, WAITING_JOBS_KEY, waiting)
        ctx.db.execute(
            sa.update(SyncLink)
            .where(
                SyncLink.id.in_(jobs),
                SyncLink.status == LinkStatus.PENDING_EXPORT,
                SyncLink.last_run_id == ctx.run.id,
            )
            .values(last_run_id=None),
            execution_options={'synchronize_session': 'evaluate'},
        )

    def _fields(self, ctx: SyncContext, record: AccountRecord, link: SyncLink, add: bool) -> dict[str, Any]:
        fields = self._common_fields(ctx, record, add)
        parent = self._parent(ctx, record, link if add else None)
        if add and parent is not None:
            link.name = _job_name(parent, record)
        fields.update(
            {
                'ParentRef': {'ListID': parent.qb_id} if parent else None,
                'BillAddress': _address(record.billing_address),
                'ShipAddress': _address(record.shipping_address),
                'CustomerTypeRef': _mapped_ref(ctx, ListKind.CUSTOMER_TYPE, record.account_type),
                'TermsRef': _mapped_ref(ctx, ListKind.TERMS, record.terms),
                'CreditLimit': record.credit_limit,
            }
        )
        return fields

    def add_fields(self, ctx: SyncContext, record: AccountRecord, link: SyncLink) -> dict[str, Any]:
        return self._fields(ctx, record, link, add=True)

    def mod_fields(self, ctx: SyncContext, record: AccountRecord, link: SyncLink) -> dict[str, Any]:
        return self._fields(ctx, record, link, add=False)

    def match_existing(self, ctx: SyncContext, data: dict) -> str | None:
        """A CRM customer of the same name under the same parent: a job matches only a job of its customer.

        QuickBooks names are unique by full name, so two customers may each have a job called
        "Phase 1"; matching the name alone would link the second one to the first one's account.
        """
        try:
            parent_id = self._parent_id(ctx, data)
        except NotReadyError:
            return None
        name = self.match_key(data)
        for record in self.namesakes(ctx, name):
            if not record.is_supplier and record.parent_id == parent_id:
                return record.id
        return None

    def _parent_id(self, ctx: SyncContext, data: dict) -> str | None:
        """The CRM account of a job's customer (None for a customer); NotReadyError until it is imported."""
        parent_ref = data.get('ParentRef')
        if not parent_ref:
            return None
        parent = self._parent_link(ctx, parent_ref.get('ListID'))
        if parent is None or parent.crm_id is None:
            raise NotReadyError(
                N_('The parent customer %(name)s is not imported yet.', name=parent_ref.get('FullName', ''))
            )
        return parent.crm_id

    def to_crm(self, ctx: SyncContext, data: dict) -> AccountData:
        return AccountData(
            name=data.get('Name', '').strip(),
            is_supplier=False,
            parent_id=self._parent_id(ctx, data),
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

    def _prefetch_page(self, ctx: SyncContext, records: list[Record]) -> None:
        """The links of the page's jobs' customers, which matching and importing a job each ask for."""
        list_ids = {(record.data.get('ParentRef') or {}).get('ListID') for record in records}
        list_ids.discard(None)
        found = {link.qb_id: link for link in self._parent_links(ctx, list_ids)} if list_ids else {}
        ctx.cache[self._cache_key('parent_links')] = {list_id: found.get(list_id) for list_id in list_ids}

    def _learn(self, ctx: SyncContext, link: SyncLink) -> None:
        """A customer imported earlier in the page than its jobs is their parent from now on."""
        super()._learn(ctx, link)
        parents = ctx.cache.get(self._cache_key('parent_links'))
        if parents is not None and link.qb_id in parents:
            parents[link.qb_id] = link

    def _parent_link(self, ctx: SyncContext, list_id: str | None) -> SyncLink | None:
        """The live link of a customer by ListID: prefetched for the page (and kept by ``_learn``), else read now."""
        if list_id is None:
            return None
        parents = ctx.cache.get(self._cache_key('parent_links'), {})
        if list_id not in parents:
            found = self._parent_links(ctx, [list_id])
            return found[0] if found else None
        parent = parents[list_id]
        return parent if parent is not None and parent.status != LinkStatus.DISABLED else None

    def _parent_links(self, ctx: SyncContext, list_ids: Collection[str]) -> list[SyncLink]:
        query = sa.select(SyncLink).where(
            SyncLink.server_id == ctx.server.id, SyncLink.qb_id.in_(list_ids), SyncLink.status != LinkStatus.DISABLED
        )
        return list(ctx.db.scalars(query))


class VendorFamily(EntityFamily):
    """CRM supplier accounts and QuickBooks vendors."""

    name = 'vendors'
    qb_type = 'Vendor'
    is_supplier = True
    document_kind = DocumentKind.BILL
    only_with_documents_key = 'export.only_billed_accounts'
    import_key = 'import.vendors'
    export_key = 'export.vendors'
    delete_key = 'delete.vendors'
    conflict_key = 'conflict.vendors'

    def _fields(self, ctx: SyncContext, record: AccountRecord, add: bool) -> dict[str, Any]:
        fields = self._common_fields(ctx, record, add)
        fields.update(
            {
                'VendorAddress': _address(record.billing_address),
                'TermsRef': _mapped_ref(ctx, ListKind.TERMS, record.purchase_terms),
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
